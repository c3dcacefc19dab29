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
		strftime(theirs, sizeof theirs, "%Y-%m-%dT%H:%M:%SZ", &tm);
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
		cmocka_unit_test(honours_jwtgrant_now),
	};
	return cmocka_run_group_tests_name("clock", tests, NULL, NULL);
}
