/*
 * profile.c -- public profiles
 *
 *	GET /api/users/{username}[?tz=Area/City]	the profile as JSON
 *	GET /users/{username}[?tz=...]			the page (ui-profile.c),
 *	GET /ko/users/{username}, /ja/..., /zh/...	 in four languages
 *
 * Everything comes from lib/profile.h in one struct, so every number
 * here is the one the profile page shows.  The field names follow the
 * original system's PublicUserProfile (stats, tokenBreakdown, modelUsage,
 * dailyActivity, hourlyActivity, dayOfWeekActivity with 0 = Sunday,
 * streak, codeMetrics, toolUsage, vibeStyle, agentBreakdown), with what
 * it lacked added beside them (tier, rankings, heatmap, time zone).
 *
 * A private user and an unknown one get the same 404, byte for byte
 * but for the request id.  A name that no user can have is a 400, as is
 * an unknown time zone or query parameter; no error echoes the input.
 */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "auth.h"
#include "conf.h"
#include "page.h"
#include "profile.h"
#include "ratelimit.h"
#include "replica.h"
#include "serve.h"
#include "timeutil.h"
#include "ui-profile.h"

#define API_PREFIX "/api/users/"
#define PAGE_PREFIX "/users/"

static const struct db_stmt stmts[] = {
	PROFILE_STMTS,
	RATELIMIT_STMT,
	REPLICA_STMT,
	AUDIT_STMT,
	DB_STMT_END
};

static const char *const params[] = { "tz", NULL };

/* Reads ?tz; 0, or -1 with a 400 (or 503) set. */
static int read_params(struct req *rq, struct db *db, const char **tz)
{
	const char *bad, *v;
	int ok;

	if (req_query_only(rq, params, &bad)) {
		if (!bad)
			req_error(rq, 400, "invalid_query", NULL, "the query string is malformed");
		else if (strcmp(bad, "tz") == 0 && profile_query_count(rq->query, "tz") > 1)
			req_error(rq, 400, "duplicate_parameter", "tz",
				  "query parameter 'tz' is given more than once");
		else if (strcmp(bad, "tz") == 0)
			req_error(rq, 400, "invalid_query", "tz",
				  "the value of tz cannot be decoded");
		else
			req_error(rq, 400, "unknown_parameter",
				  arena_strndup(rq->a, bad, strnlen(bad, 64)),
				  "unknown query parameter; allowed: tz");
		return -1;
	}
	*tz = "UTC";
	if (req_query(rq, "tz", &v) != 0)
		return 0;
	ok = profile_tz_check(db, v);
	if (ok < 0) {
		reply_unavailable(rq);
		return -1;
	}
	if (!ok) {
		req_error(rq, 400, "invalid_time_zone", "tz",
			  "tz must be an IANA time zone name such as Asia/Seoul");
		return -1;
	}
	*tz = v;
	return 0;
}

static void write_tokens(struct jsonw *w, const struct profile_tokens *t)
{
	jsonw_key(w, "inputTokens");
	jsonw_int(w, t->input);
	jsonw_key(w, "outputTokens");
	jsonw_int(w, t->output);
	jsonw_key(w, "cacheCreationTokens");
	jsonw_int(w, t->cache_write);
	jsonw_key(w, "cacheReadTokens");
	jsonw_int(w, t->cache_read);
}

static void write_money(struct jsonw *w, int64_t nano)
{
	jsonw_fixed(w, (double)profile_cents(nano) / 100.0, 2);
}

/* A ratio rounded half up to `dec` decimals; null when d is 0. */
static void write_ratio(struct jsonw *w, int64_t n, int64_t d, int dec)
{
	int64_t scale = dec == 1 ? 10 : 100;

	if (d <= 0)
		jsonw_null(w);
	else
		jsonw_fixed(w, (double)profile_div(n, d, scale) / (double)scale, dec);
}

static void write_stats(struct jsonw *w, const struct profile *p)
{
	const struct profile_rank *all = &p->rank[PERIOD_ALL_TIME];

	jsonw_key(w, "stats");
	jsonw_object(w);
	jsonw_key(w, "totalTokens");
	jsonw_int(w, p->total.input + p->total.output);
	jsonw_key(w, "totalSessions");
	jsonw_int(w, p->sessions);
	jsonw_key(w, "currentRank");
	if (all->ranked)
		jsonw_int(w, all->position);
	else
		jsonw_null(w);
	jsonw_key(w, "compositeScore");
	jsonw_fixed(w, p->score, 2);
	jsonw_key(w, "inputTokens");
	jsonw_int(w, p->total.input);
	jsonw_key(w, "outputTokens");
	jsonw_int(w, p->total.output);
	jsonw_key(w, "cacheTokens");
	jsonw_int(w, p->total.cache_write + p->total.cache_read);
	jsonw_key(w, "avgSessionSeconds");
	jsonw_int(w, profile_div(p->duration_s, p->sessions, 1));
	jsonw_key(w, "avgTurnsPerSession");
	write_ratio(w, p->turns, p->sessions, 1);
	jsonw_end(w);
}

static void write_rankings(struct jsonw *w, const struct profile *p)
{
	static const char *const keys[PERIOD_N] = { "daily", "weekly", "monthly", "allTime" };
	int k;

	jsonw_key(w, "rankings");
	jsonw_object(w);
	for (k = 0; k < PERIOD_N; k++) {
		jsonw_key(w, keys[k]);
		if (!p->rank[k].ranked) {
			jsonw_null(w);
			continue;
		}
		jsonw_object(w);
		jsonw_key(w, "position");
		jsonw_int(w, p->rank[k].position);
		jsonw_key(w, "totalParticipants");
		jsonw_int(w, p->rank[k].participants);
		jsonw_key(w, "compositeScore");
		jsonw_fixed(w, p->rank[k].score, 2);
		jsonw_key(w, "streak");
		jsonw_int(w, p->rank[k].streak);
		jsonw_end(w);
	}
	jsonw_end(w);
}

static void write_breakdown(struct jsonw *w, const struct profile *p)
{
	const struct profile_tokens *t = &p->total;

	jsonw_key(w, "tokenBreakdown");
	jsonw_object(w);
	write_tokens(w, t);
	jsonw_key(w, "totalTokens");
	jsonw_int(w, t->input + t->output + t->cache_write + t->cache_read);
	jsonw_key(w, "estimatedCost");
	write_money(w, p->cost_nano);
	jsonw_key(w, "cacheEfficiency");
	write_ratio(w, 100 * t->cache_read, t->cache_write + t->cache_read, 1);
	jsonw_end(w);
}

static void write_share(struct jsonw *w, int64_t tenths)
{
	jsonw_fixed(w, (double)tenths / 10.0, 1);
}

static void write_models(struct jsonw *w, const struct profile *p)
{
	int i;

	jsonw_key(w, "modelUsage");
	jsonw_array(w);
	for (i = 0; i < p->nmodels; i++) {
		const struct profile_part *m = &p->models[i];

		jsonw_object(w);
		jsonw_key(w, "modelName");
		jsonw_string(w, m->name);
		jsonw_key(w, "sessionCount");
		jsonw_int(w, m->sessions);
		write_tokens(w, &m->t);
		jsonw_key(w, "totalTokens");
		jsonw_int(w, m->t.input + m->t.output);
		jsonw_key(w, "percentage");
		write_share(w, m->share_tenths);
		jsonw_key(w, "estimatedCost");
		write_money(w, m->cost_nano);
		jsonw_end(w);
	}
	jsonw_end(w);
}

static void write_agents(struct jsonw *w, const struct profile *p)
{
	int i;

	jsonw_key(w, "agentBreakdown");
	jsonw_array(w);
	for (i = 0; i < p->nagents; i++) {
		const struct profile_part *m = &p->agents[i];

		jsonw_object(w);
		jsonw_key(w, "toolType");
		jsonw_string(w, m->name);
		jsonw_key(w, "displayName");
		jsonw_string(w, m->label);
		jsonw_key(w, "tokens");
		jsonw_int(w, m->t.input + m->t.output);
		jsonw_key(w, "sessions");
		jsonw_int(w, m->sessions);
		jsonw_key(w, "percentage");
		write_share(w, m->share_tenths);
		write_tokens(w, &m->t);
		jsonw_end(w);
	}
	jsonw_end(w);
}

static void write_days(struct jsonw *w, const struct profile *p)
{
	char d[11];
	int c;

	jsonw_key(w, "dailyActivity");
	jsonw_array(w);
	for (c = 0; c < p->hm_cells; c++) {
		if (p->hm_in[c] + p->hm_out[c] == 0 && p->hm_sessions[c] == 0)
			continue;
		profile_day_str(p->hm_first + c, d);
		jsonw_object(w);
		jsonw_key(w, "date");
		jsonw_string(w, d);
		jsonw_key(w, "tokens");
		jsonw_int(w, p->hm_in[c] + p->hm_out[c]);
		jsonw_key(w, "sessions");
		jsonw_int(w, p->hm_sessions[c]);
		jsonw_key(w, "inputTokens");
		jsonw_int(w, p->hm_in[c]);
		jsonw_key(w, "outputTokens");
		jsonw_int(w, p->hm_out[c]);
		jsonw_key(w, "level");
		jsonw_int(w, p->hm_level[c]);
		jsonw_end(w);
	}
	jsonw_end(w);
	jsonw_key(w, "heatmap");
	jsonw_object(w);
	profile_day_str(p->hm_first, d);
	jsonw_key(w, "start");
	jsonw_string(w, d);
	profile_day_str(p->today, d);
	jsonw_key(w, "end");
	jsonw_string(w, d);
	jsonw_key(w, "days");
	jsonw_int(w, p->hm_cells);
	jsonw_key(w, "totalTokens");
	jsonw_int(w, p->hm_total);
	jsonw_key(w, "activeDays");
	jsonw_int(w, p->hm_active);
	jsonw_key(w, "maxTokens");
	jsonw_int(w, p->hm_max);
	jsonw_end(w);
}

static void write_clock(struct jsonw *w, const struct profile *p)
{
	int i;

	jsonw_key(w, "timeZone");
	jsonw_string(w, p->tz);
	jsonw_key(w, "hourlyActivity");
	jsonw_array(w);
	for (i = 0; i < 24; i++) {
		jsonw_object(w);
		jsonw_key(w, "hour");
		jsonw_int(w, i);
		jsonw_key(w, "tokens");
		jsonw_int(w, p->hour_tokens[i]);
		jsonw_key(w, "sessions");
		jsonw_int(w, p->hour_sessions[i]);
		jsonw_end(w);
	}
	jsonw_end(w);
	jsonw_key(w, "dayOfWeekActivity");
	jsonw_array(w);
	for (i = 0; i < 7; i++) {
		jsonw_object(w);
		jsonw_key(w, "dayOfWeek");
		jsonw_int(w, i);
		jsonw_key(w, "dayName");
		jsonw_string(w, profile_dow_names[i]);
		jsonw_key(w, "tokens");
		jsonw_int(w, p->dow_tokens[i]);
		jsonw_key(w, "sessions");
		jsonw_int(w, p->dow_sessions[i]);
		jsonw_key(w, "avgTokensPerSession");
		jsonw_int(w, profile_div(p->dow_tokens[i], p->dow_sessions[i], 1));
		jsonw_end(w);
	}
	jsonw_end(w);
}

static void write_streak(struct jsonw *w, const struct profile *p)
{
	char d[11];

	jsonw_key(w, "streak");
	jsonw_object(w);
	jsonw_key(w, "currentStreak");
	jsonw_int(w, p->streak_current);
	jsonw_key(w, "longestStreak");
	jsonw_int(w, p->streak_longest);
	jsonw_key(w, "lastActiveDate");
	if (p->last_active_day >= 0) {
		profile_day_str(p->last_active_day, d);
		jsonw_string(w, d);
	} else {
		jsonw_null(w);
	}
	jsonw_end(w);
}

static void write_code(struct jsonw *w, const struct profile *p)
{
	jsonw_key(w, "codeMetrics");
	jsonw_object(w);
	jsonw_key(w, "linesAdded");
	jsonw_int(w, p->lines_added);
	jsonw_key(w, "linesDeleted");
	jsonw_int(w, p->lines_deleted);
	jsonw_key(w, "filesModified");
	jsonw_int(w, p->files_modified);
	jsonw_key(w, "filesCreated");
	jsonw_int(w, p->files_created);
	/* the original's names: lines added per turn, deleted / added */
	jsonw_key(w, "productivity");
	write_ratio(w, p->lines_added, p->turns, 1);
	jsonw_key(w, "refactorRatio");
	write_ratio(w, p->lines_deleted, p->lines_added, 2);
	jsonw_end(w);
}

static void write_tools(struct jsonw *w, const struct profile *p)
{
	static const char *const keys[VIBE_N] = { "explorer", "creator", "refactorer", "automator" };
	int i;

	jsonw_key(w, "toolUsage");
	jsonw_array(w);
	for (i = 0; i < p->ntools && i < PROFILE_TOP_TOOLS; i++) {
		jsonw_object(w);
		jsonw_key(w, "toolName");
		jsonw_string(w, p->tools[i].name);
		jsonw_key(w, "count");
		jsonw_int(w, p->tools[i].uses);
		jsonw_key(w, "percentage");
		write_share(w, p->tools[i].share_tenths);
		jsonw_end(w);
	}
	jsonw_end(w);
	jsonw_key(w, "totalToolCalls");
	jsonw_int(w, p->tool_calls);
	jsonw_key(w, "vibeStyle");
	jsonw_object(w);
	jsonw_key(w, "primaryStyle");
	jsonw_string(w, p->vibe_primary < 0 ? NULL : profile_vibe_names[p->vibe_primary]);
	jsonw_key(w, "styleScores");
	jsonw_object(w);
	for (i = 0; i < VIBE_N; i++) {
		jsonw_key(w, keys[i]);
		jsonw_int(w, p->vibe[i]);
	}
	jsonw_end(w);
	jsonw_key(w, "avgSessionDuration");
	jsonw_int(w, profile_div(p->duration_s, p->sessions, 1));
	jsonw_key(w, "avgTurnsPerSession");
	write_ratio(w, p->turns, p->sessions, 1);
	jsonw_end(w);
}

static void write_profile(struct jsonw *w, const struct profile *p)
{
	char joined[TIME_ISO_LEN + 1];

	time_format_iso(p->joined_ms, joined);
	jsonw_object(w);
	jsonw_key(w, "username");
	jsonw_string(w, p->username);
	jsonw_key(w, "avatarUrl");
	jsonw_string(w, p->avatar_url);
	jsonw_key(w, "joinedAt");
	jsonw_string(w, joined);
	jsonw_key(w, "isPrivate");
	jsonw_bool(w, 0);
	jsonw_key(w, "tier");
	jsonw_string(w, p->tier);
	write_stats(w, p);
	write_rankings(w, p);
	write_breakdown(w, p);
	write_models(w, p);
	write_days(w, p);
	write_clock(w, p);
	write_streak(w, p);
	write_code(w, p);
	write_tools(w, p);
	write_agents(w, p);
	jsonw_end(w);
}

static void handle_api(struct req *rq, struct db *db, const char *name)
{
	struct profile p;
	const char *tz;

	if (!profile_username_ok(name)) {
		req_error(rq, 400, "invalid_username", "username",
			  "a username is 1 to 39 of A-Z a-z 0-9 _ -, starting with a letter or digit");
		return;
	}
	if (read_params(rq, db, &tz))
		return;
	switch (profile_load(db, rq->a, name, tz, &p)) {
	case PROFILE_OK:
		write_profile(req_json(rq, 200), &p);
		req_add_header(rq, "Cache-Control",
			       arena_printf(rq->a, "public, max-age=%lld",
					    (long long)arena_conf.leaderboard_max_age));
		break;
	case PROFILE_NOT_FOUND:
		req_error(rq, 404, "user_not_found", NULL, "no such user");
		break;
	default:
		reply_unavailable(rq);
	}
}

/* A refused page is a page too, keeping the limit's headers. */
static void page_rate_limited(struct req *rq, enum lang l)
{
	struct buf keep = BUF_INIT;
	const char *h = buf_str(&rq->headers), *e;

	/* "Retry-After: 12\r\nRateLimit: ...\r\n": keep those lines */
	while (*h) {
		e = strstr(h, "\r\n");
		e = e ? e + 2 : h + strlen(h);
		if (strncmp(h, "Retry-After:", 12) == 0 || strncmp(h, "RateLimit", 9) == 0)
			buf_add(&keep, h, (size_t)(e - h));
		h = e;
	}
	page_error(rq, l, 429, "error.ratelimit", NULL, 0);
	buf_add(&rq->headers, keep.s, keep.len);
	buf_release(&keep);
}

static void handle_profile(struct req *rq, struct db *db)
{
	const char *rest;
	enum lang l;
	int api = strncmp(rq->path, API_PREFIX, strlen(API_PREFIX)) == 0;

	page_lang_from_path(rq->path, &l, &rest);
	if (!ratelimit_check(db, rq, RL_PUBLIC, rq->remote_addr)) {
		if (!api && rq->status == 429)
			page_rate_limited(rq, l);
		return;
	}
	/* everything after the rate limit only reads public data */
	db = replica_db(db);
	if (api)
		handle_api(rq, db, rq->path + strlen(API_PREFIX));
	else if (strncmp(rest, PAGE_PREFIX, strlen(PAGE_PREFIX)) == 0)
		ui_profile(rq, db, l, rest + strlen(PAGE_PREFIX));
	else
		page_error(rq, l, 404, "error.notfound", NULL, 0);
}

static const struct endpoint profile_endpoint = {
	.name = "profile",
	.allow = "GET, HEAD",
	.stmts = stmts,
	.handle = handle_profile,
	.public_read = 1,
};

SERVE_MAIN(profile_endpoint)
