#!/bin/sh
# 1210-evaluations-profile.sh -- passed projects (score >= 5 of 10) and
# their feedback on the profile: in its JSON and, escaped, on its page;
# a resubmitted project appears once, with its latest result.
. "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}/t/lib/harness.sh"
FM_T=$(mktemp -d /tmp/arena-fm.XXXXXX)
echo good >"$FM_T/mode"
"$top_builddir/t/fake-model" --port-file "$FM_T/port" --log "$FM_T/log" --mode-file "$FM_T/mode" \
	>/dev/null 2>&1 &
FM_PID=$!
i=0
while [ ! -s "$FM_T/port" ]; do
	i=$((i + 1)); [ $i -gt 200 ] && { echo "Bail out! fake model did not start"; exit 1; }
	sleep 0.02
done
ARENA_EVAL_URL=http://127.0.0.1:$(cat "$FM_T/port")
ARENA_EVAL_MODEL=stand-in-1
export ARENA_EVAL_URL ARENA_EVAL_MODEL
arena_up
trap 'kill $FM_PID 2>/dev/null; rm -rf "$FM_T"; arena_cleanup' EXIT
admin user add maker >/dev/null
KEY=$(admin key issue maker)

# evaluate NAME MODE: submit a project and let the job answer in MODE
evaluate() {
	jq -n --arg n "$1" '{projectName: $n, readme: "# \($n)\n\nA tool.", fileCounts: {c: 3}}' >"$T/b.json"
	post /api/v1/evaluations "$T/b.json"
	[ "$code" = 202 ] || echo "# POST answered $code: $body"
	echo "$2" >"$FM_T/mode"
	"$top_builddir/cron/evaluate-projects" >/dev/null
}
evaluate alpha good
evaluate beta low
evaluate gamma html
evaluate delta garbage

req GET /api/users/maker
is "$code" 200 "the profile"
is "$(printf %s "$body" | jq -c '[.projects[] | [.projectName, .functionality, .practicality, .score]]')" \
	'[["gamma",3,3,6],["alpha",4,3,7]]' "passed projects only, latest first (4+3 and 3+3; 1+2 and a failure left out)"
is "$(printf %s "$body" | jq -r '.projects[0].feedback')" 'Try <script>alert(1)</script> & <b>bold</b> "claims".' \
	"the feedback, as the model wrote it, in the JSON"
sql=$(arena_psql -F' ' -c "SELECT count(*) FROM evaluations e JOIN users u ON u.id = e.user_id
	WHERE username = 'maker' AND state = 'done' AND functionality + practicality >= 5")
is "$(printf %s "$body" | jq '.projects | length')" "$sql" "the same as SQL counts"

req GET /users/maker
is "$code" 200 "the page"
printf '%s' "$body" | xmllint --html --noout - 2>/dev/null
ok $? "parses as HTML"
like "$body" '<section id="projects">' "a projects section"
like "$body" 'Try &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt; "claims".' \
	"the feedback is escaped as text"
unlike "$body" '<script>alert(1)' "no markup from the model gets through"
like "$body" "<h3>alpha</h3>" "alpha is listed"
unlike "$body" "<h3>beta</h3>" "beta (not passed) is not"
req GET /ko/users/maker
like "$body" "프로젝트" "the section in Korean"

# resubmitting alpha: it leaves the profile until its new result passes
jq -n '{projectName: "alpha", readme: "# alpha v2", fileCounts: {c: 4}}' >"$T/b.json"
post /api/v1/evaluations "$T/b.json"
req GET /api/users/maker
is "$(printf %s "$body" | jq -c '[.projects[].projectName]')" '["gamma"]' "while queued again, alpha is not shown"
echo good >"$FM_T/mode"
"$top_builddir/cron/evaluate-projects" >/dev/null
req GET /api/users/maker
is "$(printf %s "$body" | jq -c '[.projects[].projectName]')" '["alpha","gamma"]' "evaluated again: alpha once, on top"
done_testing
