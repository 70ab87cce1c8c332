/*
 * badge.c -- a user's badge for a README
 *
 *	GET /badge/{username}.svg	a flat badge: "modu-arena | #3 · Gold · 12.3M tokens"
 *	GET /badge/{username}.json	the same in shields.io's endpoint format
 *					(schemaVersion 1, label, message, color,
 *					cacheSeconds), for img.shields.io/endpoint
 *
 * The rank is the user's place in the latest all-time ranking, the tier
 * comes from its score, the tokens are lifetime input + output (counted
 * as the rankings count them).  A user who is not ranked yet shows
 * "unranked" and the tokens.  A private user and an unknown name get the
 * same neutral badge, byte for byte: the badge does not tell whether the
 * name exists, and a README that shows it does not break.  A name no
 * user can have is a 400; another suffix is a 404.
 *
 * Both are public and cacheable: Cache-Control public for five minutes
 * (shields' own minimum), an ETag over the body and 304 on If-None-Match.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "auth.h"
#include "conf.h"
#include "crypto.h"
#include "html.h"
#include "profile.h"
#include "ratelimit.h"
#include "replica.h"
#include "score.h"
#include "serve.h"

#define BADGE_PREFIX "/badge/"
#define BADGE_LABEL "modu-arena"
#define BADGE_MAX_AGE 300
#define BADGE_NEUTRAL "not public"

static const struct db_stmt stmts[] = {
	{ "badge",
	  "WITH p AS (SELECT period_start FROM ranking_periods"
	  "  WHERE period_type = 'all_time'"
	  "  AND period_start <= (now() AT TIME ZONE 'UTC')::date"
	  "  ORDER BY period_start DESC LIMIT 1)"
	  " SELECT r.rank_position, r.composite_score,"
	  "  (SELECT coalesce(sum(t.input_tokens + t.output_tokens), 0) FROM user_totals t"
	  "   WHERE t.user_id = u.id AND ($2::boolean OR NOT t.flagged))"
	  " FROM users u LEFT JOIN rankings r ON r.user_id = u.id"
	  "  AND r.period_type = 'all_time' AND r.period_start = (SELECT period_start FROM p)"
	  " WHERE u.username = $1 AND NOT u.privacy_mode", 2 },
	RATELIMIT_STMT,
	REPLICA_STMT,
	AUDIT_STMT,
	DB_STMT_END
};

struct badge {
	const char *message;
	const char *color;	/* for shields: a name or hex without '#' */
	const char *fill;	/* for the SVG */
};

static const struct {
	const char *tier, *color;
} tier_colors[] = {
	{ "Diamond", "4fc3f7" },
	{ "Platinum", "8ca0b3" },
	{ "Gold", "dfb317" },
	{ "Silver", "9e9e9e" },
	{ "Bronze", "cd7f32" },
};

/* 12345678 -> "12.3M": one decimal below 100 of a unit. */
static const char *tokens_short(struct arena *a, int64_t n)
{
	static const char units[] = "KMGT";
	double v = (double)n;
	int u = -1;

	if (n < 1000)
		return arena_printf(a, "%lld", (long long)n);
	while (v >= 999.95 && u < 3) {
		v /= 1000.0;
		u++;
	}
	return arena_printf(a, v < 99.95 ? "%.1f%c" : "%.0f%c", v, units[u]);
}

static void badge_of(struct arena *a, const PGresult *res, struct badge *b)
{
	const char *tokens;
	const char *tier;
	size_t i;

	b->message = BADGE_NEUTRAL;
	b->color = "lightgrey";
	b->fill = "#9f9f9f";
	if (PQntuples(res) != 1)
		return;
	tokens = tokens_short(a, db_int(res, 0, 2));
	if (PQgetisnull(res, 0, 0)) {
		b->message = arena_printf(a, "unranked \xc2\xb7 %s tokens", tokens);
		b->color = "blue";
		b->fill = "#007ec6";
		return;
	}
	tier = score_tier(strtod(PQgetvalue(res, 0, 1), NULL));
	b->message = arena_printf(a, "#%lld \xc2\xb7 %s \xc2\xb7 %s tokens",
				  (long long)db_int(res, 0, 0), tier, tokens);
	for (i = 0; i < sizeof(tier_colors) / sizeof(tier_colors[0]); i++)
		if (strcmp(tier, tier_colors[i].tier) == 0) {
			b->color = tier_colors[i].color;
			b->fill = arena_printf(a, "#%s", tier_colors[i].color);
		}
}

/* Width in pixels of s in Verdana 11 px, near enough for a badge. */
static int text_width(const char *s)
{
	const unsigned char *p;
	int w = 0;

	for (p = (const unsigned char *)s; *p; p++) {
		if ((*p & 0xC0) == 0x80)
			continue;	/* a UTF-8 continuation byte */
		if (strchr("iljI.,:;!|' ", *p))
			w += 4;
		else if (strchr("mwMW@%", *p))
			w += 11;
		else if (*p >= 'A' && *p <= 'Z')
			w += 8;
		else
			w += 7;
	}
	return w;
}

/* Text inside an SVG element: the XML escapes of html_txt. */
static void svg_text(struct buf *b, const char *s)
{
	html_txt(b, s);
}

static void svg_attr(struct buf *b, const char *s)
{
	html_attr(b, s);
}

static void write_svg(struct buf *b, const struct badge *g)
{
	int lw = text_width(BADGE_LABEL) + 10, mw = text_width(g->message) + 10;
	const char *title_fmt = BADGE_LABEL ": ";

	buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"20\""
		   " role=\"img\" aria-label=\"%s", lw + mw, title_fmt);
	svg_attr(b, g->message);
	buf_adds(b, "\">\n<title>" BADGE_LABEL ": ");
	svg_text(b, g->message);
	buf_printf(b, "</title>\n<rect width=\"%d\" height=\"20\" fill=\"#555\"/>\n"
		   "<rect x=\"%d\" width=\"%d\" height=\"20\" fill=\"", lw, lw, mw);
	svg_attr(b, g->fill);
	buf_printf(b, "\"/>\n<g fill=\"#fff\" text-anchor=\"middle\""
		   " font-family=\"Verdana,Geneva,DejaVu Sans,sans-serif\" font-size=\"11\">\n"
		   "<text x=\"%d\" y=\"14\">" BADGE_LABEL "</text>\n<text x=\"%d\" y=\"14\">",
		   lw / 2, lw + mw / 2);
	svg_text(b, g->message);
	buf_adds(b, "</text>\n</g>\n</svg>\n");
}

static void write_json(struct jsonw *w, const struct badge *g)
{
	jsonw_object(w);
	jsonw_key(w, "schemaVersion");
	jsonw_int(w, 1);
	jsonw_key(w, "label");
	jsonw_string(w, BADGE_LABEL);
	jsonw_key(w, "message");
	jsonw_string(w, g->message);
	jsonw_key(w, "color");
	jsonw_string(w, g->color);
	jsonw_key(w, "cacheSeconds");
	jsonw_int(w, BADGE_MAX_AGE);
	jsonw_end(w);
}

/* ETag and Cache-Control; a 304 when If-None-Match names the tag. */
static void cache_headers(struct req *rq)
{
	unsigned char sum[SHA256_LEN];
	char hex[2 * SHA256_LEN + 1];
	const char *tag, *inm;
	int dup = 0;

	crypto_sha256(rq->out.s, rq->out.len, sum);
	hex_encode(sum, 16, hex);
	tag = arena_printf(rq->a, "\"%.32s\"", hex);
	req_add_header(rq, "ETag", tag);
	req_add_header(rq, "Cache-Control",
		       arena_printf(rq->a, "public, max-age=%d", BADGE_MAX_AGE));
	inm = req_header(rq, "If-None-Match", &dup);
	if (inm && !dup && (strcmp(inm, tag) == 0 || strcmp(inm, "*") == 0 ||
			    (strncmp(inm, "W/", 2) == 0 && strcmp(inm + 2, tag) == 0))) {
		rq->status = 304;
		rq->content_type = NULL;
		buf_reset(&rq->out);
	}
}

static void handle_badge(struct req *rq, struct db *db)
{
	const char *rest = rq->path + strlen(BADGE_PREFIX), *dot, *name;
	const char *vals[2];
	struct badge g;
	PGresult *res;
	int svg;

	if (!ratelimit_check(db, rq, RL_PUBLIC, rq->remote_addr))
		return;
	if (strncmp(rq->path, BADGE_PREFIX, strlen(BADGE_PREFIX)) != 0 ||
	    !(dot = strrchr(rest, '.')) ||
	    (strcmp(dot, ".svg") != 0 && strcmp(dot, ".json") != 0)) {
		req_error(rq, 404, "not_found", NULL, "a badge is /badge/{username}.svg or .json");
		return;
	}
	if (*rq->query) {
		req_error(rq, 400, "unknown_parameter", NULL, "a badge takes no query parameters");
		return;
	}
	svg = strcmp(dot, ".svg") == 0;
	name = arena_strndup(rq->a, rest, (size_t)(dot - rest));
	if (!profile_username_ok(name)) {
		req_error(rq, 400, "invalid_username", "username",
			  "a username is 1 to 39 of A-Z a-z 0-9 _ -, starting with a letter or digit");
		return;
	}
	vals[0] = name;
	vals[1] = arena_conf.rank_include_flagged ? "true" : "false";
	res = db_run(replica_db(db), "badge", 2, vals);
	if (!res) {
		reply_unavailable(rq);
		return;
	}
	badge_of(rq->a, res, &g);
	PQclear(res);
	if (svg) {
		rq->status = 200;
		rq->content_type = "image/svg+xml; charset=utf-8";
		buf_reset(&rq->out);
		write_svg(&rq->out, &g);
	} else {
		write_json(req_json(rq, 200), &g);
	}
	cache_headers(rq);
}

static const struct endpoint badge_endpoint = {
	.name = "badge",
	.allow = "GET, HEAD",
	.stmts = stmts,
	.handle = handle_badge,
	.public_read = 1,
};

SERVE_MAIN(badge_endpoint)
