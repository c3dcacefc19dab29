/*
 * src/base/json_number.c (jg_json_strtod, the strtod cJSON calls) against glibc's strtod as the
 * oracle: the same double in the exact range (integers up to 2^53, at most 15 significant
 * digits with a power of ten within ±22), within 3 units in the last place elsewhere, the same
 * end of the number always, the same sign, infinities and zeros where glibc has them; and
 * cJSON's values (cJSON.c built with -Dstrtod=jg_json_strtod) against glibc's for the same text.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "base/json_number.h"

#define MAX_ULPS 3

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static uint64_t next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static unsigned random_below(unsigned n)
{
	return (unsigned)(next_random() % n);
}

/* Doubles as integers that order like the doubles (-0 and +0 both 0). */
static int64_t ordered(double d)
{
	int64_t i;
	memcpy(&i, &d, sizeof i);
	return i < 0 ? INT64_MIN - i : i;
}

static uint64_t ulps_apart(double a, double b)
{
	int64_t x = ordered(a), y = ordered(b);
	return x > y ? (uint64_t)x - (uint64_t)y : (uint64_t)y - (uint64_t)x;
}

static uint64_t worst_ulps;

/* Compare with glibc: the same end always; the same bits when `exact`, else close. */
static void agrees_with_glibc(const char *text, int exact)
{
	char *end_glibc = NULL, *end_ours = NULL;
	errno = 0;
	double want = strtod(text, &end_glibc);
	double got = jg_json_strtod(text, &end_ours);
	if (end_ours != end_glibc)
		fail_msg("\"%s\": read %td bytes, glibc %td", text, end_ours - text, end_glibc - text);
	if (signbit(got) != signbit(want))
		fail_msg("\"%s\": sign %g, glibc %g", text, got, want);
	uint64_t apart = ulps_apart(got, want);
	if (exact && memcmp(&got, &want, sizeof got) != 0)
		fail_msg("\"%s\": %.17g, glibc %.17g (exact range)", text, got, want);
	if (apart > MAX_ULPS)
		fail_msg("\"%s\": %.17g, glibc %.17g: %llu units apart", text, got, want,
			(unsigned long long)apart);
	if (isinf(want) != isinf(got) && apart > 1)
		fail_msg("\"%s\": %g, glibc %g", text, got, want);
	if (apart > worst_ulps)
		worst_ulps = apart;
}

static void integers_up_to_2_53_are_exact(void **state)
{
	(void)state;
	const char *edges[] = { "0", "1", "-1", "9007199254740992", "-9007199254740992",
		"9007199254740991", "9007199254740993", "18446744073709551615", "9999999999999999999",
		"000000123", "-000", "100000000000000000000000" };
	for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
		agrees_with_glibc(edges[i], 1);
	for (int n = 0; n < 200000; n++) {
		char text[32];
		uint64_t v = next_random() >> (11 + random_below(53)); /* below 2^53, all sizes */
		(void)snprintf(text, sizeof text, "%s%llu", n % 3 == 0 ? "-" : "",
			(unsigned long long)v);
		agrees_with_glibc(text, 1);
	}
}

/* A decimal of the given significant digits, its point and exponent placed so that the number
 * is digits × 10^power (the digits read as an integer). style: bit 0 a minus sign, bit 1 the
 * d.ddde±N form (bit 2: with 'E'), else plain digits with a point where one is needed. */
static void write_decimal(char *text, size_t cap, const char *digits, int power, unsigned style)
{
	int n = (int)strlen(digits);
	char *p = text;
	if (style & 1)
		*p++ = '-';
	if (style & 2) {
		(void)snprintf(p, cap - 1, "%c%s%s%c%d", digits[0], n > 1 ? "." : "", digits + 1,
			style & 4 ? 'E' : 'e', power + n - 1);
	} else if (power >= 0) {
		memcpy(p, digits, (size_t)n);
		memset(p + n, '0', (size_t)power);
		p[n + power] = '\0';
	} else if (-power < n) {
		memcpy(p, digits, (size_t)(n + power));
		p += n + power;
		*p++ = '.';
		strcpy(p, digits + n + power);
	} else {
		*p++ = '0';
		*p++ = '.';
		memset(p, '0', (size_t)(-power - n));
		strcpy(p + (-power - n), digits);
	}
}

static void random_digits(char *out, int n)
{
	out[0] = (char)('1' + random_below(9));
	for (int i = 1; i < n; i++)
		out[i] = (char)('0' + random_below(10));
	out[n] = '\0';
}

static void short_decimals_with_small_powers_are_exact(void **state)
{
	(void)state;
	const char *edges[] = { "0.1", "0.2", "0.3", "1.5", "-2.5e-3", "1e22", "1e23", "1e-22",
		"123456789012345e22", "123456789012345e-22", "0.000001", "3.14159", "1.7e308",
		"1700000180.5", "12e30", "-0.0", "0e5", "5.", ".5", "-.5e-1", "1.e5" };
	for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
		agrees_with_glibc(edges[i], strcmp(edges[i], "1.7e308") != 0);
	for (int k = 0; k < 200000; k++) {
		char digits[20], text[96];
		int n = 1 + (int)random_below(15);
		random_digits(digits, n);
		int power = (int)random_below(45) - 22;
		write_decimal(text, sizeof text, digits, power, random_below(8));
		agrees_with_glibc(text, 1);
	}
}

static void other_numbers_are_within_a_few_units(void **state)
{
	(void)state;
	worst_ulps = 0;
	for (int k = 0; k < 300000; k++) {
		char digits[48], text[160];
		int n = 1 + (int)random_below(40);
		random_digits(digits, n);
		int power = (int)random_below(700) - 360;
		write_decimal(text, sizeof text, digits, power, 2 | random_below(8));
		agrees_with_glibc(text, 0);
	}
	print_message("# worst distance from glibc's strtod: %llu units in the last place\n",
		(unsigned long long)worst_ulps);
}

static void edges_of_the_range(void **state)
{
	(void)state;
	const char *cases[] = { "1e400", "-1e400", "1e-400", "-1e-400", "4.9e-324", "2.5e-324",
		"2.4e-324", "2.2250738585072014e-308", "2.2250738585072011e-308",
		"1.7976931348623157e308", "1.7976931348623158e308", "1.8e308",
		"3.14159265358979323846264338327950288419716939937510",
		"123456789012345678901234567890", "0.000000000000000000000000000000000001234567",
		"1e99999999999999999999", "1e-99999999999999999999", "0e99999999999", "-0e-5",
		"9007199254740993.000000000000000000001", "1.00000000000000011102230246251565404" };
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		agrees_with_glibc(cases[i], 0);

	errno = 0;
	assert_true(isinf(jg_json_strtod("1e400", NULL)) && errno == ERANGE);
	errno = 0;
	double z = jg_json_strtod("-1e-400", NULL);
	assert_true(z == 0.0 && signbit(z) && errno == ERANGE);
	errno = 0;
	z = jg_json_strtod("-0", NULL);
	assert_true(z == 0.0 && signbit(z) && errno == 0);
	assert_true(jg_json_strtod("-1e400", NULL) == -HUGE_VAL);
}

static void long_runs_of_digits(void **state)
{
	(void)state;
	static char text[2048];
	/* 0.000…0001 and 1000…000 with hundreds of zeros; 1 followed by a thousand digits. */
	memset(text, '0', sizeof text);
	text[1] = '.';
	text[401] = '1';
	text[402] = '\0';
	agrees_with_glibc(text, 0);
	text[1] = '0';
	agrees_with_glibc(text, 0);
	memset(text, '0', sizeof text);
	text[0] = '1';
	text[400] = '\0';
	agrees_with_glibc(text, 0);
	for (size_t i = 0; i < 1000; i++)
		text[i] = (char)('0' + random_below(10));
	text[0] = '7';
	text[1000] = '\0';
	agrees_with_glibc(text, 0);
	text[300] = '.';
	agrees_with_glibc(text, 0);
}

/* Where the number ends: strtod's rule, over cJSON's alphabet (what it hands over). */
static void the_end_of_the_number_is_strtods(void **state)
{
	(void)state;
	const char *cases[] = { "", "-", "+", ".", "-.", "e5", "E", "1e", "1e+", "1e-", "1E+2",
		"1e5e5", "+-1", "--1", "1-2", "1..2", "1.2.3", "-.e1", "0.e", "7e-+1", "+.5" };
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		agrees_with_glibc(cases[i], 1);
	static const char alphabet[] = "0123456789+-eE.";
	for (int k = 0; k < 300000; k++) {
		char text[12];
		size_t n = random_below(sizeof text);
		for (size_t i = 0; i < n; i++)
			text[i] = alphabet[random_below(sizeof alphabet - 1)];
		text[n] = '\0';
		agrees_with_glibc(text, 0);
		char *end = NULL;
		(void)strtod(text, &end);
		assert_int_equal(jg_json_number_length(text, n), (size_t)(end - text));
	}
}

/* jg_json_number_length: what jg_json_strtod reads, bounded by n. */
static void number_length_is_what_strtod_reads(void **state)
{
	(void)state;
	const char *cases[] = { "12", "1e", "1e5x", "-.5,", "x", "", "-", "0.0e-0]" };
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *end = NULL;
		(void)jg_json_strtod(cases[i], &end);
		assert_int_equal(jg_json_number_length(cases[i], strlen(cases[i])),
			(size_t)(end - cases[i]));
	}
	assert_int_equal(jg_json_number_length("12345", 3), 3);
	assert_int_equal(jg_json_number_length("1e5", 2), 1);
	assert_int_equal(jg_json_number_length("-1", 1), 0);
}

/* cJSON's values now come from jg_json_strtod: the same as glibc's where that is exact. */
static void cjson_reads_the_same_values(void **state)
{
	(void)state;
	const char *lexemes[] = { "0", "-0", "1", "1700000180", "1700000180.5", "1e3", "1.5E+2",
		"-86400", "4102444800", "0.1", "9007199254740993", "12345678901234567890",
		"1e300", "1e400", "-1e-400", "3.141592653589793238462643383279" };
	char json[512] = "[";
	for (size_t i = 0; i < sizeof lexemes / sizeof lexemes[0]; i++) {
		strcat(json, i ? "," : "");
		strcat(json, lexemes[i]);
	}
	strcat(json, "]");
	cJSON *array = cJSON_Parse(json);
	assert_non_null(array);
	assert_int_equal(cJSON_GetArraySize(array), sizeof lexemes / sizeof lexemes[0]);
	for (int i = 0; i < cJSON_GetArraySize(array); i++) {
		const cJSON *item = cJSON_GetArrayItem(array, i);
		assert_true(cJSON_IsNumber(item));
		double want = strtod(lexemes[i], NULL);
		assert_int_equal(signbit(item->valuedouble), signbit(want));
		assert_true(ulps_apart(item->valuedouble, want) <= MAX_ULPS);
		if (i < 9)
			assert_memory_equal(&item->valuedouble, &want, sizeof want);
	}
	cJSON_Delete(array);
	/* What cJSON refuses, it still refuses. */
	const char *refused[] = { "[-]", "[1e]", "[.5]", "[+1]", "[1.2.3]", "[--1]", "[1e5e5]" };
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		cJSON *j = cJSON_Parse(refused[i]);
		if (j != NULL)
			fail_msg("cJSON accepted %s", refused[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(integers_up_to_2_53_are_exact),
		cmocka_unit_test(short_decimals_with_small_powers_are_exact),
		cmocka_unit_test(other_numbers_are_within_a_few_units),
		cmocka_unit_test(edges_of_the_range),
		cmocka_unit_test(long_runs_of_digits),
		cmocka_unit_test(the_end_of_the_number_is_strtods),
		cmocka_unit_test(number_length_is_what_strtod_reads),
		cmocka_unit_test(cjson_reads_the_same_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
