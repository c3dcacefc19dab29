#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/ascii.h"

static void lowers_only_ascii_capitals(void **state)
{
	(void)state;
	for (int c = 0; c < 256; c++) {
		char in = (char)c;
		char expected = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : in;
		assert_int_equal(jg_ascii_lower(in), expected);
	}
}

static void compares_ignoring_case(void **state)
{
	(void)state;
	assert_true(jg_ascii_equal_n("Content-Length", "content-length", 14));
	assert_false(jg_ascii_equal_n("Content-Length", "content-lengtx", 14));
	assert_true(jg_ascii_equal_word("HTTPS", 5, "https"));
	assert_false(jg_ascii_equal_word("HTTPS", 4, "https"));
	assert_false(jg_ascii_equal_word("https", 5, "http"));
}

/* Whole decimal integers, checked against strtoll where both accept, and the strict refusals. */
static void parses_whole_decimal_integers(void **state)
{
	(void)state;
	static const char *good[] = { "0", "7", "-7", "+7", "007", "9223372036854775807",
		"-9223372036854775808", "1700000000" };
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		long long v = 1;
		assert_int_equal(jg_ascii_parse_integer(good[i], LLONG_MIN, LLONG_MAX, &v), 1);
		assert_true(v == strtoll(good[i], NULL, 10));
	}
	static const char *bad[] = { "", "-", "+", " 5", "5 ", "0x10", "1e3", "1.0", "--1",
		"9223372036854775808", "-9223372036854775809", "99999999999999999999", "12a" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		long long v = 42;
		assert_int_equal(jg_ascii_parse_integer(bad[i], LLONG_MIN, LLONG_MAX, &v), 0);
		assert_true(v == 42);
	}
	long long v = 0;
	assert_int_equal(jg_ascii_parse_integer("10", 0, 10, &v), 1);
	assert_int_equal(jg_ascii_parse_integer("11", 0, 10, &v), 0);
	assert_int_equal(jg_ascii_parse_integer("-1", 0, 10, &v), 0);
	assert_int_equal(jg_ascii_parse_integer("-1", -1, 10, &v), 1);
	assert_true(v == -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lowers_only_ascii_capitals),
		cmocka_unit_test(compares_ignoring_case),
		cmocka_unit_test(parses_whole_decimal_integers),
	};
	return cmocka_run_group_tests_name("ascii", tests, NULL, NULL);
}
