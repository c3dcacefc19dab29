/*
 * src/cli.c: the seconds of --max-time and --connect-timeout, read exactly into milliseconds
 * rounded up, in (0, max] (86400 s and 3600 s). The values expected are ceil(seconds × 1000)
 * worked out by hand; what strtod accepted is still accepted, but for hexadecimal numbers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "cli.h"

static jg_status parse(const char *option, const char *value, jg_options *o, jg_error *err)
{
	char *argv[] = { "jwtgrant", "grant", (char *)option, (char *)value, NULL };
	return jg_cli_parse(value != NULL ? 4 : 3, argv, o, err);
}

static void max_time_is(const char *value, long want_ms)
{
	static jg_options o;
	jg_error err;
	if (parse("--max-time", value, &o, &err) != JG_OK)
		fail_msg("--max-time '%s' refused: %s", value, err.message);
	if (o.max_time_ms != want_ms)
		fail_msg("--max-time '%s': %ld ms, want %ld", value, o.max_time_ms, want_ms);
}

static void refused(const char *option, const char *value)
{
	static jg_options o;
	jg_error err;
	if (parse(option, value, &o, &err) != JG_ERR_USAGE)
		fail_msg("%s '%s' accepted", option, value);
	if (strstr(err.message, "is not a number of seconds above 0 and up to") == NULL)
		fail_msg("%s '%s': %s", option, value, err.message);
}

static void seconds_become_milliseconds(void **state)
{
	(void)state;
	max_time_is("60", 60000);
	max_time_is("1", 1000);
	max_time_is("0.5", 500);
	max_time_is(".5", 500);
	max_time_is("5.", 5000);
	max_time_is("+3", 3000);
	max_time_is("2.25", 2250);
	max_time_is("86400", 86400000);
	max_time_is("86400.000", 86400000);
	max_time_is("0086400", 86400000);
	max_time_is("1.5e1", 15000);
	max_time_is("15E-1", 1500);
	max_time_is("1e+3", 1000000);
	max_time_is("8.64e4", 86400000);
	max_time_is("0.001", 1);
	max_time_is("  7", 7000); /* white space before the number, as strtod skipped it */
	max_time_is("\t7", 7000);
}

static void fractions_of_a_millisecond_round_up(void **state)
{
	(void)state;
	max_time_is("0.0001", 1);
	max_time_is("0.0009", 1);
	max_time_is("1.0001", 1001);
	max_time_is("1.00000001", 1001);
	max_time_is("2.5e-3", 3);
	max_time_is("1e-300", 1);
	max_time_is("1e-400", 1);
	max_time_is("0.0000000000000000000000000000000000000001", 1);
	max_time_is("1.2340000000000000000000000000001", 1235);
	max_time_is("86399.9991", 86400000);
}

static void out_of_range_or_malformed_is_refused(void **state)
{
	(void)state;
	const char *bad[] = { "0", "0.0", "0e5", "-1", "-0", "-0.5", "86400.0001", "86401",
		"1e5", "1e400", "1e99999999999999999999", "abc", "", " ", ".", "+", "-", "e5", "1e",
		"1e+", "1.2.3", "5 ", "5s", "0x10", "0x1p3", "inf", "nan", "infinity", "++1", "1,5" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		refused("--max-time", bad[i]);
	refused("--connect-timeout", "3600.001");
	refused("--connect-timeout", "0.0000");
}

static void connect_timeout_has_its_own_limit(void **state)
{
	(void)state;
	static jg_options o;
	jg_error err;
	assert_int_equal(parse("--connect-timeout", "3600", &o, &err), JG_OK);
	assert_int_equal(o.connect_timeout_ms, 3600000);
	assert_int_equal(parse("--connect-timeout", "0.25", &o, &err), JG_OK);
	assert_int_equal(o.connect_timeout_ms, 250);
	assert_int_equal(parse("--connect-timeout=2.5", NULL, &o, &err), JG_OK);
	assert_int_equal(o.connect_timeout_ms, 2500);
}

/* The copy of --proxy (its user info may hold a password) is wiped once the command is done. */
static void proxy_copy_wiped(void **state)
{
	(void)state;
	static jg_options o;
	static const unsigned char zero[sizeof o.proxy_copy];
	jg_error err;
	char value[] = "http://user:s3cret@proxy.example:3128";
	assert_int_equal(parse("--proxy", value, &o, &err), JG_OK);
	assert_non_null(o.proxy);
	assert_non_null(strstr(o.proxy, "s3cret"));
	assert_null(strstr(value, "s3cret")); /* scrubbed from argv already */
	jg_cli_wipe(&o);
	assert_null(o.proxy);
	assert_memory_equal(o.proxy_copy, zero, sizeof zero);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(seconds_become_milliseconds),
		cmocka_unit_test(fractions_of_a_millisecond_round_up),
		cmocka_unit_test(out_of_range_or_malformed_is_refused),
		cmocka_unit_test(connect_timeout_has_its_own_limit),
		cmocka_unit_test(proxy_copy_wiped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
