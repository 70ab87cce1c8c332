#!/bin/sh
# 0820-browser-accounts.sh -- an account's whole life in Debian's chromium,
# signed in through the stand-in GitHub: sign in from the header, the
# dashboard (no console error, no CSP violation, no WCAG 2 A/AA violation
# found by axe-core in light and dark, no sideways scroll at 375 and
# 1280 px), privacy by the settings form, a key created on the page and
# used with /api/v1/verify and the batch endpoint, revoked, the export
# downloaded, sign-out, and deletion by typing the username, after which
# the profile is gone and the next ranking no longer lists the account.
# The steps are in t/browser/accounts.js.
. "$top_srcdir/t/lib/harness.sh"
. "$top_srcdir/t/lib/accounts.sh"
command -v node >/dev/null || { echo "Bail out! node is missing: run script/test"; exit 1; }
accounts_up
gh_user 4711042 octo-browser "Octo Browser"

node "$top_srcdir/t/browser/accounts.js" "$ARENA_URL" "$GH_URL" octo-browser
