/*
 * ui-profile.c -- the public profile page (see ui-profile.h)
 *
 * Header (avatar, name, tier, joined), the figures (lifetime tokens and
 * sessions, score, streaks, a rank per period with its participants),
 * then the charts: a 53-week heatmap, hours of the day and days of the
 * week in the chosen zone, token kinds, models, agents, the top tools,
 * code metrics and the vibe style.  Charts are inline SVG from lib/svg.h;
 * figures are <data value> elements holding the JSON's numbers.
 */
#include <string.h>

#include "conf.h"
#include "html.h"
#include "page.h"
#include "profile.h"
#include "svg.h"
#include "ui-profile.h"

static const char *const params[] = { "tz", NULL };
static const char *const tier_keys[] = { "Diamond", "tier.diamond", "Platinum", "tier.platinum",
	"Gold", "tier.gold", "Silver", "tier.silver", "Bronze", "tier.bronze", NULL };

/* A page being written: the request, its language, its buffer. */
struct ui {
	struct req *rq;
	enum lang l;
	struct buf *b;
	const struct profile *p;
};

/* ---- strings for attributes and charts (unescaped, in the arena) ---- */

static const char *text(const struct ui *u, const char *key, const struct i18n_arg *a, int n)
{
	struct buf t = BUF_INIT;
	const char *s;

	i18n_text(&t, u->l, key, a, n);
	s = arena_strdup(u->rq->a, buf_str(&t));
	buf_release(&t);
	return s;
}

static const char *num_text(const struct ui *u, int64_t v)
{
	struct buf t = BUF_INIT;
	const char *s;

	fmt_num(&t, u->l, v);
	s = arena_strdup(u->rq->a, buf_str(&t));
	buf_release(&t);
	return s;
}

static const char *fixed_text(const struct ui *u, int64_t scaled, int decimals)
{
	struct buf t = BUF_INIT;
	const char *s;

	fmt_fixed(&t, u->l, scaled, decimals);
	s = arena_strdup(u->rq->a, buf_str(&t));
	buf_release(&t);
	return s;
}

static const char *tier_key(const char *tier)
{
	int i;

	for (i = 0; tier && tier_keys[i]; i += 2)
		if (strcmp(tier_keys[i], tier) == 0)
			return tier_keys[i + 1];
	return "tier.bronze";
}

/* ---- figures ---- */

static void data_num(const struct ui *u, int64_t v)
{
	htmlf(u->b, "<data value=\"%lld\">", (long long)v);
	fmt_num(u->b, u->l, v);
	html(u->b, "</data>");
}

static void data_num_cls(const struct ui *u, const char *cls, int64_t v)
{
	htmlf(u->b, "<data class=\"%s\" value=\"%lld\">", cls, (long long)v);
	fmt_num(u->b, u->l, v);
	html(u->b, "</data>");
}

/* A decimal figure: value "12.34" for scaled 1234 with 2 decimals. */
static void data_fixed(const struct ui *u, int64_t scaled, int decimals)
{
	int64_t p = decimals == 1 ? 10 : 100;

	htmlf(u->b, "<data value=\"%lld.%0*lld\">", (long long)(scaled / p), decimals,
	      (long long)(scaled % p));
	fmt_fixed(u->b, u->l, scaled, decimals);
	html(u->b, "</data>");
}

static void fig_open(const struct ui *u, const char *id, const char *key)
{
	html(u->b, "<div><dt>");
	i18n_html(u->b, u->l, key, NULL, 0);
	html(u->b, "</dt><dd id=\"");
	html_attr(u->b, id);
	html(u->b, "\">");
}

static void fig_close(const struct ui *u)
{
	html(u->b, "</dd></div>");
}

static void fig_num(const struct ui *u, const char *id, const char *key, int64_t v)
{
	fig_open(u, id, key);
	data_num(u, v);
	fig_close(u);
}

/* A ratio n/d to `dec` decimals, or "n/a" when d is 0. */
static void fig_ratio(const struct ui *u, const char *id, const char *key, int64_t n, int64_t d,
		      int dec)
{
	fig_open(u, id, key);
	if (d > 0)
		data_fixed(u, profile_div(n, d, dec == 1 ? 10 : 100), dec);
	else
		i18n_html(u->b, u->l, "profile.na", NULL, 0);
	fig_close(u);
}

static void fig_days(const struct ui *u, const char *id, const char *key, int64_t days)
{
	struct i18n_arg a[] = { I18N_ARG_NUM("n", days) };

	fig_open(u, id, key);
	htmlf(u->b, "<data value=\"%lld\">", (long long)days);
	i18n_html(u->b, u->l, "board.streak", a, 1);
	html(u->b, "</data>");
	fig_close(u);
}

/* ---- the head of the page ---- */

static void avatar(const struct ui *u)
{
	const struct profile *p = u->p;
	struct i18n_arg a[] = { I18N_ARG_STR("name", p->username) };
	const char *alt = text(u, "profile.avatar", a, 1);
	unsigned h = 0;
	const char *s;

	/* the CSP lets pictures come from GitHub only: others get the initial */
	if (p->avatar_url && strncmp(p->avatar_url, "https://avatars.githubusercontent.com/", 38) == 0) {
		html(u->b, "<span class=\"avatar big\"><img src=\"");
		html_attr(u->b, p->avatar_url);
		html(u->b, "\" alt=\"");
		html_attr(u->b, alt);
		html(u->b, "\" width=\"64\" height=\"64\"></span>");
		return;
	}
	for (s = p->username; *s; s++)
		h = h * 31 + (unsigned char)*s;
	htmlf(u->b, "<span class=\"avatar big av%u\" role=\"img\" aria-label=\"", h % 8);
	html_attr(u->b, alt);
	html(u->b, "\">");
	html_txtn(u->b, p->username, 1);
	html(u->b, "</span>");
}

static void head(const struct ui *u)
{
	const struct profile *p = u->p;
	char iso[11];
	struct i18n_arg a[1];
	struct buf d = BUF_INIT;
	const char *tk = tier_key(p->tier);

	html(u->b, "<article class=\"profile\">\n<header class=\"profile-head\">");
	avatar(u);
	html(u->b, "<div><h1>");
	html_txt(u->b, p->username);
	html(u->b, "</h1><p class=\"meta\"><span class=\"tier tier-");
	html_attr(u->b, tk + 5);
	htmlf(u->b, "\" id=\"tier\" data-tier=\"%s\">", p->tier);
	i18n_html(u->b, u->l, tk, NULL, 0);
	html(u->b, "</span> \xC2\xB7 ");
	profile_day_str(p->joined_ms / 86400000, iso);
	fmt_date(&d, u->l, p->joined_ms / 1000);
	a[0] = (struct i18n_arg)I18N_ARG_STR("date", buf_str(&d));
	htmlf(u->b, "<time id=\"joined\" datetime=\"%s\">", iso);
	i18n_html(u->b, u->l, "profile.joined", a, 1);
	html(u->b, "</time></p></div></header>\n");
	buf_release(&d);
}

static void figures(const struct ui *u)
{
	const struct profile *p = u->p;
	int k;

	html(u->b, "<h2 class=\"sr-only\">");
	i18n_html(u->b, u->l, "profile.summary", NULL, 0);
	html(u->b, "</h2>\n<dl class=\"figures\">");
	fig_num(u, "f-tokens", "profile.tokens", p->total.input + p->total.output);
	fig_num(u, "f-sessions", "profile.sessions", p->sessions);
	fig_open(u, "f-score", "profile.score");
	data_fixed(u, (int64_t)(p->score * 100.0 + 0.5), 2);
	fig_close(u);
	fig_days(u, "f-streak", "profile.streak.current", p->streak_current);
	fig_days(u, "f-longest", "profile.streak.longest", p->streak_longest);
	html(u->b, "</dl>\n<section id=\"rankings\"><h2>");
	i18n_html(u->b, u->l, "profile.rankings", NULL, 0);
	html(u->b, "</h2><dl class=\"figures\">");
	for (k = 0; k < PERIOD_N; k++) {
		const struct profile_rank *r = &p->rank[k];

		fig_open(u, arena_printf(u->rq->a, "rank-%s", profile_period_names[k]),
			 arena_printf(u->rq->a, "period.%s", profile_period_names[k]));
		if (r->ranked) {
			struct i18n_arg a[] = { I18N_ARG_STR("rank", "\x01"), I18N_ARG_STR("n", "\x02") };
			const char *msg = text(u, "profile.rank.of", a, 2), *s;

			/* the message's words around the two figures, each a <data> */
			while (*msg) {
				s = msg + strcspn(msg, "\x01\x02");
				html_txtn(u->b, msg, (size_t)(s - msg));
				if (*s == '\x01')
					data_num_cls(u, "position", r->position);
				else if (*s)
					data_num_cls(u, "participants", r->participants);
				msg = *s ? s + 1 : s;
			}
		} else {
			i18n_html(u->b, u->l, "profile.rank.none", NULL, 0);
		}
		fig_close(u);
	}
	html(u->b, "</dl></section>\n");
}

/* ---- charts ---- */

static void heatmap(const struct ui *u)
{
	const struct profile *p = u->p;
	const char *months[12], *weekdays[7];
	const char **titles = arena_alloc(u->rq->a, sizeof(char *) * PROFILE_MAX_CELLS * 3);
	const char **dates = titles + PROFILE_MAX_CELLS, **values = dates + PROFILE_MAX_CELLS;
	int64_t tokens[PROFILE_MAX_CELLS];
	struct svg_heatmap h;
	int c;

	for (c = 0; c < 12; c++)
		months[c] = text(u, arena_printf(u->rq->a, "month.%d", c + 1), NULL, 0);
	for (c = 0; c < 7; c++)
		weekdays[c] = text(u, arena_printf(u->rq->a, "dow.%d", c), NULL, 0);
	for (c = 0; c < p->hm_cells; c++) {
		struct buf d = BUF_INIT;
		struct i18n_arg a[2];

		tokens[c] = p->hm_in[c] + p->hm_out[c];
		fmt_date(&d, u->l, (p->hm_first + c) * 86400);
		dates[c] = arena_strdup(u->rq->a, buf_str(&d));
		values[c] = num_text(u, tokens[c]);
		a[0] = (struct i18n_arg)I18N_ARG_STR("date", dates[c]);
		a[1] = (struct i18n_arg)I18N_ARG_NUM("n", tokens[c]);
		titles[c] = text(u, "profile.heat.cell", a, 2);
		buf_release(&d);
	}
	memset(&h, 0, sizeof(h));
	h.first_day = p->hm_first;
	h.ncells = p->hm_cells;
	h.tokens = tokens;
	h.level = p->hm_level;
	h.titles = titles;
	h.dates = dates;
	h.values = values;
	h.months = months;
	h.weekdays = weekdays;
	h.labels.title = text(u, "profile.heat.title", NULL, 0);
	h.labels.col_label = text(u, "profile.col.date", NULL, 0);
	h.labels.col_value = text(u, "profile.col.tokens", NULL, 0);
	/* it scrolls sideways on a narrow screen: keyboard users must reach it */
	html(u->b, "<div class=\"heat-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"");
	html_attr(u->b, h.labels.title);
	html(u->b, "\">");
	svg_heatmap(u->b, &h);
	html(u->b, "</div>\n");
}

static void legend(const struct ui *u)
{
	int i;

	html(u->b, "<p class=\"legend\" aria-hidden=\"true\">");
	i18n_html(u->b, u->l, "profile.heat.less", NULL, 0);
	html(u->b, " <svg class=\"chart\" viewBox=\"0 0 64 12\" width=\"64\" height=\"12\">");
	for (i = 0; i < PROFILE_LEVELS; i++)
		htmlf(u->b, "<rect class=\"heat%d\" x=\"%d\" y=\"1\" width=\"10\" height=\"10\" rx=\"2\"/>",
		      i, i * 13);
	html(u->b, "</svg> ");
	i18n_html(u->b, u->l, "profile.heat.more", NULL, 0);
	html(u->b, "</p>\n");
}

static void activity(const struct ui *u)
{
	const struct profile *p = u->p;
	struct i18n_arg a[] = { I18N_ARG_NUM("n", p->hm_total) };
	const char *msg = text(u, "profile.year.tokens", a, 1), *n = num_text(u, p->hm_total), *at;

	html(u->b, "<section id=\"activity\"><h2>");
	i18n_html(u->b, u->l, "profile.activity", NULL, 0);
	html(u->b, "</h2>\n<p class=\"year\"><span id=\"year-tokens\">");
	/* "{n} tokens in the last year" with the number as a <data> */
	at = strstr(msg, n);
	if (at) {
		html_txtn(u->b, msg, (size_t)(at - msg));
		data_num(u, p->hm_total);
		html_txt(u->b, at + strlen(n));
	} else {
		html_txt(u->b, msg);
	}
	html(u->b, "</span> \xC2\xB7 <span id=\"year-active\">");
	htmlf(u->b, "<data value=\"%d\">", p->hm_active);
	a[0] = (struct i18n_arg)I18N_ARG_NUM("n", p->hm_active);
	i18n_html(u->b, u->l, "profile.year.active", a, 1);
	html(u->b, "</data></span></p>\n");
	heatmap(u);
	legend(u);
	html(u->b, "</section>\n");
}

static void tz_form(const struct ui *u)
{
	struct i18n_arg a[] = { I18N_ARG_STR("zone", u->p->tz) };

	html(u->b, "<p class=\"note\">");
	i18n_html(u->b, u->l, "profile.tz.note", a, 1);
	html(u->b, "</p>\n<form class=\"tzform\" method=\"get\" action=\"");
	page_href(u->b, u->l, arena_printf(u->rq->a, "/users/%s", u->p->username));
	html(u->b, "\"><label for=\"tz\">");
	i18n_html(u->b, u->l, "profile.tz.label", NULL, 0);
	html(u->b, "</label> <input id=\"tz\" name=\"tz\" type=\"text\" autocomplete=\"off\" "
	     "spellcheck=\"false\" maxlength=\"64\" value=\"");
	html_attr(u->b, u->p->tz);
	html(u->b, "\"> <button type=\"submit\">");
	i18n_html(u->b, u->l, "profile.tz.submit", NULL, 0);
	html(u->b, "</button></form>\n");
}

static void clock_charts(const struct ui *u)
{
	const struct profile *p = u->p;
	struct svg_item hours[24], days[7];
	struct svg_labels lh, ld;
	struct i18n_arg z[] = { I18N_ARG_STR("zone", p->tz) };
	int i;

	for (i = 0; i < 24; i++) {
		struct i18n_arg a[] = { I18N_ARG_NUM("hour", i), I18N_ARG_NUM("n", p->hour_tokens[i]) };

		hours[i].label = arena_printf(u->rq->a, "%d", i);
		hours[i].value = num_text(u, p->hour_tokens[i]);
		hours[i].n = p->hour_tokens[i];
		hours[i].title = text(u, "profile.hour.cell", a, 2);
	}
	for (i = 0; i < 7; i++) {
		const char *day = text(u, arena_printf(u->rq->a, "dow.%d", i), NULL, 0);
		struct i18n_arg a[] = { I18N_ARG_STR("day", day), I18N_ARG_NUM("n", p->dow_tokens[i]) };

		days[i].label = day;
		days[i].value = num_text(u, p->dow_tokens[i]);
		days[i].n = p->dow_tokens[i];
		days[i].title = text(u, "profile.weekday.cell", a, 2);
	}
	lh.title = text(u, "profile.hours.title", z, 1);
	lh.col_label = text(u, "profile.col.hour", NULL, 0);
	lh.col_value = text(u, "profile.col.tokens", NULL, 0);
	ld.title = text(u, "profile.weekdays.title", z, 1);
	ld.col_label = text(u, "profile.col.day", NULL, 0);
	ld.col_value = lh.col_value;
	html(u->b, "<section id=\"hours\"><h2>");
	i18n_html(u->b, u->l, "profile.hours", NULL, 0);
	html(u->b, "</h2>\n");
	tz_form(u);
	html(u->b, "<div class=\"charts\"><div>");
	svg_vbars(u->b, "hours", &lh, hours, 24, 3);
	html(u->b, "</div><div id=\"weekdays\"><h3>");
	i18n_html(u->b, u->l, "profile.weekdays", NULL, 0);
	html(u->b, "</h3>");
	svg_vbars(u->b, "weekdays", &ld, days, 7, 1);
	html(u->b, "</div></div></section>\n");
}

/* One bar of a share chart: "label: N tokens (p%)". */
static void share_item(const struct ui *u, struct svg_item *it, const char *label, int64_t n,
		       int64_t tenths, const char *key)
{
	const char *pct = fixed_text(u, tenths, 1);
	struct i18n_arg a[] = { I18N_ARG_STR("label", label), I18N_ARG_NUM("n", n),
				I18N_ARG_STR("pct", pct) };

	it->label = label;
	it->value = text(u, "profile.percent", a + 2, 1);
	it->n = n;
	it->title = text(u, key, a, 3);
}

static void share_chart(const struct ui *u, const char *id, const char *head, const char *title,
			const struct svg_item *v, int n)
{
	struct svg_labels l;

	l.title = text(u, title, NULL, 0);
	l.col_label = text(u, "profile.col.name", NULL, 0);
	l.col_value = text(u, "profile.col.share", NULL, 0);
	html(u->b, "<section id=\"");
	html_attr(u->b, id);
	html(u->b, "\"><h2>");
	i18n_html(u->b, u->l, head, NULL, 0);
	html(u->b, "</h2>\n");
	if (n > 0) {
		svg_hbars(u->b, "hbars", &l, v, n);
	} else {
		html(u->b, "<p class=\"note\">");
		i18n_html(u->b, u->l, "profile.none", NULL, 0);
		html(u->b, "</p>\n");
	}
	html(u->b, "</section>\n");
}

static void tokens_section(const struct ui *u)
{
	const struct profile *p = u->p;
	const struct profile_tokens *t = &p->total;
	static const char *const keys[4] = { "profile.kind.input", "profile.kind.output",
		"profile.kind.cache_write", "profile.kind.cache_read" };
	static const char *const ids[4] = { "t-input", "t-output", "t-cache-write", "t-cache-read" };
	int64_t v[4] = { t->input, t->output, t->cache_write, t->cache_read }, all = 0;
	struct svg_item items[4];
	int i;

	html(u->b, "<section id=\"tokens\"><h2>");
	i18n_html(u->b, u->l, "profile.breakdown", NULL, 0);
	html(u->b, "</h2>\n<dl class=\"figures\">");
	for (i = 0; i < 4; i++) {
		fig_num(u, ids[i], keys[i], v[i]);
		all += v[i];
	}
	fig_open(u, "t-cost", "profile.cost");
	html(u->b, "US$");
	data_fixed(u, profile_cents(p->cost_nano), 2);
	fig_close(u);
	fig_ratio(u, "t-cache-eff", "profile.cache", 100 * t->cache_read,
		  t->cache_write + t->cache_read, 1);
	html(u->b, "</dl>\n<p class=\"note\">");
	i18n_html(u->b, u->l, "profile.cost.note", NULL, 0);
	html(u->b, "</p>\n");
	for (i = 0; i < 4; i++)
		share_item(u, &items[i], text(u, keys[i], NULL, 0), v[i], profile_tenths(v[i], all),
			   "profile.share.cell");
	{
		struct svg_labels l = { text(u, "profile.breakdown.title", NULL, 0),
					text(u, "profile.col.name", NULL, 0),
					text(u, "profile.col.share", NULL, 0) };

		svg_hbars(u->b, "hbars", &l, items, 4);
	}
	html(u->b, "</section>\n");
}

static void parts_section(const struct ui *u, const char *id, const char *head, const char *title,
			  const struct profile_part *v, int n)
{
	struct svg_item *items = arena_alloc(u->rq->a, sizeof(*items) * (size_t)(n ? n : 1));
	int i;

	for (i = 0; i < n; i++)
		share_item(u, &items[i], v[i].label, v[i].t.input + v[i].t.output, v[i].share_tenths,
			   "profile.share.cell");
	share_chart(u, id, head, title, items, n);
}

static void tools_section(const struct ui *u)
{
	const struct profile *p = u->p;
	int n = p->ntools < PROFILE_TOP_TOOLS ? p->ntools : PROFILE_TOP_TOOLS, i;
	struct svg_item items[PROFILE_TOP_TOOLS];

	for (i = 0; i < n; i++)
		share_item(u, &items[i], p->tools[i].name, p->tools[i].uses, p->tools[i].share_tenths,
			   "profile.tool.cell");
	share_chart(u, "tools", "profile.tools", "profile.tools.title", items, n);
}

static void code_section(const struct ui *u)
{
	const struct profile *p = u->p;

	html(u->b, "<section id=\"code\"><h2>");
	i18n_html(u->b, u->l, "profile.code", NULL, 0);
	html(u->b, "</h2>\n<dl class=\"figures\">");
	fig_num(u, "c-added", "profile.code.added", p->lines_added);
	fig_num(u, "c-deleted", "profile.code.deleted", p->lines_deleted);
	fig_num(u, "c-modified", "profile.code.modified", p->files_modified);
	fig_num(u, "c-created", "profile.code.created", p->files_created);
	fig_ratio(u, "c-per-turn", "profile.code.per_turn", p->lines_added, p->turns, 1);
	fig_ratio(u, "c-ratio", "profile.code.ratio", p->lines_deleted, p->lines_added, 2);
	html(u->b, "</dl></section>\n");
}

/* Passed project evaluations: name, score and the model's feedback. */
static void projects_section(const struct ui *u)
{
	const struct profile *p = u->p;
	int i;

	html(u->b, "<section id=\"projects\"><h2>");
	i18n_html(u->b, u->l, "profile.projects", NULL, 0);
	html(u->b, "</h2>\n");
	if (p->nprojects == 0) {
		html(u->b, "<p class=\"empty\">");
		i18n_html(u->b, u->l, "profile.projects.none", NULL, 0);
		html(u->b, "</p></section>\n");
		return;
	}
	html(u->b, "<ul class=\"projects\">");
	for (i = 0; i < p->nprojects; i++) {
		const struct profile_project *x = &p->projects[i];
		struct i18n_arg a[] = { I18N_ARG_NUM("score", x->functionality + x->practicality) };

		html(u->b, "<li><h3>");
		html_txt(u->b, x->name);
		html(u->b, "</h3> <span class=\"score\">");
		i18n_html(u->b, u->l, "profile.projects.score", a, 1);
		html(u->b, "</span><p>");
		html_txt(u->b, x->feedback);
		html(u->b, "</p></li>");
	}
	html(u->b, "</ul></section>\n");
}

static void vibe_section(const struct ui *u)
{
	const struct profile *p = u->p;
	struct svg_item items[VIBE_N];
	struct svg_labels l;
	int i;

	html(u->b, "<section id=\"vibe\"><h2>");
	i18n_html(u->b, u->l, "profile.vibe", NULL, 0);
	html(u->b, "</h2>\n<p id=\"vibe-primary\"");
	if (p->vibe_primary < 0) {
		html(u->b, " data-style=\"\">");
		i18n_html(u->b, u->l, "profile.vibe.none", NULL, 0);
		html(u->b, "</p>\n</section>\n");
		return;
	}
	htmlf(u->b, " data-style=\"%s\"><strong>", profile_vibe_names[p->vibe_primary]);
	{
		const char *style = text(u, arena_printf(u->rq->a, "vibe.%s",
							 profile_vibe_names[p->vibe_primary]), NULL, 0);
		struct i18n_arg a[] = { I18N_ARG_STR("style", style) };

		i18n_html(u->b, u->l, "profile.vibe.primary", a, 1);
	}
	html(u->b, "</strong></p>\n");
	for (i = 0; i < VIBE_N; i++) {
		const char *name = text(u, arena_printf(u->rq->a, "vibe.%s", profile_vibe_names[i]),
					NULL, 0);
		struct i18n_arg a[] = { I18N_ARG_STR("label", name),
					I18N_ARG_STR("pct", num_text(u, p->vibe[i])) };

		items[i].label = name;
		items[i].value = text(u, "profile.percent", a + 1, 1);
		items[i].n = p->vibe[i];
		items[i].title = text(u, "profile.vibe.cell", a, 2);
	}
	l.title = text(u, "profile.vibe.title", NULL, 0);
	l.col_label = text(u, "profile.col.name", NULL, 0);
	l.col_value = text(u, "profile.col.score", NULL, 0);
	svg_hbars(u->b, "hbars", &l, items, VIBE_N);
	html(u->b, "</section>\n");
}

static void habits_section(const struct ui *u)
{
	const struct profile *p = u->p;
	int64_t secs = profile_div(p->duration_s, p->sessions, 1);
	struct i18n_arg a[] = { I18N_ARG_NUM("n", profile_div(secs, 60, 1)) };

	html(u->b, "<section id=\"habits\"><h2>");
	i18n_html(u->b, u->l, "profile.habits", NULL, 0);
	html(u->b, "</h2>\n<dl class=\"figures\">");
	fig_open(u, "h-session", "profile.avg.session");
	htmlf(u->b, "<data value=\"%lld\">", (long long)secs);
	i18n_html(u->b, u->l, "profile.avg.minutes", a, 1);
	html(u->b, "</data>");
	fig_close(u);
	fig_ratio(u, "h-turns", "profile.avg.turns", p->turns, p->sessions, 1);
	html(u->b, "</dl></section>\n");
}

/* ---- the request ---- */

static void write_page(struct req *rq, enum lang l, const struct profile *p, const char *query)
{
	struct ui u = { rq, l, &rq->out, p };
	struct buf score = BUF_INIT;
	struct page pg;
	const char *tier;

	fmt_fixed(&score, l, (int64_t)(p->score * 100.0 + 0.5), 2);
	tier = text(&u, tier_key(p->tier), NULL, 0);
	{
		struct i18n_arg a[] = { I18N_ARG_STR("name", p->username),
			I18N_ARG_COMPACT("tokens", p->total.input + p->total.output),
			I18N_ARG_NUM("sessions", p->sessions), I18N_ARG_STR("tier", tier),
			I18N_ARG_STR("score", buf_str(&score)) };

		memset(&pg, 0, sizeof(pg));
		pg.rq = rq;
		pg.lang = l;
		pg.title = text(&u, "profile.title", a, 1);
		pg.description = text(&u, "profile.description", a, 5);
	}
	pg.path = arena_printf(rq->a, "/users/%s", p->username);
	pg.query = query;
	pg.og_image = p->avatar_url;
	page_begin(&pg);
	req_add_header(rq, "Cache-Control", arena_printf(rq->a, "public, max-age=%lld",
							 (long long)arena_conf.leaderboard_max_age));
	head(&u);
	figures(&u);
	activity(&u);
	clock_charts(&u);
	tokens_section(&u);
	parts_section(&u, "models", "profile.models", "profile.models.title", p->models, p->nmodels);
	parts_section(&u, "agents", "profile.agents", "profile.agents.title", p->agents, p->nagents);
	tools_section(&u);
	code_section(&u);
	projects_section(&u);
	vibe_section(&u);
	habits_section(&u);
	html(u.b, "</article>\n");
	page_end(&pg);
	buf_release(&score);
}

/* Reads ?tz; 0, or -1 after writing the error page. */
static int page_params(struct req *rq, struct db *db, enum lang l, const char **tz,
		       const char **query)
{
	const char *bad, *v;
	struct buf q = BUF_INIT;
	int ok;

	*tz = "UTC";
	*query = "";
	if (req_query_only(rq, params, &bad)) {
		struct i18n_arg a[] = { I18N_ARG_STR("name", bad ? bad : "") };

		if (bad && strcmp(bad, "tz") == 0 && profile_query_count(rq->query, "tz") > 1)
			page_error(rq, l, 400, "error.param.repeated", a, 1);
		else if (!bad || strcmp(bad, "tz") == 0)
			page_error(rq, l, 400, "error.query", NULL, 0);
		else
			page_error(rq, l, 400, "error.param.unknown", a, 1);
		return -1;
	}
	if (req_query(rq, "tz", &v) != 0)
		return 0;
	ok = profile_tz_check(db, v);
	if (ok <= 0) {
		page_error(rq, l, ok < 0 ? 503 : 400, ok < 0 ? "error.unavailable" : "profile.bad.tz",
			   NULL, 0);
		return -1;
	}
	*tz = v;
	html_url_arg(&q, v);
	*query = arena_printf(rq->a, "tz=%s", buf_str(&q));
	buf_release(&q);
	return 0;
}

void ui_profile(struct req *rq, struct db *db, enum lang l, const char *name)
{
	struct profile p;
	const char *tz, *query;

	i18n_init();	/* the catalogs before any text is made */
	if (!profile_username_ok(name)) {
		page_error(rq, l, 400, "profile.bad.name", NULL, 0);
		return;
	}
	if (page_params(rq, db, l, &tz, &query))
		return;
	switch (profile_load(db, rq->a, name, tz, &p)) {
	case PROFILE_OK:
		write_page(rq, l, &p, query);
		break;
	case PROFILE_NOT_FOUND:
		page_error(rq, l, 404, "profile.notfound", NULL, 0);
		break;
	default:
		page_error(rq, l, 503, "error.unavailable", NULL, 0);
	}
}
