/*
 * timeutil.h -- RFC 3339 timestamps and UTC calendar arithmetic
 *
 * All times inside the server are int64 milliseconds since the Unix epoch,
 * UTC.  Parsing accepts RFC 3339 date-times only: "2025-01-11T12:00:00Z",
 * optional fraction (up to 9 digits, truncated to milliseconds) and
 * "Z" or a "+hh:mm"/"-hh:mm" offset; years 2000-2999.  Formatting always
 * writes "YYYY-MM-DDTHH:MM:SS.mmmZ", the form the seed's API uses.
 */
#ifndef ARENA_TIMEUTIL_H
#define ARENA_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>

#define TIME_ISO_LEN 24		/* "2025-01-11T12:00:00.000Z" */

/* Returns 0 and sets *ms, or -1 if s[0..n) is not an acceptable date-time. */
int time_parse_rfc3339(const char *s, size_t n, int64_t *ms);

/* Writes the ISO form of ms and a NUL to out. */
void time_format_iso(int64_t ms, char out[TIME_ISO_LEN + 1]);

/* Days since 1970-01-01 of a civil date, and back (proleptic Gregorian). */
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);
void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);

/* Current wall-clock time in milliseconds. */
int64_t time_now_ms(void);

/* Monotonic milliseconds, for durations. */
int64_t time_mono_ms(void);

#endif
