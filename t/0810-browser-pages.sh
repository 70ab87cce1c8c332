#!/bin/sh
# 0810-browser-pages.sh -- the leaderboard and a profile in Debian's
# chromium, in the four languages at 375 and 1280 px: no console error, no
# CSP violation, no WCAG 2 A/AA violation found by axe-core in light and
# dark, no sideways scroll, every same-origin link resolves, the language
# switcher works with JavaScript off; screenshots in t/screenshots of the
# build directory.  The checks are in t/browser/pages.js.
#
# Users are uploaded through the real batch endpoint and ranked by
# calculate-rankings: one with a year of activity (the profile checked),
# a few with a week, one private, one with the longest name allowed.
. "$top_srcdir/t/lib/harness.sh"
. "$top_srcdir/t/lib/sessions.sh"
command -v node >/dev/null || { echo "Bail out! node is missing: run script/test"; exit 1; }
ARENA_ANOMALY_FACTOR=1000000
ARENA_BACKFILL_DAYS=400
export ARENA_ANOMALY_FACTOR ARENA_BACKFILL_DAYS
arena_up

# ago DAYS [HOURS]: an RFC 3339 time that long before now
ago() { date -u -d "-$1 days -${2:-1} hours" +%FT%TZ; }

admin user add yearlong --avatar-url https://avatars.githubusercontent.com/u/1 >/dev/null
for u in ana bora chen dai emi; do
	admin user add "$u" --avatar-url "https://avatars.githubusercontent.com/u/$(printf %s "$u" | cksum | cut -c1-6)" >/dev/null
done
admin user add quiet >/dev/null
admin user add a-rather-long-username-of-39-characters >/dev/null
admin user add hidden >/dev/null
admin user privacy hidden on >/dev/null

# a year: every third day, more on weekdays, and today
for d in $(seq 363 -3 0); do
	sess yearlong "y$d" "$(ago "$d" $((1 + d % 9)))" $((20000 + d * 300)) $((3000 + d * 40)) $((600 + d * 7))
done
n=1
for u in ana bora chen dai emi quiet a-rather-long-username-of-39-characters hidden; do
	for d in $(seq 6 -1 0); do
		[ $(((d + n) % 3)) = 0 ] && continue
		sess "$u" "$u$d" "$(ago "$d" $((n % 5 + 1)))" $((5000 * n + d * 700)) $((900 * n)) $((300 * n))
	done
	n=$((n + 1))
done
load_sessions
"$top_builddir/cron/calculate-rankings" >/dev/null || { echo "Bail out! calculate-rankings failed"; exit 1; }

node "$top_srcdir/t/browser/pages.js" "$ARENA_URL" yearlong
