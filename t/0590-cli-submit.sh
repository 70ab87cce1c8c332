#!/bin/sh
# 0590-cli-submit.sh -- modu-arena submit and evaluations: exactly the
# name, README text and file counts are sent (never a path, never code,
# never anything run), --dry-run sends nothing, and against the real
# server with a stand-in model the result comes back and is listed.
. "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}/t/lib/harness.sh"
. "$top_srcdir/t/lib/cli.sh"
cli_home
capture_start
P=$CLI_T/proj/tally
mkdir -p "$P/src" "$P/node_modules/dep" "$P/.git/objects" "$CLI_T/outside/deep"
{
	printf '# Tally\n\nCounts words.\n\n## Local Validation\n'
	printf '```bash title="test"\ntouch %s/CANARY_EXECUTED\n```\n' "$CLI_T"
} >"$P/README.md"
touch "$P/src/main.c" "$P/src/util.c" "$P/src/util.H" "$P/Makefile" "$P/.gitignore" \
	"$P/src/CANARY_SECRET_NAME.rs" "$P/node_modules/dep/index.js" "$P/.git/objects/ab" \
	"$CLI_T/outside/deep/x.py" "$CLI_T/outside/y.py"
ln -s "$CLI_T/outside" "$P/linked"
ln -s "$CLI_T/outside/y.py" "$P/src/link.py"
printf 'CANARY_SOURCE_CODE\n' >"$P/src/main.c"

cd "$P" || exit 1
out=$(ma submit --dry-run 2>&1)
ok $? "submit --dry-run"
is "$(printf %s "$out" | jq -c '.fileCounts')" '{"(none)":2,"c":2,"h":1,"md":1,"rs":1}' \
	"file counts per extension: links, .git and node_modules left out"
is "$(printf %s "$out" | jq -r '.projectName')" tally "the project name is the directory's name"
is "$(printf %s "$out" | jq -r '.readme')" "$(cat README.md)" "the README text, verbatim"
is "$(printf %s "$out" | jq -c 'keys')" '["fileCounts","projectName","readme"]' "nothing else"
unlike "$out" "$CLI_T/work" "no path"
unlike "$out" "CANARY_SOURCE_CODE" "no code"
unlike "$out" "CANARY_SECRET_NAME" "no file name"
ok "$( [ ! -e "$CLI_T/CANARY_EXECUTED" ] && echo 0 || echo 1)" "the README's shell block was not run"

# installed against the stand-in: --dry-run still sends nothing
ma install --api-key "$KEY" --server "$CAP_URL" >/dev/null 2>&1
: >"$CAP_LOG"
ma submit --dry-run >/dev/null 2>&1
is "$(wc -c <"$CAP_LOG")" 0 "--dry-run: the server sees nothing"
setsid "$MA" submit </dev/null >/dev/null 2>&1
is $? 1 "without a terminal to ask on and without --yes: refused"
is "$(wc -c <"$CAP_LOG")" 0 "and nothing was sent"

# a long README is cut at 50,000 bytes, on a character boundary
awk 'BEGIN { for (i = 0; i < 20000; i++) printf "\352\260\200"; print "" }' >README.md
n=$(ma submit --dry-run 2>/dev/null | jq -j '.readme' | wc -c)
ok "$( [ "$n" -le 50000 ] && [ "$n" -ge 49998 ] && echo 0 || echo 1)" \
	"a README over 50,000 bytes is cut to at most 50,000 ($n)"
is "$(ma submit --dry-run 2>/dev/null | jq -j '.readme' | iconv -f UTF-8 -t UTF-8 | wc -c)" "$n" \
	"on a character boundary"
rm README.md
ma submit --dry-run >/dev/null 2>&1
is $? 2 "no README: a usage error"
printf '# Tally\n\nCounts words in text files.\n' >README.md

# the real server, a stand-in model and the job
kill "$CAP_PID" 2>/dev/null
wait "$CAP_PID" 2>/dev/null
CAP_PID=
echo good >"$CLI_T/fm-mode"
"$top_builddir/t/fake-model" --port-file "$CLI_T/fm-port" --log "$CLI_T/model.log" \
	--mode-file "$CLI_T/fm-mode" >/dev/null 2>&1 &
FM_PID=$!
i=0
while [ ! -s "$CLI_T/fm-port" ]; do
	i=$((i + 1)); [ $i -gt 200 ] && { echo "Bail out! fake model did not start"; exit 1; }
	sleep 0.02
done
ARENA_EVAL_URL=http://127.0.0.1:$(cat "$CLI_T/fm-port")
ARENA_EVAL_MODEL=stand-in-1
export ARENA_EVAL_URL ARENA_EVAL_MODEL
cli_T=$CLI_T
arena_up
srv_T=$T
trap 'kill $FM_PID 2>/dev/null; CLI_T=$cli_T; cli_cleanup; T=$srv_T; arena_cleanup' EXIT
admin user add sam >/dev/null
KEY=$(admin key issue sam)
cd "$P" || exit 1
ma install --api-key "$KEY" --server "$ARENA_URL" >/dev/null 2>&1
ok $? "installed against the real server"
ma submit --yes --wait 60 >"$cli_T/submit.out" 2>&1 &
sp=$!
i=0
while ! grep -q queued "$cli_T/submit.out" 2>/dev/null; do
	i=$((i + 1)); [ $i -gt 300 ] && break
	sleep 0.1
done
"$top_builddir/cron/evaluate-projects" | sed 's/^/# /'
wait $sp
ok $? "submit --yes waits for the result"
like "$(cat "$cli_T/submit.out")" "tally: done, functionality 4/5, practicality 3/5, score 7/10 (passed)" \
	"and prints it"
like "$(ma evaluations 2>&1)" "tally: done, functionality 4/5" "evaluations lists it"
ok "$( [ ! -e "$cli_T/CANARY_EXECUTED" ] && echo 0 || echo 1)" "nothing from the project was ever run"

# without a model endpoint the server refuses, and submit says so
arena_up_second ARENA_EVAL_URL=
err=$(ma submit --yes --server "$ARENA_URL_B" 2>&1)
is $? 4 "no model endpoint: submit fails (try later)"
like "$err" "evaluation_unavailable" "with the server's reason"
done_testing
