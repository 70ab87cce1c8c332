# sessions.sh -- loading sessions in the ranking tests, through the real
# ingest endpoint (POST /api/v1/sessions/batch, signed with each user's key)
#
#	sess USER SID ENDED IN OUT [DURATION [SLICES]]   # queue one session
#	load_sessions                                  # upload the queue
#
# ENDED is an RFC 3339 UTC time; DURATION seconds (default 600); SLICES
# the API's JSON array of {"hourStart", "inputTokens", "outputTokens",
# "cacheCreationTokens", "cacheReadTokens"} (default: none, so the whole
# session counts at the hour it ended).  load_sessions issues a key for
# every user that has no key from it yet (tests that need a user's key
# afterwards take one with `admin key regenerate`) and stops the test if
# any session is refused.

sess_queue=

sess() {
	sess_queue="$sess_queue$1|$2|$3|$4|$5|${6:-600}|${7:-}
"
}

# the key load_sessions uses for user $1
sess_key() {
	k=$(sed -n "s/^$1 //p" "$T/keys" 2>/dev/null)
	if [ -z "$k" ]; then
		k=$(admin key issue "$1") || { echo "Bail out! no key for $1"; exit 1; }
		echo "$1 $k" >>"$T/keys"
	fi
	echo "$k"
}

load_sessions() {
	# one batch file per user and 100 sessions
	rm -rf "$T/batches"
	mkdir -p "$T/batches"
	printf '%s' "$sess_queue" | sort -t'|' -k1,1 -s | awk -F'|' -v dir="$T/batches" '
	function flush() { if (out != "") { printf "]}" >out; close(out) } }
	{
		if ($1 != user || n == 100) {
			flush(); user = $1; n = 0; part++
			out = dir "/" part "." user
			printf "{\"sessions\":[" >out
		}
		printf "%s{\"sessionHash\":\"%s\",\"sessionId\":\"%s\",\"endedAt\":\"%s\",", n ? "," : "", h, $2, $3 >out
		printf "\"durationSeconds\":%s,\"inputTokens\":%s,\"outputTokens\":%s,", $6, $4, $5 >out
		printf "\"cacheCreationTokens\":0,\"cacheReadTokens\":0,\"modelName\":\"claude-sonnet-4\"," >out
		printf "\"turnCount\":1,\"toolUsage\":{\"Read\":2,\"Edit\":1},\"codeMetrics\":{\"linesAdded\":10}" >out
		if ($7 != "") printf ",\"slices\":%s", $7 >out
		printf "}" >out
		n++
	}
	END { flush() }' h=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
	sess_queue=
	for f in "$T"/batches/*; do
		KEY=$(sess_key "${f##*.}")
		post /api/v1/sessions/batch "$f"
		if [ "$code" != 200 ] || [ "$(jv '.summary.rejected + .summary.unavailable')" != 0 ]; then
			echo "Bail out! sessions of ${f##*.} refused: $code $(printf %s "$body" | head -c 600)"
			exit 1
		fi
	done
}
