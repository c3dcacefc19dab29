/*
 * src/fmt.c against glibc: for every format of the tables below and every value, jg_snprintf
 * must give the bytes and the return value of snprintf at every capacity from 0 to the full
 * length + 1 (nothing written past the capacity either), and jg_fprintf those of fprintf.
 * The unsupported part of the grammar has its own documented answers, checked last.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fmt.h"

/* The formats come from tables, so neither compiler can check them: that is the point. */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define AREA 8192

/* jg_vsnprintf against vsnprintf at one capacity; the areas start filled with the same byte,
 * so a write past cap shows as a difference. */
static void compare_at(const char *fmt, size_t cap, size_t span, va_list ap)
{
	static char want[AREA], got[AREA];
	va_list a, b;
	memset(want, 0x5A, sizeof want);
	memset(got, 0x5A, sizeof got);
	va_copy(a, ap);
	va_copy(b, ap);
	int w = vsnprintf(want, cap, fmt, a);
	int g = jg_vsnprintf(got, cap, fmt, b);
	va_end(a);
	va_end(b);
	if (g != w || memcmp(got, want, span) != 0)
		fail_msg("\"%s\" cap %zu: got %d \"%.*s\", want %d \"%.*s\"", fmt, cap, g,
			(int)cap, got, w, (int)cap, want);
}

/* jg_vfprintf against vfprintf, each into its own memory stream. */
static void compare_stream(const char *fmt, va_list ap)
{
	char *want = NULL, *got = NULL;
	size_t want_len = 0, got_len = 0;
	FILE *fw = open_memstream(&want, &want_len);
	FILE *fg = open_memstream(&got, &got_len);
	assert_non_null(fw);
	assert_non_null(fg);
	va_list a, b;
	va_copy(a, ap);
	va_copy(b, ap);
	int w = vfprintf(fw, fmt, a);
	int g = jg_vfprintf(fg, fmt, b);
	va_end(a);
	va_end(b);
	assert_int_equal(fclose(fw), 0);
	assert_int_equal(fclose(fg), 0);
	if (g != w || got_len != want_len || memcmp(got, want, want_len) != 0)
		fail_msg("stream \"%s\": got %d (%zu bytes), want %d (%zu bytes)", fmt, g, got_len, w,
			want_len);
	free(want);
	free(got);
}

/* Every capacity from 0 to the length + 1, the NULL buffer of capacity 0, and a stream. */
static void compare(const char *fmt, ...)
{
	va_list ap, a;
	va_start(ap, fmt);
	va_copy(a, ap);
	int n = vsnprintf(NULL, 0, fmt, a);
	va_end(a);
	assert_true(n >= 0 && n + 2 < AREA);
	for (size_t cap = 0; cap <= (size_t)n + 1; cap++)
		compare_at(fmt, cap, (size_t)n + 2, ap);
	va_copy(a, ap);
	assert_int_equal(jg_vsnprintf(NULL, 0, fmt, a), n);
	va_end(a);
	compare_stream(fmt, ap);
	va_end(ap);
}

/* --- integers ----------------------------------------------------------------------------- */

static const char *const int_formats[] = {
	"%d", "%i", "%u", "%x", "%X", "%o", "%5d", "%-5d|", "%05d", "%-05d|", "%0-5d|", "%00d",
	"%.3d", "%.0d", "%.d", "%5.0d", "%-5.0d|", "%08.3d", "%8.3d", "%-8.3d|", "%.12d", "%1d",
	"%12u", "%012u", "%.0u", "%02x", "%02X", "%10x", "%-10X|", "%.10o", "%04o", "%.0o",
	"%.0x", "%03d", "%02d", "%hhd", "%hd", "%hhu", "%hu", "%hhx", "%hX", "%hho", "%5hhd",
	"%-4hu|", "%d%d", "[%d]", "%dx%i",
};

static const int int_values[] = {
	0, 1, -1, 7, 9, 10, 42, -42, 99, 100, 127, 128, -128, 255, 256, 4095, 32767, 32768, 65535,
	65536, 1000000, -1000000, INT_MAX, INT_MIN, INT_MAX - 1, INT_MIN + 1,
};

static void ints_match_libc(void **state)
{
	(void)state;
	for (size_t f = 0; f < COUNT(int_formats); f++)
		for (size_t v = 0; v < COUNT(int_values); v++)
			compare(int_formats[f], int_values[v], int_values[v]);
}

static const char *const long_formats[] = {
	"%ld", "%li", "%lu", "%lx", "%lX", "%lo", "%20ld", "%-20ld|", "%020ld", "%.15ld",
	"%25.19lu", "%.0ld", "%-.0lu|",
};

static const long long_values[] = {
	0, 1, -1, 86400, -86400, 1234567890123L, LONG_MAX, LONG_MIN, LONG_MIN + 1, INT_MIN - 1L,
};

static void longs_match_libc(void **state)
{
	(void)state;
	for (size_t f = 0; f < COUNT(long_formats); f++)
		for (size_t v = 0; v < COUNT(long_values); v++)
			compare(long_formats[f], long_values[v]);
}

static const char *const llong_formats[] = {
	"%lld", "%lli", "%llu", "%llx", "%llX", "%llo", "%04lld", "%25lld", "%-25lld|", "%025lld",
	"%.20lld", "%30.22llo", "%-30.22llo|", "%.0lld", "%04lld-%02lld",
};

static const long long llong_values[] = {
	0, 1, -1, 1970, -1970, 10000, 253402300799LL, LLONG_MAX, LLONG_MIN, LLONG_MIN + 1,
};

static void long_longs_match_libc(void **state)
{
	(void)state;
	for (size_t f = 0; f < COUNT(llong_formats); f++)
		for (size_t v = 0; v < COUNT(llong_values); v++)
			compare(llong_formats[f], llong_values[v], llong_values[v]);
}

static const char *const size_formats[] = {
	"%zu", "%zx", "%zX", "%zo", "%zd", "%zi", "%8zu", "%-8zu|", "%08zu", "%.0zu", "%.25zu",
	"%ju", "%jd", "%jx", "%tu", "%td", "%tx", "%-22jo|",
};

static const size_t size_values[] = {
	0, 1, 5, 255, 4096, SIZE_MAX, SIZE_MAX / 2, SIZE_MAX / 2 + 1, (size_t)-5,
};

static void sizes_match_libc(void **state)
{
	(void)state;
	for (size_t f = 0; f < COUNT(size_formats); f++)
		for (size_t v = 0; v < COUNT(size_values); v++)
			compare(size_formats[f], size_values[v]);
}

/* '*' widths and precisions, negative ones included, for integers and strings. */
static void stars_match_libc(void **state)
{
	(void)state;
	static const int stars[] = { -12, -5, -1, 0, 1, 3, 5, 6, 7, 12, 40 };
	static const char *const strings[] = { "", "a", "hello", "hello world!", NULL };
	for (size_t i = 0; i < COUNT(stars); i++) {
		for (size_t v = 0; v < COUNT(int_values); v += 3) {
			compare("%*d|", stars[i], int_values[v]);
			compare("%.*d|", stars[i], int_values[v]);
			compare("%0*d|", stars[i], int_values[v]);
			compare("%-*x|", stars[i], int_values[v]);
			compare("%*.*u|", stars[i], stars[COUNT(stars) - 1 - i], int_values[v]);
			compare("%0*.*d|", stars[i], stars[i], int_values[v]);
		}
		for (size_t s = 0; s < COUNT(strings); s++) {
			compare("%.*s|", stars[i], strings[s]);
			compare("%*s|", stars[i], strings[s]);
			compare("%-*s|", stars[i], strings[s]);
			compare("%*.*s|", stars[i], stars[COUNT(stars) - 1 - i], strings[s]);
		}
	}
}

/* --- strings and characters ---------------------------------------------------------------- */

static const char *const string_formats[] = {
	"%s", "%10s", "%-10s|", "%.3s", "%.0s", "%.s", "%10.3s", "%-10.3s|", "%05s", "%-05s|",
	"%.5s", "%.6s", "%.7s", "%.40s", "%40s", "%.500s", "<%s>", "%s%s", "%1s",
};

static void strings_match_libc(void **state)
{
	(void)state;
	static char long_text[1500];
	memset(long_text, 'x', sizeof long_text - 1);
	const char *values[] = { "", "a", "hello", "hello world, longer than ten", NULL,
		"tab\there", "\xff\x80 bytes", long_text };
	for (size_t f = 0; f < COUNT(string_formats); f++)
		for (size_t v = 0; v < COUNT(values); v++)
			compare(string_formats[f], values[v], values[v]);
}

static void chars_match_libc(void **state)
{
	(void)state;
	static const char *const formats[] = { "%c", "%3c", "%-3c|", "%03c", "%.0c", "%c%c" };
	static const int values[] = { 'a', 'Z', ' ', 0, 255, -1, 0x141 };
	for (size_t f = 0; f < COUNT(formats); f++)
		for (size_t v = 0; v < COUNT(values); v++)
			compare(formats[f], values[v], values[v]);
}

/* --- literals and the formats of src/ ----------------------------------------------------- */

static void literals_match_libc(void **state)
{
	(void)state;
	compare("");
	compare("plain text");
	compare("100%%");
	compare("%%d %%s");
	compare("a%%b%%%%c");
	compare("%s%%%d", "x", 5);
	compare("\\x%02x", 0x7f);
}

static void project_formats_match_libc(void **state)
{
	(void)state;
	compare("%s://%s%s%s%s%s%s%s", "https", "user", ":***", "@", "[", "::1", "]", ":8443");
	compare("%04lld-%02u-%02uT%02d:%02d:%02dZ", 2024LL, 2u, 29u, 23, 5, 9);
	compare("%04lld-%02u-%02uT%02d:%02d:%02dZ", -1LL, 12u, 31u, 0, 0, 0);
	compare(",\"exp\":%lld,\"iat\":%lld}", 1700000300LL, 1700000000LL);
	compare("%d.%03d s", 1, 5);
	compare("%s: %lld (%s)\n", "exp", -5LL, "1969-12-31T23:59:55Z");
	compare("key file %.500s", "/tmp/key.pem");
	compare("the key in $%.150s", "JWT_KEY");
	compare("%.*s", 3, "org/user/x");
	compare("the head does not fit in %zu bytes", (size_t)16384);
	compare("jwtgrant: warning: %s; retrying in %ld ms (%ld %s left)\n", "busy", 500L, 2L,
		"tries");
	compare("embedded Mozilla set (%zu roots)", (size_t)146);
	compare("%s.tmp-%ld", "out.json", 12345L);
}

/* A message longer than the staging buffer of the stream functions. */
static void long_stream_output_matches_libc(void **state)
{
	(void)state;
	static char text[2000];
	memset(text, 'y', sizeof text - 1);
	compare("%s|%600s|%-700d|%s", text, "right", -7, text);
}

/* --- outside the grammar -------------------------------------------------------------------- */

/* The unsupported specification and everything after it come out as written. */
static void unsupported_is_written_literally(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{ "a%qd %d|", "a%qd %d|" }, { "%+d %d", "%+d %d" }, { "% d", "% d" },
		{ "%#x", "%#x" }, { "%5%", "%5%" }, { "end%", "end%" }, { "%ls", "%ls" },
		{ "%hc", "%hc" }, { "%f", "%f" }, { "%Lf", "%Lf" }, { "%p", "%p" }, { "%n", "%n" },
		{ "%1$d", "%1$d" }, { "%*q %d", "%*q %d" }, { "%-", "%-" }, { "%.", "%." },
		{ "%d and %e", "7 and %e" },
	};
	char out[64];
	for (size_t i = 0; i < COUNT(cases); i++) {
		int n = jg_snprintf(out, sizeof out, cases[i][0], 7, 8, 9);
		assert_string_equal(out, cases[i][1]);
		assert_int_equal(n, (int)strlen(cases[i][1]));
	}
}

/* Widths, precisions and lengths beyond INT_MAX: -1 and EOVERFLOW, as glibc. */
static void overflow_is_an_error(void **state)
{
	(void)state;
	static const char *const formats[] = {
		"%2147483648d", "%.2147483648d", "%99999999999999999999d", "%2147483647d%d",
		"%2147483647d%2147483647x",
	};
	char out[8];
	for (size_t i = 0; i < COUNT(formats); i++) {
		errno = 0;
		assert_int_equal(jg_snprintf(out, sizeof out, formats[i], 1, 2), -1);
		assert_int_equal(errno, EOVERFLOW);
	}
	/* glibc agrees (checked where it is quick: it writes the padding of the others out). */
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(snprintf(out, sizeof out, formats[i], 1, 2), -1);
	assert_int_equal(jg_snprintf(out, sizeof out, "%2147483646d|", 1), INT_MAX);
	assert_string_equal(out, "       ");
}

static void stream_write_failure_is_an_error(void **state)
{
	(void)state;
	FILE *f = fopen("/dev/null", "r");
	assert_non_null(f);
	assert_int_equal(jg_fprintf(f, "%s %d\n", "x", 1), -1);
	assert_int_equal(fclose(f), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ints_match_libc),
		cmocka_unit_test(longs_match_libc),
		cmocka_unit_test(long_longs_match_libc),
		cmocka_unit_test(sizes_match_libc),
		cmocka_unit_test(stars_match_libc),
		cmocka_unit_test(strings_match_libc),
		cmocka_unit_test(chars_match_libc),
		cmocka_unit_test(literals_match_libc),
		cmocka_unit_test(project_formats_match_libc),
		cmocka_unit_test(long_stream_output_matches_libc),
		cmocka_unit_test(unsupported_is_written_literally),
		cmocka_unit_test(overflow_is_an_error),
		cmocka_unit_test(stream_write_failure_is_an_error),
	};
	return cmocka_run_group_tests_name("fmt", tests, NULL, NULL);
}
