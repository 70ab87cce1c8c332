# sessions.sh -- loading sessions in the ranking tests
#
#	sess USER SID ENDED IN OUT [DURATION [SLICES]]   # queue one session
#	load_sessions                                  # store the queue
#
# ENDED is an RFC 3339 UTC time; DURATION seconds (default 600); SLICES a
# JSON array of {"h": hour start, "i", "o", "cc", "cr"} (default: all at
# the hour the session ended).  Sessions go through arena_ingest(), the
# function behind POST /api/v1/sessions, so they are counted exactly as
# ingestion counts them.

sess_queue=

sess() {
	sess_queue="$sess_queue$1|$2|$3|$4|$5|${6:-600}|${7:-[]}
"
}

load_sessions() {
	printf '%s' "$sess_queue" | awk -F'|' '
	function q(s) { gsub(/\047/, "\047\047", s); return "\047" s "\047" }
	{
		printf "SELECT arena_ingest((SELECT id FROM users WHERE username = %s), \047claude-code\047,", q($1)
		printf " %s, %s, repeat(\047a\047, 64), md5(%s) || md5(%s), NULL,", q("sid:claude-code:" $2), q($2), q($2 $4 $5), q($2)
		printf " %s::timestamptz - make_interval(secs => %s), %s::timestamptz, %s, \047m\047, 1,", q($3), $6, q($3), $6
		printf " %s, %s, 0, 0, \047{\"Read\":2,\"Edit\":1}\047, \047{\"linesAdded\":10}\047, \047{}\047,", $4, $5
		printf " %s::jsonb, %s, %s, \047127.0.0.1\047, \047t\047);\n", q($7), anomaly, tps
	}' anomaly="${ARENA_ANOMALY_FACTOR:-10}" tps="${ARENA_MAX_OUTPUT_TOKENS_PER_SECOND:-1000}" \
		>"$T/sessions.sql"
	sess_queue=
	arena_psql -f "$T/sessions.sql" >/dev/null
}
