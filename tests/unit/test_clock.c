#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"

/* Our calendar against libc's gmtime_r/strftime (the independent path) across four centuries. */
static void iso8601_agrees_with_libc(void **state)
{
	(void)state;
	for (int64_t t = -2208988800LL; t < 4102444800LL * 2; t += 86400 * 7 + 3601) {
		char ours[32], theirs[40];
		time_t tt = (time_t)t;
		struct tm tm;
		jg_clock_iso8601(t, ours);
		assert_non_null(gmtime_r(&tt, &tm));
		(void)strftime(theirs, sizeof theirs, "%Y-%m-%dT%H:%M:%SZ", &tm);
		assert_string_equal(ours, theirs);
	}
}

static void leap_days(void **state)
{
	(void)state;
	char out[32];
	jg_clock_iso8601(951782400, out);
	assert_string_equal(out, "2000-02-29T00:00:00Z");
	jg_clock_iso8601(4107542399LL, out);
	assert_string_equal(out, "2100-02-28T23:59:59Z");
	assert_int_equal(jg_days_from_date(2100, 3, 1) - jg_days_from_date(2100, 2, 28), 1);
	assert_int_equal(jg_days_from_date(2000, 3, 1) - jg_days_from_date(2000, 2, 28), 2);
}

static void parses_http_dates(void **state)
{
	(void)state;
	int64_t t = 0;
	const char *d = "Sun, 06 Nov 1994 08:49:37 GMT";
	assert_int_equal(jg_clock_parse_http_date(d, strlen(d), &t), 0);
	assert_int_equal(t, 784111777);
	static const char *bad[] = {
		"Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994", "Sun, 06 Foo 1994 08:49:37 GMT",
		"Sun, 06 Nov 1994 24:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 6 Nov 1994 08:49:37 GMT",
		"Sun, 06 Nov 19x4 08:49:37 GMT", "",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(jg_clock_parse_http_date(bad[i], strlen(bad[i]), &t), -1);
}

/* Every time jg_clock_iso8601 writes after 1970 began, up to year 9999, parses back to itself. */
static void iso8601_round_trip(void **state)
{
	(void)state;
	static const int64_t fixed[] = {
		1, 59, 60, 86399, 86400, 68169600 /* 1972-02-29 */, 951782400 /* 2000-02-29 */,
		951868799, 1709164800 /* 2024-02-29 */, 1796479774, 4107542399LL, 4107542400LL,
		253402300799LL /* 9999-12-31T23:59:59 */,
	};
	char text[32];
	int64_t back = 0;
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
		jg_clock_iso8601(fixed[i], text);
		assert_int_equal(strlen(text), 20);
		assert_int_equal(jg_clock_parse_iso8601(text, 20, &back), 0);
		assert_int_equal(back, fixed[i]);
	}
	for (int64_t t = 1; t <= 253402300799LL; t += 86400LL * 29 + 3607) {
		jg_clock_iso8601(t, text);
		assert_int_equal(jg_clock_parse_iso8601(text, strlen(text), &back), 0);
		assert_int_equal(back, t);
	}
	/* Each second of a day across a leap day, and of 1970's first day. */
	for (int64_t t = 951782400 - 86400; t < 951782400 + 2 * 86400; t += 13) {
		jg_clock_iso8601(t, text);
		assert_int_equal(jg_clock_parse_iso8601(text, 20, &back), 0);
		assert_int_equal(back, t);
	}
	for (int64_t t = 1; t < 86400; t++) {
		jg_clock_iso8601(t, text);
		assert_int_equal(jg_clock_parse_iso8601(text, 20, &back), 0);
		assert_int_equal(back, t);
	}
	assert_int_equal(jg_clock_parse_iso8601("1970-01-01T00:00:01Z", 20, &back), 0);
	assert_int_equal(back, 1);
	assert_int_equal(jg_clock_parse_iso8601("2026-12-05T14:09:34Z", 20, &back), 0);
	assert_int_equal(back, 1796479774);
	assert_int_equal(jg_clock_parse_iso8601("2000-02-29T12:00:00Z", 20, &back), 0);
	assert_int_equal(back, 951825600);
	/* 1970's first second and anything before (0 would read as "not known"), and dates or
	 * times that do not exist, which jg_clock_iso8601 would write back otherwise. */
	static const char *const unreal[] = {
		"1970-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "0000-01-01T00:00:00Z",
		"2026-02-29T00:00:00Z", "2024-02-30T00:00:00Z", "2026-04-31T00:00:00Z",
		"1900-02-29T00:00:00Z", "2026-12-05T14:09:60Z",
	};
	for (size_t i = 0; i < sizeof unreal / sizeof unreal[0]; i++)
		assert_int_equal(jg_clock_parse_iso8601(unreal[i], 20, &back), -1);
	assert_int_equal(jg_clock_parse_iso8601("2000-02-29T00:00:00Z", 20, &back), 0);
}

static void iso8601_rejections(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "2026-12-05", "2026-12-05T14:09:34", "2026-12-05T14:09:34ZZ", "2026-12-05 14:09:34Z",
		"2026-12-05t14:09:34Z", "2026-12-05T14:09:34z", "2026-12-05T14:09:34+00:00",
		"2026-12-05T14:09:34.000Z", "2026-12-05T14:09:34.5Z", "2026-13-05T14:09:34Z",
		"2026-00-05T14:09:34Z", "2026-12-00T14:09:34Z", "2026-12-32T14:09:34Z",
		"2026-12-05T24:00:00Z", "2026-12-05T14:60:34Z", "2026-12-05T14:09:61Z",
		"2026-1-05T14:09:34Z ", "+2026-12-05T14:09:3Z", "20261205T140934Z", "2026/12/05T14:09:34Z",
		"2026-12-05T14-09-34Z", "2026-12-05T14:09:3xZ", "2O26-12-05T14:09:34Z",
		"2026-12-05T14:09: 4Z", "-026-12-05T14:09:34Z", "2026-12-05T14:09:34 ",
		"Sat, 05 Dec 2026 14:09:34 GMT", "2026-12-05T14:09:34\xc2\xa0",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t t = 12345;
		if (jg_clock_parse_iso8601(bad[i], strlen(bad[i]), &t) != -1)
			fail_msg("\"%s\" taken", bad[i]);
		assert_int_equal(t, 12345); /* untouched */
	}
	/* The length given rules, not a NUL: a good time cut short, or with one byte more. */
	int64_t t = 0;
	assert_int_equal(jg_clock_parse_iso8601("2026-12-05T14:09:34Z", 19, &t), -1);
	assert_int_equal(jg_clock_parse_iso8601("2026-12-05T14:09:34Z", 0, &t), -1);
	const char padded[21] = "2026-12-05T14:09:34Zx"; /* no NUL at all */
	assert_int_equal(jg_clock_parse_iso8601(padded, 21, &t), -1);
	assert_int_equal(jg_clock_parse_iso8601(padded, 20, &t), 0);
	assert_int_equal(t, 1796479774);
}

static void honours_jwtgrant_now(void **state)
{
	(void)state;
	int64_t now = 0;
	jg_error err;
	setenv("JWTGRANT_NOW", "1700000000", 1);
	assert_int_equal(jg_clock_now(&now, &err), JG_OK);
	assert_int_equal(now, 1700000000);
	setenv("JWTGRANT_NOW", "17e8", 1);
	assert_int_equal(jg_clock_now(&now, &err), JG_ERR_USAGE);
	assert_non_null(strstr(err.message, "JWTGRANT_NOW"));
	setenv("JWTGRANT_NOW", "-5", 1);
	assert_int_equal(jg_clock_now(&now, &err), JG_ERR_USAGE);
	unsetenv("JWTGRANT_NOW");
	assert_int_equal(jg_clock_now(&now, &err), JG_OK);
	assert_true(now > 1700000000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(iso8601_agrees_with_libc),
		cmocka_unit_test(leap_days),
		cmocka_unit_test(parses_http_dates),
		cmocka_unit_test(iso8601_round_trip),
		cmocka_unit_test(iso8601_rejections),
		cmocka_unit_test(honours_jwtgrant_now),
	};
	return cmocka_run_group_tests_name("clock", tests, NULL, NULL);
}
