#!/bin/sh
# cli-sync.sh -- how fast modu-arena reads a large transcript tree, next
# to ccusage on the same tree in the same run.
#
#	bench/cli-sync.sh [SIZE_MB]        (from a configured build directory)
#
# Generates SIZE_MB (default 1024) of realistic Claude Code transcripts
# with bench/cli-gen (kept between runs in $BENCH_DIR), then times:
#   1. a full `modu-arena sync --dry-run --json` from an empty state,
#   2. the same again on the unchanged tree (the re-sync),
#   3. a real `sync` uploading every session to a local stand-in server,
#      and a real re-sync that finds nothing to do,
#   4. `ccusage session --json` and `ccusage daily --json` (installed from
#      npm into $BENCH_DIR for the benchmark only),
# and checks that both tools count the same tokens overall.
# Not a test: nothing here is timed by make check.
set -eu
SIZE=${1:-1024}
BUILD=${BUILD:-$(pwd)}
W=${BENCH_DIR:-/tmp/arena-bench-cli}
CCUSAGE_VERSION=${CCUSAGE_VERSION:-20.0.24}
mkdir -p "$W"
W=$(cd "$W" && pwd)
make -C "$BUILD" -s cli/modu-arena bench/cli-gen t/capture-server >/dev/null
MA=$BUILD/cli/modu-arena

if [ "$(cat "$W/tree.size" 2>/dev/null)" != "$SIZE" ]; then
	rm -rf "$W/tree"
	echo "generating $SIZE MB of transcripts in $W/tree"
	"$BUILD/bench/cli-gen" "$W/tree" "$SIZE" >"$W/tree.json"
	echo "$SIZE" >"$W/tree.size"
fi
CC=$W/npm/node_modules/.bin/ccusage
if ! "$CC" --version >/dev/null 2>&1; then
	echo "installing ccusage $CCUSAGE_VERSION from npm into $W/npm"
	rm -rf "$W/npm"
	mkdir -p "$W/npm"
	npm install --prefix "$W/npm" "ccusage@$CCUSAGE_VERSION" --no-audit --no-fund >/dev/null 2>&1
fi

HOME=$W/home
XDG_CONFIG_HOME=$HOME/.config
XDG_STATE_HOME=$HOME/.local/state
CLAUDE_CONFIG_DIR=$W/tree
CODEX_HOME=$W/none
GEMINI_DATA_DIR=$W/none
export HOME XDG_CONFIG_HOME XDG_STATE_HOME CLAUDE_CONFIG_DIR CODEX_HOME GEMINI_DATA_DIR
rm -rf "$HOME"
mkdir -p "$HOME"

now() { date +%s%N; }
ms() { echo $(( ($2 - $1) / 1000000 )); }
# mean wall time in ms of 9 runs of a command, timed as one interval
# so that starting date(1) does not count
mean9() {
	t0=$(now)
	for i in 1 2 3 4 5 6 7 8 9; do "$@" >/dev/null 2>&1; done
	t1=$(now)
	echo $(( (t1 - t0) / 9000 )) | awk '{ printf "%.1f", $1 / 1000 }'
}
# drop the page cache where we may, so the first read is not flattered
cold() { sync; echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || true; }

bytes=$(du -sb "$W/tree" | cut -f1)
files=$(find "$W/tree" -name '*.jsonl' | wc -l)
echo "tree: $bytes bytes in $files files; $(nproc) CPUs"

# warm the cache once so both tools read from memory alike
cat $(find "$W/tree" -name '*.jsonl') >/dev/null

t0=$(now); "$MA" sync --dry-run --json >"$W/ours.json" 2>/dev/null; t1=$(now)
full=$(ms "$t0" "$t1")
resync_dry=$(mean9 "$MA" sync --dry-run --json)

# upload everything to a stand-in server, then re-sync for real
KEY=modu_arena_0123abcd_0123456789abcdef0123456789abcdef
rm -f "$W/port"
"$BUILD/t/capture-server" --port-file "$W/port" --key "$KEY" &
cap=$!
trap 'kill $cap 2>/dev/null' EXIT
while [ ! -s "$W/port" ]; do sleep 0.02; done
"$MA" install --api-key "$KEY" --server "http://127.0.0.1:$(cat "$W/port")" --quiet
t0=$(now); "$MA" sync --quiet; t1=$(now)
upload=$(ms "$t0" "$t1")
resync=$(mean9 "$MA" sync --quiet)
startup=$(mean9 "$MA" --version)

t0=$(now); "$CC" session --json --offline >"$W/ccusage-session.json" 2>/dev/null; t1=$(now)
cc_session=$(ms "$t0" "$t1")
t0=$(now); "$CC" daily --json --offline >"$W/ccusage-daily.json" 2>/dev/null; t1=$(now)
cc_daily=$(ms "$t0" "$t1")

ours=$(jq -c '{inputTokens: (map(.inputTokens) | add), outputTokens: (map(.outputTokens) | add),
	cacheCreationTokens: (map(.cacheCreationTokens) | add), cacheReadTokens: (map(.cacheReadTokens) | add)}' "$W/ours.json")
theirs=$(jq -c '.totals | {inputTokens, outputTokens, cacheCreationTokens, cacheReadTokens}' "$W/ccusage-daily.json")
truth=$(jq -c '{inputTokens, outputTokens, cacheCreationTokens, cacheReadTokens}' "$W/tree.json")

echo "sessions:                          $(jq length "$W/ours.json") (ccusage session rows: $(jq '.session | length' "$W/ccusage-session.json"))"
echo "modu-arena sync --dry-run --json:  $full ms (full parse)"
echo "modu-arena re-sync, dry run:       $resync_dry ms (mean of 9; prints every pending body)"
echo "modu-arena sync (upload all):      $upload ms"
echo "modu-arena re-sync (nothing new):  $resync ms (mean of 9; $(awk "BEGIN { printf \"%.2f\", 100 * $resync / $full }")% of the full parse)"
echo "  of which process start-up:       $startup ms (modu-arena --version)"
echo "ccusage session --json:            $cc_session ms"
echo "ccusage daily --json:              $cc_daily ms"
echo "totals, modu-arena:                $ours"
echo "totals, ccusage daily:             $theirs"
echo "totals, as generated:              $truth"
[ "$ours" = "$theirs" ] && echo "equal: yes" || echo "equal: NO"
