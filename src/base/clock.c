#include "base/clock.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/ascii.h"

jg_status jg_clock_now(int64_t *now, jg_error *err)
{
	const char *pinned = getenv("JWTGRANT_NOW");
	if (pinned == NULL || *pinned == '\0') {
		*now = (int64_t)time(NULL);
		return JG_OK;
	}
	long long v;
	if (!jg_ascii_parse_integer(pinned, 0, LLONG_MAX, &v))
		return jg_fail(err, JG_ERR_USAGE,
			"JWTGRANT_NOW: '%.40s' is not epoch seconds; unset it or give a whole number", pinned);
	*now = (int64_t)v;
	return JG_OK;
}

int64_t jg_days_from_date(int64_t year, unsigned month, unsigned day)
{
	if (month <= 2)
		year -= 1;
	int64_t era = (year >= 0 ? year : year - 399) / 400;
	unsigned year_of_era = (unsigned)(year - era * 400);
	unsigned shifted_month = month > 2 ? month - 3 : month + 9;
	unsigned day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
	unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
	return era * 146097 + (int64_t)day_of_era - 719468;
}

void jg_date_from_days(int64_t days, int64_t *year, unsigned *month, unsigned *day)
{
	days += 719468;
	int64_t era = (days >= 0 ? days : days - 146096) / 146097;
	unsigned day_of_era = (unsigned)(days - era * 146097);
	unsigned year_of_era =
		(day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
	unsigned day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
	unsigned shifted_month = (5 * day_of_year + 2) / 153;
	*day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
	*month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;
	*year = (int64_t)year_of_era + era * 400 + (*month <= 2 ? 1 : 0);
}


static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && a < 0) ? q - 1 : q;
}

void jg_clock_iso8601(int64_t t, char out[32])
{
	int64_t days = floor_div(t, 86400), year;
	int64_t second = t - days * 86400;
	unsigned month, day;
	jg_date_from_days(days, &year, &month, &day);
	(void)snprintf(out, 32, "%04lld-%02u-%02uT%02d:%02d:%02dZ", (long long)year, month, day,
		(int)(second / 3600), (int)(second / 60 % 60), (int)(second % 60));
}

/* A run of exactly n decimal digits at p. */
static int digits(const char *p, int n, int *value)
{
	*value = 0;
	for (int i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		*value = *value * 10 + (p[i] - '0');
	}
	return 0;
}

/* A valid time of day and date, as epoch seconds. */
static int64_t from_fields(int year, int month, int day, int hour, int minute, int second)
{
	return jg_days_from_date(year, (unsigned)month, (unsigned)day) * 86400 + (int64_t)hour * 3600 +
		(int64_t)minute * 60 + second;
}

int jg_clock_parse_http_date(const char *text, size_t len, int64_t *t)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	/* "Sun, 06 Nov 1994 08:49:37 GMT": 29 characters, fixed positions. */
	int day, year, hour, minute, second, month = -1;
	if (len != 29 || text[3] != ',' || text[4] != ' ' || text[7] != ' ' || text[11] != ' ' ||
		text[16] != ' ' || text[19] != ':' || text[22] != ':' || memcmp(text + 25, " GMT", 4) != 0)
		return -1;
	for (int m = 0; m < 12; m++) {
		if (memcmp(text + 8, months + (size_t)m * 3, 3) == 0)
			month = m + 1;
	}
	if (month < 0 || digits(text + 5, 2, &day) || digits(text + 12, 4, &year) ||
		digits(text + 17, 2, &hour) || digits(text + 20, 2, &minute) ||
		digits(text + 23, 2, &second) || day < 1 || day > 31 || hour > 23 || minute > 59 ||
		second > 60)
		return -1;
	*t = from_fields(year, month, day, hour, minute, second);
	return 0;
}

/* Whether day is one of the month's (1..28/29/30/31). */
static int is_day_of(int year, int month, int day)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	return day >= 1 && day <= days[month - 1] + (month == 2 && leap);
}

int jg_clock_parse_iso8601(const char *text, size_t len, int64_t *t)
{
	/* "2026-12-05T14:09:34Z": 20 characters, fixed positions; a real date after 1970 began, so
	 * that what jg_clock_iso8601 writes back is the same text. */
	int year, month, day, hour, minute, second;
	if (len != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
		text[16] != ':' || text[19] != 'Z' || digits(text, 4, &year) ||
		digits(text + 5, 2, &month) || digits(text + 8, 2, &day) || digits(text + 11, 2, &hour) ||
		digits(text + 14, 2, &minute) || digits(text + 17, 2, &second) || year < 1970 ||
		month < 1 || month > 12 || !is_day_of(year, month, day) || hour > 23 || minute > 59 ||
		second > 59)
		return -1;
	*t = from_fields(year, month, day, hour, minute, second);
	return *t > 0 ? 0 : -1;
}

void jg_clock_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0)
		;
}
