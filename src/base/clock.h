/* The one place every command reads the time from. JWTGRANT_NOW (epoch seconds) overrides the
 * system clock, for tests; see README. */
#ifndef JG_CLOCK_H
#define JG_CLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

/* Current time in UTC epoch seconds; JG_ERR_USAGE when JWTGRANT_NOW is set but malformed. */
jg_status jg_clock_now(int64_t *now, jg_error *err);

/* Format epoch seconds as "YYYY-MM-DDTHH:MM:SSZ" into out. */
void jg_clock_iso8601(int64_t t, char out[32]);

/*
 * The calendar, our own rather than libc's (gmtime, timegm, strftime and strptime would pull
 * musl's time-zone code into a binary that only ever speaks UTC): days since 1970-01-01 of a
 * proleptic Gregorian date (month 1..12, day 1..31), and back. Both count in 400-year eras of
 * 146097 days, with years starting on March 1 so that the leap day falls at the end.
 */
int64_t jg_days_from_date(int64_t year, unsigned month, unsigned day);
void jg_date_from_days(int64_t days, int64_t *year, unsigned *month, unsigned *day);

/*
 * Parse an HTTP Date (RFC 9110 IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT") into epoch
 * seconds; -1 when it is not one.
 */
int jg_clock_parse_http_date(const char *text, size_t len, int64_t *t);

/* Parse "YYYY-MM-DDTHH:MM:SSZ" (what jg_clock_iso8601 writes; GitHub's expires_at) into epoch
 * seconds, a real date and time after 1970-01-01T00:00:00Z; -1 when it is not exactly that. */
int jg_clock_parse_iso8601(const char *text, size_t len, int64_t *t);

/* Sleep ms milliseconds, resuming after signals. */
void jg_clock_sleep_ms(long ms);

#endif
