/* profile.c -- reading a public profile (see profile.h) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "price.h"
#include "profile.h"
#include "score.h"
#include "timeutil.h"

const char *const profile_period_names[PERIOD_N] = { "daily", "weekly", "monthly", "all_time" };
const char *const profile_vibe_names[VIBE_N] = { "Explorer", "Creator", "Refactorer", "Automator" };
const char *const profile_dow_names[7] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"
};

/* Which tools make each vibe style. */
static const struct {
	const char *tool;
	enum vibe style;
} vibe_tools[] = {
	{ "Read", VIBE_EXPLORER }, { "Grep", VIBE_EXPLORER }, { "Glob", VIBE_EXPLORER },
	{ "WebSearch", VIBE_EXPLORER }, { "WebFetch", VIBE_EXPLORER },
	{ "Write", VIBE_CREATOR },
	{ "Edit", VIBE_REFACTORER }, { "MultiEdit", VIBE_REFACTORER },
	{ "Bash", VIBE_AUTOMATOR }, { "Task", VIBE_AUTOMATOR },
};

int profile_username_ok(const char *s)
{
	size_t i;

	if (!s || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') ||
		    (s[0] >= '0' && s[0] <= '9')))
		return 0;
	for (i = 1; s[i]; i++) {
		char c = s[i];

		if (i >= 39 || !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
				 (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

int profile_query_count(const char *q, const char *name)
{
	size_t n = strlen(name);
	int count = 0;

	while (*q) {
		if (strncmp(q, name, n) == 0 && (q[n] == '=' || q[n] == '&' || q[n] == '\0'))
			count++;
		q += strcspn(q, "&");
		if (*q == '&')
			q++;
	}
	return count;
}

void profile_day_str(int64_t day, char out[11])
{
	int64_t y;
	unsigned m, d;

	civil_from_days(day, &y, &m, &d);
	snprintf(out, 11, "%04d-%02u-%02u", (int)y, m, d);
}

int64_t profile_cents(int64_t nano)
{
	/* 1 cent = 10^7 nano-dollars */
	return nano / 10000000 + (nano % 10000000 >= 5000000);
}

int64_t profile_div(int64_t n, int64_t d, int64_t scale)
{
	if (d <= 0 || n <= 0)
		return 0;
	if (n <= INT64_MAX / (2 * scale))
		return (2 * scale * n + d) / (2 * d);
	return (int64_t)((double)n * (double)scale / (double)d + 0.5);
}

int64_t profile_tenths(int64_t n, int64_t d)
{
	return profile_div(n, d, 1000);
}

int64_t profile_percent(int64_t n, int64_t d)
{
	return profile_div(n, d, 100);
}

/* ---- time zones ---- */

static char **zones;	/* sorted as "C", loaded once per process */
static size_t nzones;

static int zone_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Only what IANA names are made of: "Area/City", "Etc/GMT+9", "UTC". */
static int zone_syntax_ok(const char *tz)
{
	size_t i, n = strlen(tz);

	if (n == 0 || n > 64 || tz[0] == '/' || tz[n - 1] == '/' || strstr(tz, "//") ||
	    strstr(tz, ".."))
		return 0;
	for (i = 0; i < n; i++) {
		char c = tz[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '/' || c == '_' || c == '-' || c == '+'))
			return 0;
	}
	return 1;
}

static int load_zones(struct db *db)
{
	PGresult *res = db_run(db, "profile_zones", 0, NULL);
	int i, n;

	if (!res)
		return -1;
	n = PQntuples(res);
	zones = calloc((size_t)n + 1, sizeof(*zones));
	for (i = 0; zones && i < n; i++)
		if (!(zones[i] = strdup(PQgetvalue(res, i, 0))))
			break;
	PQclear(res);
	if (!zones || i < n)
		abort();	/* out of memory at start-up */
	nzones = (size_t)n;
	qsort(zones, nzones, sizeof(*zones), zone_cmp);
	return 0;
}

int profile_tz_check(struct db *db, const char *tz)
{
	if (!zone_syntax_ok(tz))
		return 0;
	if (!zones && load_zones(db))
		return -1;
	return bsearch(&tz, zones, nzones, sizeof(*zones), zone_cmp) != NULL;
}

/* ---- loading ---- */

/* The rows of one kind in the profile_all result: [first, first + n). */
struct rows {
	const PGresult *res;
	int first, n;
};

#define S(r, i, k) PQgetvalue((r)->res, (r)->first + (i), 1 + (k))	/* s1..s3 */
#define N(r, i, k) db_int((r)->res, (r)->first + (i), 4 + (k))		/* n1..n11 */

static void read_totals(struct profile *p, const struct rows *r)
{
	if (r->n < 1)
		return;
	p->total.input = N(r, 0, 1);
	p->total.output = N(r, 0, 2);
	p->total.cache_write = N(r, 0, 3);
	p->total.cache_read = N(r, 0, 4);
	p->sessions = N(r, 0, 5);
	p->turns = N(r, 0, 6);
	p->duration_s = N(r, 0, 7);
	p->lines_added = N(r, 0, 8);
	p->lines_deleted = N(r, 0, 9);
	p->files_modified = N(r, 0, 10);
	p->files_created = N(r, 0, 11);
}

static void read_ranks(struct profile *p, const struct rows *r)
{
	int i, k;

	for (i = 0; i < r->n; i++)
		for (k = 0; k < PERIOD_N; k++)
			if (strcmp(S(r, i, 1), profile_period_names[k]) == 0) {
				p->rank[k].ranked = 1;
				p->rank[k].score = strtod(S(r, i, 2), NULL);
				p->rank[k].participants = N(r, i, 1);
				p->rank[k].position = N(r, i, 2);
				p->rank[k].streak = N(r, i, 3);
			}
}

/* Heatmap cells and streaks from the kept days (ascending day numbers). */
static void read_days(struct profile *p, const struct rows *r)
{
	int64_t run = 0, prev = -2, dow = (p->today + 4) % 7;	/* 1970-01-01 was a Thursday */
	int i, c;

	p->hm_first = p->today - dow - (PROFILE_WEEKS - 1) * 7;
	p->hm_cells = (int)(p->today - p->hm_first + 1);
	p->last_active_day = -1;
	for (i = 0; i < r->n; i++) {
		int64_t day = N(r, i, 1), sessions = N(r, i, 4);

		if (day >= p->hm_first && day <= p->today) {
			c = (int)(day - p->hm_first);
			p->hm_in[c] = N(r, i, 2);
			p->hm_out[c] = N(r, i, 3);
			p->hm_sessions[c] = sessions;
		}
		if (sessions <= 0 || day > p->today)
			continue;
		run = day == prev + 1 ? run + 1 : 1;
		prev = day;
		if (run > p->streak_longest)
			p->streak_longest = run;
		p->last_active_day = day;
	}
	/* a streak lasts while the last active day is today or yesterday */
	p->streak_current = p->last_active_day >= p->today - 1 ? run : 0;
}

/* Totals and intensity levels: by tokens over the busiest day, in quarters. */
static void heatmap_levels(struct profile *p)
{
	int c;

	for (c = 0; c < p->hm_cells; c++) {
		int64_t t = p->hm_in[c] + p->hm_out[c];

		p->hm_total += t;
		if (t > p->hm_max)
			p->hm_max = t;
		if (t > 0)
			p->hm_active++;
	}
	for (c = 0; c < p->hm_cells; c++) {
		int64_t t = p->hm_in[c] + p->hm_out[c];

		/* t / max < k / 4 as 4t < k max (doubles hold these exactly) */
		if (t <= 0)
			p->hm_level[c] = 0;
		else if ((double)t * 4 < (double)p->hm_max)
			p->hm_level[c] = 1;
		else if ((double)t * 4 < (double)p->hm_max * 2)
			p->hm_level[c] = 2;
		else if ((double)t * 4 < (double)p->hm_max * 3)
			p->hm_level[c] = 3;
		else
			p->hm_level[c] = 4;
	}
}

static void read_hours(struct profile *p, const struct rows *r)
{
	int i;

	for (i = 0; i < r->n; i++) {
		int64_t h = N(r, i, 1), d = N(r, i, 2);

		if (h < 0 || h > 23 || d < 0 || d > 6)
			continue;
		p->hour_tokens[h] += N(r, i, 3);
		p->hour_sessions[h] += N(r, i, 4);
		p->dow_tokens[d] += N(r, i, 3);
		p->dow_sessions[d] += N(r, i, 4);
	}
}

/* Models or tool types: name, label; in, out, cw, cr, sessions. */
static struct profile_part *read_parts(struct arena *a, const struct rows *r, int *np, int priced)
{
	struct profile_part *v = arena_alloc(a, sizeof(*v) * (size_t)(r->n ? r->n : 1));
	int64_t all = 0;
	int i;

	for (i = 0; i < r->n; i++) {
		struct profile_part *q = &v[i];

		q->name = arena_strdup(a, S(r, i, 1));
		q->label = arena_strdup(a, S(r, i, 2));
		q->t.input = N(r, i, 1);
		q->t.output = N(r, i, 2);
		q->t.cache_write = N(r, i, 3);
		q->t.cache_read = N(r, i, 4);
		q->sessions = N(r, i, 5);
		q->cost_nano = priced ? price_cost_nano(price_of(q->name), q->t.input, q->t.output,
							q->t.cache_write, q->t.cache_read) : 0;
		all += q->t.input + q->t.output;
	}
	for (i = 0; i < r->n; i++)
		v[i].share_tenths = profile_tenths(v[i].t.input + v[i].t.output, all);
	*np = r->n;
	return v;
}

static int64_t sat_add(int64_t a, int64_t b)
{
	int64_t r;

	return __builtin_add_overflow(a, b, &r) ? INT64_MAX : r;
}

/* Models at their prices; tokens no model claims at the default price. */
static void estimate_cost(struct profile *p)
{
	struct profile_tokens rest = p->total;
	const struct price *other = price_of(NULL);
	int i;

	for (i = 0; i < p->nmodels; i++) {
		p->cost_nano = sat_add(p->cost_nano, p->models[i].cost_nano);
		rest.input -= p->models[i].t.input;
		rest.output -= p->models[i].t.output;
		rest.cache_write -= p->models[i].t.cache_write;
		rest.cache_read -= p->models[i].t.cache_read;
	}
	p->cost_nano = sat_add(p->cost_nano, price_cost_nano(other, rest.input, rest.output,
							     rest.cache_write, rest.cache_read));
}

static void read_tools(struct profile *p, struct arena *a, const struct rows *r)
{
	int i, k, n = r->n;
	int64_t cat[VIBE_N] = { 0 }, best = -1;

	p->tools = arena_alloc(a, sizeof(*p->tools) * (size_t)(n ? n : 1));
	p->ntools = n;
	for (i = 0; i < n; i++) {
		p->tools[i].name = arena_strdup(a, S(r, i, 1));
		p->tools[i].uses = N(r, i, 1);
		p->tool_calls = sat_add(p->tool_calls, p->tools[i].uses);
		for (k = 0; k < (int)(sizeof(vibe_tools) / sizeof(vibe_tools[0])); k++)
			if (strcmp(vibe_tools[k].tool, p->tools[i].name) == 0)
				cat[vibe_tools[k].style] += p->tools[i].uses;
	}
	for (i = 0; i < n; i++)
		p->tools[i].share_tenths = profile_tenths(p->tools[i].uses, p->tool_calls);
	/* round(100 x category / all calls); the highest, ties to the earlier */
	p->vibe_primary = -1;
	for (k = 0; k < VIBE_N; k++) {
		p->vibe[k] = profile_percent(cat[k], p->tool_calls);
		if (p->tool_calls > 0 && p->vibe[k] > best && cat[k] > 0) {
			best = p->vibe[k];
			p->vibe_primary = k;
		}
	}
}

/* The score and tier: all-time's, else what the formula gives now. */
static void settle_score(struct profile *p)
{
	struct score s;

	if (p->rank[PERIOD_ALL_TIME].ranked) {
		p->score = p->rank[PERIOD_ALL_TIME].score;
	} else {
		score_compute(p->total.input, p->total.output, p->sessions, p->streak_current, &s);
		p->score = s.composite;
	}
	p->tier = score_tier(p->score);
}

/* The rows of kind k ("t", "d", ...) in the sorted result. */
static struct rows kind(const PGresult *res, const char *k)
{
	struct rows r = { res, 0, 0 };
	int n = PQntuples(res);

	while (r.first < n && strcmp(PQgetvalue(res, r.first, 0), k) != 0)
		r.first++;
	while (r.first + r.n < n && strcmp(PQgetvalue(res, r.first + r.n, 0), k) == 0)
		r.n++;
	return r;
}

static void read_projects(struct profile *p, struct arena *a, const PGresult *res)
{
	int i, n = PQntuples(res);

	p->projects = arena_alloc(a, (size_t)(n ? n : 1) * sizeof(*p->projects));
	for (i = 0; i < n && i < PROFILE_MAX_PROJECTS; i++) {
		struct profile_project *x = &p->projects[i];

		x->name = arena_strdup(a, PQgetvalue(res, i, 0));
		x->functionality = db_int(res, i, 1);
		x->practicality = db_int(res, i, 2);
		x->feedback = arena_strdup(a, PQgetvalue(res, i, 3));
		x->evaluated_ms = db_int(res, i, 4);
	}
	p->nprojects = i;
}

static void read_all(struct profile *p, struct arena *a, const PGresult *res)
{
	struct rows r;

	r = kind(res, "t");
	read_totals(p, &r);
	r = kind(res, "r");
	read_ranks(p, &r);
	r = kind(res, "d");
	read_days(p, &r);
	heatmap_levels(p);
	r = kind(res, "h");
	read_hours(p, &r);
	r = kind(res, "m");
	p->models = read_parts(a, &r, &p->nmodels, 1);
	r = kind(res, "a");
	p->agents = read_parts(a, &r, &p->nagents, 0);
	r = kind(res, "o");
	read_tools(p, a, &r);
	estimate_cost(p);
	settle_score(p);
}

static enum profile_result load(struct db *db, struct arena *a, const char *username,
				const char *tz, struct profile *p, int own)
{
	const char *vals[4] = { username, arena_conf.rank_include_flagged ? "true" : "false", tz,
				own ? "true" : "false" };
	PGresult *res;
	struct rows u;

	memset(p, 0, sizeof(*p));
	res = db_run(db, "profile_all", 4, vals);
	if (!res)
		return PROFILE_DB_ERROR;
	u = kind(res, "u");
	if (u.n != 1 || (!own && N(&u, 0, 1) != 0)) {
		PQclear(res);
		return PROFILE_NOT_FOUND;
	}
	p->private_mode = N(&u, 0, 1) != 0;
	p->id = arena_strdup(a, S(&u, 0, 1));
	p->username = arena_strdup(a, S(&u, 0, 2));
	p->avatar_url = PQgetisnull(res, u.first, 1 + 3) ? NULL : arena_strdup(a, S(&u, 0, 3));
	p->joined_ms = N(&u, 0, 2);
	p->today = N(&u, 0, 3);
	p->tz = tz;
	read_all(p, a, res);
	PQclear(res);
	/* the passed project evaluations, shown on the profile */
	res = db_run(db, "profile_projects", 1, (const char *const[]){ p->id });
	if (!res)
		return PROFILE_DB_ERROR;
	read_projects(p, a, res);
	PQclear(res);
	return PROFILE_OK;
}

enum profile_result profile_load(struct db *db, struct arena *a, const char *username,
				 const char *tz, struct profile *p)
{
	return load(db, a, username, tz, p, 0);
}

enum profile_result profile_load_own(struct db *db, struct arena *a, const char *username,
				     const char *tz, struct profile *p)
{
	return load(db, a, username, tz, p, 1);
}
