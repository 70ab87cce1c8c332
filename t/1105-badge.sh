#!/bin/sh
# 1105-badge.sh -- /badge/{username}.svg and .json through nginx: rank,
# tier and tokens against SQL, valid SVG (xmllint), shields.io's endpoint
# fields and nothing else, caching (ETag, 304), one neutral badge for a
# private and an unknown user alike, bad names and suffixes.
. "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}/t/lib/harness.sh"
command -v xmllint >/dev/null || skip_all "xmllint not installed (libxml2-utils)"
arena_up
. "$top_srcdir/t/lib/hosting.sh"
F=$T/body.json

for u in alice carol hidden bob; do admin user add $u >/dev/null; done
for u in alice carol hidden; do
	KEY=$(admin key issue $u)
	case $u in alice) n=5000000 ;; carol) n=1200 ;; hidden) n=90000 ;; esac
	hosting_session "$u-1" "$n" 1000
	post /api/v1/sessions "$F"
	is "$code" 201 "$u uploads"
done
"$top_builddir/cron/calculate-rankings" >/dev/null 2>&1
ok $? "rankings computed"
# bob uploads after the ranking: known, public, not ranked yet
KEY=$(admin key issue bob)
hosting_session bob-1 42 0
post /api/v1/sessions "$F"
admin user privacy hidden on >/dev/null

sql_rank() {
	arena_psql -F' ' -c "SELECT r.rank_position, CASE WHEN r.composite_score >= 800 THEN 'Diamond'
		WHEN r.composite_score >= 600 THEN 'Platinum' WHEN r.composite_score >= 400 THEN 'Gold'
		WHEN r.composite_score >= 200 THEN 'Silver' ELSE 'Bronze' END
		FROM rankings r JOIN users u ON u.id = r.user_id
		WHERE u.username = '$1' AND r.period_type = 'all_time'"
}

# --- alice: ranked
set -- $(sql_rank alice)
req GET /badge/alice.json
is "$code" 200 "alice's JSON badge: 200"
is "$(jv '.schemaVersion') $(jv .label)" "1 modu-arena" "schemaVersion 1, label"
is "$(jv .message)" "#$1 · $2 · 5.0M tokens" "message: rank, tier and tokens from SQL"
is "$(jv '[keys[] | select(. != "schemaVersion" and . != "label" and . != "message" and . != "color" and . != "cacheSeconds")] | length')" 0 \
	"no key shields would reject"
is "$(jv '.cacheSeconds >= 300')" true "cacheSeconds at least shields' 300"
like "$(header Cache-Control)" "public, max-age=300" "cacheable for five minutes"
msg=$(jv .message)
req GET /badge/alice.svg
is "$code" 200 "alice's SVG badge: 200"
like "$(header Content-Type)" "image/svg+xml" "served as image/svg+xml"
printf '%s' "$body" >"$T/alice.svg"
xmllint --noout "$T/alice.svg" 2>"$T/xml.err"
ok $? "the SVG is well-formed XML"
is "$(xmllint --xpath 'string(//*[local-name()="title"])' "$T/alice.svg")" "modu-arena: $msg" "its title says the JSON's message"
is "$(xmllint --xpath 'string((//*[local-name()="text"])[2])' "$T/alice.svg")" "$msg" "and so does its text"
is "$(xmllint --xpath 'count(//*[local-name()="rect"])' "$T/alice.svg")" 2 "two rectangles"
is "$(xmllint --xpath 'count(//*[local-name()="script"] | //@*[starts-with(local-name(), "on")])' "$T/alice.svg")" 0 "no script, no handler"
tag=$(header ETag)
req GET /badge/alice.svg -H "If-None-Match: $tag"
is "$code $body" "304 " "If-None-Match with its ETag: 304, no body"
req HEAD /badge/alice.json
is "$code" 200 "HEAD answers"

# --- carol: ranked below; bob: not ranked yet
set -- $(sql_rank carol)
req GET /badge/carol.json
is "$(jv .message)" "#$1 · $2 · 2.2K tokens" "carol's rank, tier and tokens"
req GET /badge/bob.json
is "$(jv .message) $(jv .color)" "unranked · 42 tokens blue" "a user not ranked yet: unranked and the tokens"

# --- private and unknown: the same neutral badge
for ext in svg json; do
	req GET /badge/hidden.$ext
	a="$code $body $(header ETag)"
	req GET /badge/nosuchuser.$ext
	b="$code $body $(header ETag)"
	is "$a" "$b" "$ext: a private user's badge is an unknown name's, byte for byte"
done
req GET /badge/hidden.json
is "$code $(jv .message) $(jv .color)" "200 not public lightgrey" "neutral: 200, not public, grey"
unlike "$body" 90 "nothing of the private user's numbers"
req GET /badge/hidden.svg
printf '%s' "$body" >"$T/hidden.svg"
xmllint --noout "$T/hidden.svg"
ok $? "the neutral SVG is well-formed"

# --- bad input
req GET /badge/-bad.svg
is "$code $(jv .error.code)" "400 invalid_username" "a name no user can have: 400"
req GET /badge/alice.png
is "$code" 404 "another suffix: 404"
req GET /badge/alice
is "$code" 404 "no suffix: 404"
req GET '/badge/alice.svg?style=flat'
is "$code $(jv .error.code)" "400 unknown_parameter" "a query parameter: 400"
req POST /badge/alice.svg -H 'Content-Length: 0'
is "$code" 405 "POST: 405"
req GET "/badge/$(printf 'a%.0s' $(seq 1 40)).json"
is "$code" 400 "a 40-character name: 400"
done_testing
