/* svg.c -- inline SVG charts (see svg.h) */
#include <stdio.h>

#include "html.h"
#include "svg.h"
#include "timeutil.h"

#define VB_W 480	/* vertical bars: viewBox width */
#define VB_H 160	/*   and height, axis labels included */
#define VB_PLOT 136	/*   the bars' height at most */
#define HB_W 320	/* horizontal bars: viewBox width */
#define HB_ROW 30	/*   one row: label line and bar */
#define HEAT_CELL 10
#define HEAT_PITCH 13
#define HEAT_LEFT 30	/* room for the weekday names */
#define HEAT_TOP 16	/* room for the month names */

static int64_t largest(const struct svg_item *v, int n)
{
	int64_t m = 0;
	int i;

	for (i = 0; i < n; i++)
		if (v[i].n > m)
			m = v[i].n;
	return m;
}

/* size * n / max, rounded, without overflow for any int64 n <= max. */
static int scaled(int64_t n, int64_t max, int size)
{
	if (n <= 0 || max <= 0)
		return 0;
	return (int)((double)n / (double)max * size + 0.5);
}

static void open_svg(struct buf *b, const char *cls, int w, int h, const char *title)
{
	htmlf(b, "<svg class=\"chart %s\" viewBox=\"0 0 %d %d\" role=\"img\" "
	      "xmlns=\"http://www.w3.org/2000/svg\" focusable=\"false\"><title>", cls, w, h);
	html_txt(b, title);
	html(b, "</title>");
}

static void cell_title(struct buf *b, const char *title)
{
	html(b, "<title>");
	html_txt(b, title);
	html(b, "</title>");
}

static void table(struct buf *b, const struct svg_labels *l, const struct svg_item *v, int n)
{
	int i;

	html(b, "<table class=\"sr-only\"><caption>");
	html_txt(b, l->title);
	html(b, "</caption><thead><tr><th scope=\"col\">");
	html_txt(b, l->col_label);
	html(b, "</th><th scope=\"col\">");
	html_txt(b, l->col_value);
	html(b, "</th></tr></thead><tbody>");
	for (i = 0; i < n; i++) {
		html(b, "<tr><th scope=\"row\">");
		html_txt(b, v[i].label);
		html(b, "</th><td>");
		html_txt(b, v[i].value);
		html(b, "</td></tr>");
	}
	html(b, "</tbody></table>\n");
}

void svg_vbars(struct buf *b, const char *cls, const struct svg_labels *l,
	       const struct svg_item *v, int n, int label_every)
{
	int64_t max = largest(v, n);
	int pitch = n ? VB_W / n : VB_W, i;

	open_svg(b, cls, VB_W, VB_H, l->title);
	htmlf(b, "<line class=\"axis\" x1=\"0\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", VB_PLOT,
	      VB_W, VB_PLOT);
	for (i = 0; i < n; i++) {
		int h = scaled(v[i].n, max, VB_PLOT - 4), x = i * pitch;

		/* a zero still gets a hairline, so every bar has its tooltip */
		htmlf(b, "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
		      "data-value=\"%lld\">", x + 2, VB_PLOT - (h ? h : 1), pitch - 4, h ? h : 1,
		      (long long)(v[i].n > 0 ? v[i].n : 0));
		cell_title(b, v[i].title);
		html(b, "</rect>");
		if (label_every > 0 && i % label_every == 0) {
			htmlf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">", x + pitch / 2,
			      VB_H - 6);
			html_txt(b, v[i].label);
			html(b, "</text>");
		}
	}
	html(b, "</svg>\n");
	table(b, l, v, n);
}

void svg_hbars(struct buf *b, const char *cls, const struct svg_labels *l,
	       const struct svg_item *v, int n)
{
	int64_t max = largest(v, n);
	int i;

	open_svg(b, cls, HB_W, n > 0 ? n * HB_ROW : HB_ROW, l->title);
	for (i = 0; i < n; i++) {
		int y = i * HB_ROW, w = scaled(v[i].n, max, HB_W);

		htmlf(b, "<g><text x=\"0\" y=\"%d\">", y + 12);
		html_txt(b, v[i].label);
		htmlf(b, "</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">", HB_W, y + 12);
		html_txt(b, v[i].value);
		htmlf(b, "</text><rect class=\"bar\" x=\"0\" y=\"%d\" width=\"%d\" height=\"8\" "
		      "data-value=\"%lld\">", y + 17, w ? w : 1,
		      (long long)(v[i].n > 0 ? v[i].n : 0));
		cell_title(b, v[i].title);
		html(b, "</rect></g>");
	}
	html(b, "</svg>\n");
	table(b, l, v, n);
}

static void heat_labels(struct buf *b, const struct svg_heatmap *h)
{
	int w, row, last_month = -1;

	for (row = 1; row < 7; row += 2) {
		htmlf(b, "<text x=\"0\" y=\"%d\">", HEAT_TOP + row * HEAT_PITCH + HEAT_CELL - 1);
		html_txt(b, h->weekdays[row]);
		html(b, "</text>");
	}
	/*
	 * A month's name over the first week whose Sunday is in it; not over
	 * the first column when most of that month lies before the grid, nor
	 * over the last, where it would not fit.
	 */
	for (w = 0; w * 7 < h->ncells; w++) {
		int64_t y;
		unsigned m, d;

		civil_from_days(h->first_day + w * 7, &y, &m, &d);
		if ((int)m != last_month && (w > 0 || d <= 7) && w < 52) {
			htmlf(b, "<text x=\"%d\" y=\"10\">", HEAT_LEFT + w * HEAT_PITCH);
			html_txt(b, h->months[m - 1]);
			html(b, "</text>");
		}
		last_month = (int)m;
	}
}

static void heat_table(struct buf *b, const struct svg_heatmap *h)
{
	int c;

	html(b, "<table class=\"sr-only\"><caption>");
	html_txt(b, h->labels.title);
	html(b, "</caption><thead><tr><th scope=\"col\">");
	html_txt(b, h->labels.col_label);
	html(b, "</th><th scope=\"col\">");
	html_txt(b, h->labels.col_value);
	html(b, "</th></tr></thead><tbody>");
	for (c = 0; c < h->ncells; c++) {
		if (h->tokens[c] <= 0)
			continue;
		html(b, "<tr><th scope=\"row\">");
		html_txt(b, h->dates[c]);
		html(b, "</th><td>");
		html_txt(b, h->values[c]);
		html(b, "</td></tr>");
	}
	html(b, "</tbody></table>\n");
}

void svg_heatmap(struct buf *b, const struct svg_heatmap *h)
{
	int weeks = (h->ncells + 6) / 7, c;
	char iso[11];

	open_svg(b, "heatmap", HEAT_LEFT + weeks * HEAT_PITCH, HEAT_TOP + 7 * HEAT_PITCH,
		 h->labels.title);
	heat_labels(b, h);
	for (c = 0; c < h->ncells; c++) {
		int64_t y;
		unsigned m, d;
		int level = h->level[c] < 5 ? h->level[c] : 4;

		civil_from_days(h->first_day + c, &y, &m, &d);
		snprintf(iso, sizeof(iso), "%04d-%02u-%02u", (int)y, m, d);
		htmlf(b, "<rect class=\"heat%d\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
		      "rx=\"2\" data-date=\"%s\" data-tokens=\"%lld\">", level,
		      HEAT_LEFT + (c / 7) * HEAT_PITCH, HEAT_TOP + (c % 7) * HEAT_PITCH,
		      HEAT_CELL, HEAT_CELL, iso, (long long)h->tokens[c]);
		cell_title(b, h->titles[c]);
		html(b, "</rect>");
	}
	html(b, "</svg>\n");
	heat_table(b, h);
}
