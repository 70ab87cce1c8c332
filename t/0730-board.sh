#!/bin/sh
# 0730-board.sh -- the leaderboard page in four languages, read with
# libxml2's HTML parser (xmllint --html) and compared number by number
# with GET /api/leaderboard, GET /api/stats/global and SQL; language
# negotiation at `/`, the switcher, pagination, masking, headers, static
# assets, and bad input answered in the visitor's language.
#
# 60 users are loaded through the real batch endpoint with sessions that
# ended today (two hours ago, or now just after midnight), some
# also 3 and 10 days ago, then cron/calculate-rankings ranks them.
. "$top_srcdir/t/lib/harness.sh"
. "$top_srcdir/t/lib/sessions.sh"
command -v xmllint >/dev/null || skip_all "xmllint (libxml2-utils) not installed"
arena_up

# --- data: times relative to now, all of today's in today's UTC day
today=$(date -u +%F)
recent=$(date -u -d '-2 hours' +%FT%TZ)
[ "${recent%T*}" = "$today" ] || recent=$(date -u +%FT%TZ)
d3=$(date -u -d '-3 days' +%FT%TZ)
d10=$(date -u -d '-10 days' +%FT%TZ)

for k in $(seq 1 60); do
	case $k in
	60) admin user add "u$k" --avatar-url "https://avatars.githubusercontent.com/u/4242" >/dev/null ;;
	59) admin user add "u$k" --avatar-url "https://avatars.example.org/u59.png" >/dev/null ;;
	*) admin user add "u$k" >/dev/null ;;
	esac
	sess "u$k" "t$k" "$recent" $((1000 * k + 7)) $((900 * k + 3 * (k % 7)))
	[ $((k % 3)) = 0 ] && sess "u$k" "a$k" "$d3" $((5000 * k)) $((2000 * k))
	[ $((k % 5)) = 0 ] && sess "u$k" "b$k" "$d10" $((300 * k)) $((100 * k))
done
admin user add idle >/dev/null
load_sessions
# u58 ranks high and keeps its place, masked
admin user privacy u58 on >/dev/null
"$top_builddir/cron/calculate-rankings" >/dev/null
is $? 0 "calculate-rankings ran"

# xp FILE XPATH: the XPath result (errors about HTML5 tags silenced)
xp() { xmllint --html --xpath "$2" "$1" 2>/dev/null; }
# vals FILE XPATH-TO-ATTRIBUTES: one value a line
vals() { xp "$1" "$2" | sed -n 's/^ *[a-z-]*="\(.*\)"$/\1/p'; }
# get PATH [curl args]: the page into $T/page.html, sets code/headers
get() {
	p=$1
	shift
	req GET "$p" "$@"
	printf '%s' "$body" >"$T/page.html"
}
H=$T/page.html

# --- the English board at `/`, page 1, compared with the JSON
get /
is "$code" 200 "GET / answers 200"
is "$(xp "$H" 'string(/html/@lang)')" en "<html lang=en>"
req GET '/api/leaderboard?period=weekly&limit=50&offset=0'
printf '%s' "$body" >"$T/lb.json"
is "$(jq -r '.pagination.total' "$T/lb.json")" 60 "60 participants this week"
jq -r '.data[] | [.rank, .username, .tier, .streak, .compositeScore, .totalTokens,
	.sessionCount, .efficiencyScore, .isPrivate] | @tsv' "$T/lb.json" >"$T/json.tsv"
get /
rows=$(xp "$H" 'count(//table[@id="board"]/tbody/tr)')
is "$rows" 50 "50 rows on the first page"
page_tsv() {	# the board's rows as the JSON's tsv: numbers from data-value
	f=$1
	vals "$f" '//tbody/tr/@data-rank' >"$T/c1"
	xp "$f" '//tbody/tr/th//text()' >"$T/c2"
	vals "$f" '//tbody/tr/td/span[contains(@class,"tier")]/@data-value' >"$T/c3"
	for c in streak score tokens sessions efficiency; do
		vals "$f" "//tbody/tr/td[contains(@class,\"$c\")]/@data-value" >"$T/c_$c"
	done
	vals "$f" '//tbody/tr/@data-private' >"$T/c_private"
	paste "$T/c1" "$T/c2" "$T/c3" "$T/c_streak" "$T/c_score" "$T/c_tokens" "$T/c_sessions" \
		"$T/c_efficiency" "$T/c_private" |
		awk -F'\t' -v OFS='\t' '{ $5 = sprintf("%g", $5); $8 = sprintf("%g", $8); print }'
}
json_norm() {	# the JSON tsv with numbers written as awk's %g
	awk -F'\t' -v OFS='\t' '{ $5 = sprintf("%g", $5); $8 = sprintf("%g", $8); print }' "$1"
}
page_tsv "$H" >"$T/page.tsv"
json_norm "$T/json.tsv" >"$T/json.norm"
cmp -s "$T/page.tsv" "$T/json.norm"
ok $? "every row of page 1 equals GET /api/leaderboard (rank, name, tier, streak, score, tokens, sessions, efficiency, privacy)"
[ -s "$T/page.tsv" ] || ok 1 "the page had rows"
diff "$T/page.tsv" "$T/json.norm" | head -5 | sed 's/^/# /'

# the same rows from SQL
arena_psql -F"$(printf '\t')" -c "SELECT r.rank_position, CASE WHEN u.privacy_mode
	THEN 'Anonymous #' || r.rank_position ELSE u.username END, r.streak,
	r.total_tokens, r.session_count FROM rankings r JOIN users u ON u.id = r.user_id
	WHERE r.period_type = 'weekly' AND r.period_start = (SELECT max(period_start) FROM
	ranking_periods WHERE period_type = 'weekly' AND period_start <= CURRENT_DATE)
	ORDER BY r.composite_score DESC, r.user_id LIMIT 50" >"$T/sql.tsv"
cut -f1,2,4,6,7 "$T/page.tsv" >"$T/page5.tsv"
cmp -s "$T/page5.tsv" "$T/sql.tsv"
ok $? "rank, name, streak, tokens and sessions equal the rankings table"

# displayed text is the data-value, formatted for English
shown=$(xp "$H" 'string((//tbody/tr)[1]/td[contains(@class,"sessions")])')
raw=$(vals "$H" '(//tbody/tr)[1]/td[contains(@class,"sessions")]/@data-value')
is "$(printf %s "$shown" | tr -d ,)" "$raw" "sessions shown grouped: $shown"
shown=$(xp "$H" 'string((//tbody/tr)[1]/td[contains(@class,"score")])')
raw=$(vals "$H" '(//tbody/tr)[1]/td[contains(@class,"score")]/@data-value')
is "$(printf %s "$shown" | tr -d ,)" "$raw" "score shown with two decimals: $shown"
shown=$(xp "$H" 'string((//tbody/tr)[1]/td[contains(@class,"efficiency")])')
raw=$(vals "$H" '(//tbody/tr)[1]/td[contains(@class,"efficiency")]/@data-value')
is "$shown" "$(awk -v v="$raw" 'BEGIN { printf "%.2f%%", v * 100 }')" "efficiency shown as a percentage: $shown"

# --- page 2 equals offset 50
get '/?page=2'
is "$code" 200 "page 2 answers 200"
req GET '/api/leaderboard?period=weekly&limit=50&offset=50'
printf '%s' "$body" | jq -r '.data[] | [.rank, .username, .tier, .streak, .compositeScore,
	.totalTokens, .sessionCount, .efficiencyScore, .isPrivate] | @tsv' >"$T/json2.tsv"
page_tsv "$H" >"$T/page2.tsv"
json_norm "$T/json2.tsv" >"$T/json2.norm"
is "$(wc -l <"$T/page2.tsv")" 10 "page 2 has the last 10 rows"
cmp -s "$T/page2.tsv" "$T/json2.norm"
ok $? "page 2 equals offset=50 of the JSON"
is "$(xp "$H" 'string(//nav[@class="pager"]//a[@rel="prev"]/@href)')" "/?period=weekly" "page 2 links back to page 1"
get /
is "$(xp "$H" 'string(//nav[@class="pager"]//a[@rel="next"]/@href)')" "/?period=weekly&page=2" "page 1 links to page 2"
get '/?page=3'
is "$code" 404 "page 3 of 2 is a 404 page"
like "$(xp "$H" 'string(//p[@class="problem"])')" "only 2 pages" "it says there are only 2 pages"

# --- masking, exactly as the JSON
prow=$(jq -r '.data[] | select(.isPrivate) | .rank' "$T/lb.json" | head -1)
ok $([ -n "$prow" ] && echo 0 || echo 1) "the private user is on page 1 (rank $prow)"
get /
is "$(xp "$H" "string(//tbody/tr[@data-rank=\"$prow\" and @data-private='true']/th)")" "Anonymous #$prow" \
	"the private row is named Anonymous #$prow"
is "$(xp "$H" "count(//tbody/tr[@data-private='true']/th//a)")" 0 "no link on a private row"
is "$(xp "$H" "count(//tbody/tr[@data-private='true']//img)")" 0 "no avatar picture on a private row"
unlike "$body" ">u58<" "the private user's name appears nowhere"
unlike "$body" "/users/u58" "no link to the private user's profile"

# --- avatars and links
is "$(xp "$H" 'string(//tbody/tr[th/a="u60"]//img/@src)')" "https://avatars.githubusercontent.com/u/4242" \
	"a GitHub avatar is shown"
is "$(xp "$H" 'count(//tbody/tr[th/a="u59"]//img)')" 0 "an avatar on another host is not (the CSP would block it)"
is "$(xp "$H" 'string(//tbody/tr[th/a="u59"]//span[contains(@class,"avatar")])')" U "it gets the initial"
is "$(xp "$H" 'string(//tbody/tr[th/a="u60"]/th/a/@href)')" /users/u60 "a name links to its profile"

# --- the global figures equal /api/stats/global and SQL
req GET /api/stats/global
is "$code" 200 "GET /api/stats/global answers 200"
is "$(header Content-Type)" "application/json; charset=utf-8" "it is JSON"
printf '%s' "$body" >"$T/stats.json"
sj() { jq -r "$1" "$T/stats.json"; }
is "$(sj .users)" "$(arena_psql -c 'SELECT count(*) FROM users')" "users equal SQL (61 with the idle one)"
is "$(sj .sessions)" "$(arena_psql -c 'SELECT count(*) FROM sessions WHERE NOT flagged')" \
	"sessions equal the stored sessions"
is "$(sj .tokens.input)" "$(arena_psql -c 'SELECT sum(input_tokens) FROM sessions WHERE NOT flagged')" \
	"input tokens equal SQL"
is "$(sj .tokens.output)" "$(arena_psql -c 'SELECT sum(output_tokens) FROM sessions WHERE NOT flagged')" \
	"output tokens equal SQL"
is "$(sj '.tokens.input + .tokens.output + .tokens.cacheCreation + .tokens.cacheRead')" "$(sj .tokens.total)" \
	"total is the sum of the four kinds"
is "$(sj .activeUsers.last1Day)" 60 "60 active today"
is "$(sj .activeUsers.last7Days)" 60 "60 active in 7 days"
is "$(sj .activeUsers.last30Days)" "$(arena_psql -c "SELECT count(DISTINCT user_id) FROM sessions
	WHERE ended_at >= CURRENT_DATE - 29")" "active in 30 days equals SQL"
get /
for f in users:.users sessions:.sessions tokens:.tokens.total active1:.activeUsers.last1Day \
	active7:.activeUsers.last7Days active30:.activeUsers.last30Days; do
	is "$(xp "$H" "string(//data[@id=\"stat-${f%%:*}\"]/@value)")" "$(sj "${f#*:}")" \
		"the header's ${f%%:*} equals the JSON"
done
is "$(xp "$H" 'string(//data[@id="stat-users"])')" "$(sj .users)" "users shown as a number"
req GET '/api/stats/global?x=1'
is "$code" 400 "stats with a parameter: 400"
is "$(jv .error.code)" unknown_parameter "as JSON: unknown_parameter"

# --- each language: same numbers, its own words and formats
for l in ko ja zh; do
	get "/$l/"
	is "$code" 200 "/$l/ answers 200"
	is "$(xp "$H" 'string(/html/@lang)')" "$l" "/$l/ is <html lang=$l>"
	page_tsv "$H" | cut -f1,2,4-9 >"$T/l.tsv"
	cut -f1,2,4-9 "$T/json.norm" >"$T/j.tsv"
	cmp -s "$T/l.tsv" "$T/j.tsv"
	ok $? "/$l/: every number equals the JSON"
	is "$(header Vary)" "" "/$l/ has no Vary"
	is "$(xp "$H" 'string(//data[@id="stat-users"]/@value)')" "$(sj .users)" "/$l/ header figures"
	is "$(xp "$H" 'string(//tbody/tr[th/a="u60"]/th/a/@href)')" "/$l/users/u60" \
		"/$l/: names link to the profile in $l"
done
get /ko/
is "$(xp "$H" 'string(//h1)')" "리더보드" "Korean heading"
is "$(xp "$H" 'string(//tbody/tr[1]/td/span[contains(@class,"tier")])')" \
	"$(jq -r '{"Diamond":"다이아몬드","Platinum":"플래티넘","Gold":"골드","Silver":"실버","Bronze":"브론즈"}[.data[0].tier]' "$T/lb.json")" \
	"the tier in Korean"
tok=$(jq -r '.data[0].totalTokens' "$T/lb.json")
ko_tok=$(xp "$H" 'string(//tbody/tr[1]/td[contains(@class,"tokens")])')
if [ "$tok" -ge 10000 ]; then like "$ko_tok" "만" "tokens compact in 만: $ko_tok"; else ok 0 "small"; fi
get /ja/
like "$(xp "$H" 'string(//p[@class="period"]/span[@id="range"])')" "年" "Japanese dates: $(xp "$H" 'string(//span[@id="range"])')"

# --- negotiation at `/` only
req GET / -H 'Accept-Language: ja;q=0.1, ko;q=0.9'
is "$code" 302 "ja;q=0.1, ko;q=0.9: 302"
is "$(header Location)" /ko/ "to /ko/"
is "$(header Vary)" "Accept-Language, Cookie" "Vary: Accept-Language, Cookie on the redirect"
req GET / -H 'Accept-Language: zh-Hant-TW,zh;q=0.9'
is "$(header Location)" /zh/ "zh-Hant-TW goes to /zh/"
req GET '/?period=daily' -H 'Accept-Language: ja'
is "$(header Location)" "/ja/?period=daily" "the period is kept on the redirect"
req GET / -H 'Accept-Language: fr-FR, de;q=0.8'
is "$code" 200 "French: the English page"
is "$(header Vary)" "Accept-Language, Cookie" "Vary on the English page at /"
req GET / -H 'Accept-Language: ko' -H 'Cookie: lang=ja'
is "$(header Location)" /ja/ "the lang cookie beats Accept-Language"
req GET / -H 'Accept-Language: ko' -H 'Cookie: lang=en'
is "$code" 200 "lang=en cookie beats Accept-Language: ko"
is "$(printf %s "$body" | grep -c '<html lang="en">')" 1 "and the page is English"
req GET /ko -H 'Accept-Language: ja'
is "$code" 301 "/ko without its slash: 301"
is "$(header Location)" /ko/ "to /ko/"

# --- the switcher: a plain link that sets the cookie
get /
href=$(xp "$H" 'string(//nav[@class="langs"]//a[@hreflang="ja"]/@href)')
is "$href" "/lang?to=ja&next=%2F" "the switcher's link to Japanese"
req GET "$href"
is "$code" 302 "the switcher redirects"
is "$(header Location)" /ja/ "to /ja/"
like "$(header Set-Cookie)" "lang=ja; Path=/" "and sets the lang cookie"
req GET '/lang?to=en&next=%2F%3Fperiod%3Dmonthly'
is "$(header Location)" "/?period=monthly" "to English with the query kept"
req GET '/lang?to=ko&next=%2F%2Fevil.example'
is "$code" 400 "an off-site next is refused"
req GET '/lang?to=xx&next=%2F'
is "$code" 400 "an unknown language is refused"

# --- headers, markup rules, head tags
get /ko/
csp=$(header Content-Security-Policy)
is "$csp" "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data: https://avatars.githubusercontent.com; form-action 'self'; base-uri 'none'; frame-ancestors 'none'" \
	"the strict CSP"
unlike "$csp" "unsafe-inline" "no unsafe-inline"
is "$(header Content-Type)" "text/html; charset=utf-8" "text/html; charset=utf-8"
unlike "$body" "style=" "no style= attribute"
is "$(xp "$H" 'count(//script[not(@src)])')" 0 "no inline script"
is "$(xp "$H" 'count(//*[@onclick or @onload or @onerror or @onmouseover])')" 0 "no inline event handlers"
is "$(xp "$H" 'count(//link[@rel="alternate" and @hreflang])')" 5 "four hreflang alternates and x-default"
like "$(xp "$H" 'string(//link[@hreflang="x-default"]/@href)')" "$ARENA_URL/" "x-default is the English page"
is "$(xp "$H" 'string(//link[@hreflang="ja"]/@href)')" "$ARENA_URL/ja/" "hreflang ja"
like "$(xp "$H" 'string(//title)')" "리더보드" "a Korean title"
for m in og:title og:description og:url og:image og:locale; do
	ok $([ -n "$(xp "$H" "string(//meta[@property=\"$m\"]/@content)")" ] && echo 0 || echo 1) "$m"
done
is "$(xp "$H" 'string(//meta[@property="og:locale"]/@content)')" ko_KR "og:locale ko_KR"
is "$(xp "$H" 'string(//meta[@name="twitter:card"]/@content)')" summary_large_image "twitter:card"
og=$(xp "$H" 'string(//meta[@property="og:image"]/@content)')
curl -s -D "$T/og.h" -o "$T/og.png" "$og"
is "$(head -c 8 "$T/og.png" | od -An -tx1 | tr -d ' \n')" 89504e470d0a1a0a "og:image is a PNG"
like "$(tr -d '\r' <"$T/og.h")" "Cache-Control: public, max-age=31536000, immutable" "served immutable"
css=$(xp "$H" 'string(//link[@rel="stylesheet"]/@href)')
req GET "$css"
is "$code" 200 "the stylesheet $css"
is "$(header Content-Type)" text/css "as text/css"
like "$body" "prefers-color-scheme: dark" "with a dark scheme"
is "$(header Cache-Control)" "public, max-age=31536000, immutable" "immutable"
js=$(xp "$H" 'string(//script/@src)')
req GET "$js"
is "$code" 200 "the script $js"
req GET /static/arena.css
is "$code" 404 "an unhashed name is not served"
req HEAD /ko/
is "$code" 200 "HEAD /ko/"
get /ja/
etag=$(header ETag)
like "$etag" '"' "the page has an ETag"
is "$(header Cache-Control)" "public, max-age=30" "and is public for 30 s"
req GET /ja/ -H "If-None-Match: $etag"
is "$code" 304 "If-None-Match with it: 304"

# --- bad input: a 4xx page in the visitor's language, nothing reflected raw
bad() {	# bad PATH STATUS LANG WORDS NAME [curl args]
	bp=$1 bs=$2 bl=$3 bw=$4 bn=$5
	shift 5
	get "$bp" "$@"
	is "$code" "$bs" "$bn: $bs"
	is "$(xp "$H" 'string(/html/@lang)')" "$bl" "$bn: in $bl"
	like "$(xp "$H" 'string(//p[@class="problem"])')" "$bw" "$bn: names the problem"
	is "$(header Content-Security-Policy | grep -c "script-src 'self'")" 1 "$bn: the page CSP"
}
bad '/?period=yearly' 400 en "Unknown period" "unknown period"
bad '/ko/?period=yearly' 400 ko "알 수 없는 기간" "unknown period in Korean"
bad '/?period=yearly' 400 ja "不明な期間" "unknown period, Japanese cookie" -H 'Cookie: lang=ja'
bad '/?period=yearly' 400 zh "未知的周期" "unknown period, Accept-Language zh" -H 'Accept-Language: zh-CN'
bad '/ja/?page=abc' 400 ja "ページ番号" "page not a number"
bad '/zh/?page=0' 400 zh "页码" "page 0"
bad '/?page=99999999999999999999' 400 en "whole number" "a huge page"
bad '/?page=-1' 400 en "whole number" "a negative page"
bad '/ko/?period=daily&period=weekly' 400 ko "두 번 이상" "a repeated parameter"
bad '/ko/?x=1' 400 ko "매개변수" "an unknown parameter"
bad '/?period=%00' 400 en "malformed" "%00"
bad '/ja/?%3Cscript%3Ealert(1)%3C/script%3E=1' 400 ja "パラメータ" "markup as a parameter name"
unlike "$body" "<script>alert" "markup is not reflected"
like "$body" "&lt;script&gt;alert(1)&lt;/script&gt;" "it is shown escaped"
bad '/?period=%3Cb%3Ex%3C%2Fb%3E' 400 en "Unknown period" "markup as a value"
unlike "$body" "<b>x" "the value is not reflected"
bad '/?period=%FF%FE' 400 en "Unknown period" "invalid UTF-8"
bad '/nowhere' 404 en "no page" "an unknown path"
bad '/ko/nowhere' 404 ko "페이지가 없습니다" "an unknown path under /ko/"
bad '/ko/%2e%2e/' 400 ko "형식의 주소" "an escaped dot segment, in the prefix's language" --path-as-is
bad '//?period=daily' 400 ja "アドレス" "a doubled slash, in the cookie's language" --path-as-is -H 'Cookie: lang=ja'
bad / 405 en "GET" "POST /" -X POST -d x=1
is "$(header Allow)" "GET, HEAD" "the 405 page carries Allow"
req POST /api/stats/global -d x=1
is "$(jv .error.code)" method_not_allowed "POST /api/stats/global: a JSON 405"
req GET "/?period=$(head -c 10240 /dev/zero | tr '\0' a)"
ok $([ "$code" -ge 400 ] && [ "$code" -lt 500 ] && echo 0 || echo 1) "10 KB of input: a 4xx ($code)"
req GET '/api/leaderboard?period=yearly'
is "$(jv .error.code)" invalid_parameter "the JSON leaderboard still answers JSON errors"
is "$(header Content-Security-Policy)" "default-src 'none'; frame-ancestors 'none'" "and keeps its own CSP"

# --- the micro-cache: prefixed pages cached, `/` keyed by cookie and language
req GET /zh/
req GET /zh/
is "$(header X-Cache)" HIT "a second /zh/ within a second is a cache hit"
req GET / -H 'Accept-Language: ko'
req GET / -H 'Accept-Language: fr'
is "$code" 200 "a cached Korean redirect is not served to a French visitor"

done_testing
