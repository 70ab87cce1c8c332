/*
 * svg.h -- charts as inline SVG, written in C
 *
 * Every chart is an <svg class="chart ..." role="img"> with a <title>
 * (its accessible name), a <title> on every bar or cell (the tooltip),
 * and right after it a <table class="sr-only"> holding the same numbers
 * for screen readers.  Colours come only from CSS classes (bar, heat0 ..
 * heat4 in arena.css, light and dark); no style= attribute is written.
 * The SVGs have a viewBox and no fixed size, so they scale to their box.
 *
 * All text arguments are plain text (escaped here); callers format the
 * numbers in the page's language first:
 *
 *	struct svg_item v[24] = { { "0", "1,234", 1234, "0:00: 1,234 tokens" }, ... };
 *	svg_vbars(b, "hours", &labels, v, 24, 3);
 */
#ifndef ARENA_SVG_H
#define ARENA_SVG_H

#include <stdint.h>

#include "buf.h"

/* One bar. */
struct svg_item {
	const char *label;	/* short, shown on the axis ("9", "Mon", "Read") */
	const char *value;	/* the number as shown ("1,234") */
	int64_t n;		/* its size; negative counts as 0 */
	const char *title;	/* the bar's tooltip: label and value in words */
};

/* What a chart and its table are called. */
struct svg_labels {
	const char *title;	/* the chart's name, also the table's caption */
	const char *col_label;	/* the table's column heads */
	const char *col_value;
};

/*
 * Vertical bars side by side (hours of the day, days of the week); every
 * `label_every`-th label is written under its bar (1: all of them).
 * `cls` is added to the svg's classes.
 */
void svg_vbars(struct buf *b, const char *cls, const struct svg_labels *l,
	       const struct svg_item *v, int n, int label_every);

/*
 * Horizontal bars, one per row with its label on the left and its value
 * on the right above the bar (shares: models, tools, ...); bars are
 * scaled to the largest.
 */
void svg_hbars(struct buf *b, const char *cls, const struct svg_labels *l,
	       const struct svg_item *v, int n);

/* A year of days, GitHub-style: columns are weeks from Sunday. */
struct svg_heatmap {
	int64_t first_day;		/* UTC day number of the first cell, a Sunday */
	int ncells;			/* up to 53 * 7 */
	const int64_t *tokens;		/* per cell: data-tokens */
	const unsigned char *level;	/* per cell: 0..4, the heatN class */
	const char *const *titles;	/* per cell: tooltip */
	const char *const *dates;	/* per cell: the date as the table shows it */
	const char *const *values;	/* per cell: the tokens as the table shows them */
	const char *const *months;	/* 12 short month names, January first */
	const char *const *weekdays;	/* 7 short day names, Sunday first */
	struct svg_labels labels;
};

/*
 * Each cell is a <rect class="heatN" data-date="YYYY-MM-DD"
 * data-tokens="N"> with its <title>; month names above the weeks they
 * start in, Mon/Wed/Fri on the left.  The table lists the days with
 * tokens.  Wide (53 weeks): put it in a box that scrolls on its own.
 */
void svg_heatmap(struct buf *b, const struct svg_heatmap *h);

#endif
