#!/bin/sh
# 0575-cli-sqlite.sh -- the SQLite stores (Crush, OpenCode): read only,
# never in the writer's way, read again only when changed, counted once.
. "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}/t/lib/harness.sh"
. "$top_srcdir/t/lib/cli.sh"
cli_home
command -v sqlite3 >/dev/null || skip_all "sqlite3 not installed"
now=$(date +%s)
PROJ=$CLI_T/proj/CANARYPATH
DB=$PROJ/.crush/crush.db
mkdir -p "$PROJ/.crush" "$HOME/.local/share/crush"
printf '{"projects":[{"path":"%s","data_dir":"%s/.crush","last_accessed":"2025-01-01T00:00:00Z"}]}\n' \
	"$PROJ" "$PROJ" >"$HOME/.local/share/crush/projects.json"
sqlite3 "$DB" <<SQL
PRAGMA journal_mode=WAL;
CREATE TABLE sessions (id TEXT PRIMARY KEY, parent_session_id TEXT, title TEXT NOT NULL,
 message_count INTEGER NOT NULL DEFAULT 0, prompt_tokens INTEGER NOT NULL DEFAULT 0,
 completion_tokens INTEGER NOT NULL DEFAULT 0, cost REAL NOT NULL DEFAULT 0.0,
 updated_at INTEGER NOT NULL, created_at INTEGER NOT NULL, summary_message_id TEXT);
CREATE TABLE messages (id TEXT PRIMARY KEY, session_id TEXT NOT NULL, role TEXT NOT NULL,
 parts TEXT NOT NULL DEFAULT '[]', model TEXT, created_at INTEGER NOT NULL,
 updated_at INTEGER NOT NULL, finished_at INTEGER, provider TEXT);
INSERT INTO sessions VALUES ('cr-1', NULL, 'CANARY title', 2, 5000, 700, 0.02, $((now - 3000)), $((now - 3600)), NULL);
INSERT INTO messages VALUES ('m1', 'cr-1', 'user', '[{"type":"text","data":{"text":"CANARY_PROMPT"}}]', NULL, $((now - 3600)), $((now - 3600)), NULL, NULL);
INSERT INTO messages VALUES ('m2', 'cr-1', 'assistant', '[]', 'gpt-4.1', $((now - 3500)), $((now - 3000)), $((now - 3000)), 'openai');
SQL

before=$(cat "$DB" "$DB-wal" 2>/dev/null | sha256sum)
out=$(ma sync --dry-run --json 2>/dev/null)
ok $? "a dry run reads the Crush store"
is "$(printf %s "$out" | jq -c '.[] | [.toolType, .sessionId, .inputTokens, .outputTokens, .turnCount, .modelName]')" \
	'["crush","cr-1",5000,700,1,"gpt-4.1"]' "a Crush session: prompt as input, completion as output, its model and turns"
is "$(cat "$DB" "$DB-wal" 2>/dev/null | sha256sum)" "$before" "the database and its log are byte for byte unchanged"
ok "$( [ ! -e "$DB-journal" ] && echo 0 || echo 1)" "no rollback journal was created"
unlike "$out" "CANARY" "no title, prompt or path is sent"

err=$(ma sync --dry-run 2>&1 >/dev/null)
like "$err" "Read 0 bytes from 0 of 1 log files" "an unchanged store is not queried again"

# the tool keeps writing while we read: its write lock does not stop us,
# and ours (a read) does not stop it
(printf "BEGIN IMMEDIATE;\nUPDATE sessions SET prompt_tokens = 9000, completion_tokens = 900, updated_at = %s WHERE id = 'cr-1';\n" "$((now - 60))"
 sleep 2; printf 'COMMIT;\n') | sqlite3 "$DB" &
w=$!
sleep 0.5
out=$(ma sync --dry-run --json 2>/dev/null)
ok $? "sync reads while the tool holds its write lock"
is "$(printf %s "$out" | jq -c '.[0].inputTokens')" 5000 "and sees the last committed state"
wait $w
ok $? "the writer commits: it was never locked out"
out=$(ma sync --dry-run --json 2>/dev/null)
is "$(printf %s "$out" | jq -c '.[] | [.inputTokens, .outputTokens]')" '[9000,900]' \
	"grown totals replace the session's entry, they are not added to it"

# a reader holding a long read transaction does not stop the tool either
(printf 'BEGIN; SELECT count(*) FROM sessions;\n'; sleep 2; printf 'COMMIT;\n') | sqlite3 "$DB" >/dev/null &
r=$!
sqlite3 "$DB" "INSERT INTO messages VALUES ('m3', 'cr-1', 'user', '[]', NULL, $((now - 50)), $((now - 50)), NULL, NULL)"
ok $? "the tool writes while another reader is open"
wait $r
is "$(ma sync --dry-run --json 2>/dev/null | jq -c '.[0].turnCount')" 2 "its new message is seen at the next sync"

# not a database: reported, the rest still counted
mkdir -p "$CLI_T/bad/.crush"
echo "CANARY not a database" >"$CLI_T/bad/.crush/crush.db"
err=$(CRUSH_DATA_DIRS="$CLI_T/bad/.crush, $PROJ/.crush" ma sync --dry-run --json 2>&1 >/dev/null)
like "$err" "crush.db" "a broken store is named in a warning"
is "$(CRUSH_DATA_DIRS="$CLI_T/bad/.crush,$PROJ/.crush" ma sync --dry-run --json 2>/dev/null | jq length)" 1 \
	"and the good one is still read"

# OpenCode's older tree of message files
OC=$HOME/.local/share/opencode/storage/message/ses_old
mkdir -p "$OC"
ms=$(( (now - 1800) * 1000 ))
printf '{"id":"msg_u1","role":"user","sessionID":"ses_old","time":{"created":%s}}\n' "$ms" >"$OC/msg_u1.json"
printf '{"id":"msg_a1","role":"assistant","sessionID":"ses_old","modelID":"gpt-5","time":{"created":%s},"tokens":{"input":100,"output":20,"reasoning":5,"cache":{"read":300,"write":0}}}\n' \
	"$((ms + 5000))" >"$OC/msg_a1.json"
s=$(ma sync --dry-run --json 2>/dev/null | jq -c '.[] | select(.toolType == "opencode") | [.sessionId, .inputTokens, .outputTokens, .cacheReadTokens, .turnCount]')
is "$s" '["ses_old",100,25,300,1]' "OpenCode message files: one session, reasoning counted as output"
printf '{"id":"msg_a1","role":"assistant","sessionID":"ses_old","modelID":"gpt-5","time":{"created":%s},"tokens":{"input":100,"output":40,"reasoning":5,"cache":{"read":300,"write":0}}}\n' \
	"$((ms + 5000))" >"$OC/msg_a1.json"
s=$(ma sync --dry-run --json 2>/dev/null | jq -c '.[] | select(.toolType == "opencode") | [.outputTokens, .turnCount]')
is "$s" '[45,1]' "a message file rewritten with more output replaces its count"

# with opencode.db present, the database is read and the old tree is not
sqlite3 "$HOME/.local/share/opencode/opencode.db" <"$top_srcdir/t/fixtures/parity/opencode/opencode.sql"
s=$(ma sync --dry-run --json --since 2025-01-01 2>/dev/null | jq -c '[.[] | select(.toolType == "opencode") | .sessionId] | sort')
is "$s" '["ses_oc1","ses_oc2","ses_old"]' "the database is read; what the old tree counted stays"
done_testing
