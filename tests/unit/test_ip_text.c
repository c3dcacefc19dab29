/*
 * src/ip_text.c against glibc's inet_ntop: a table of addresses with known texts, then many
 * generated ones (zero groups made frequent, so that every placement of "::" comes up). glibc
 * writes the deprecated IPv4-compatible addresses in dotted form and we do not: those are
 * checked on their own.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "ip_text.h"

/* The text of the address spelled `text`, through inet_pton and jg_ip_format. */
static void format_text(int family, const char *text, char *out, size_t cap)
{
	unsigned char bytes[16];
	assert_int_equal(inet_pton(family, text, bytes), 1);
	assert_int_equal(jg_ip_format(family, bytes, out, cap), 0);
}

static void known_texts(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{ "::", "::" }, { "::1", "::1" }, { "1::", "1::" }, { "2001:DB8:0::1", "2001:db8::1" },
		{ "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1" },
		{ "2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1" },
		{ "0:0:1:0:0:1:1:1", "::1:0:0:1:1:1" }, { "1:0:0:1:0:0:0:1", "1:0:0:1::1" },
		{ "fe80::0001", "fe80::1" }, { "::ffff:192.0.2.1", "::ffff:192.0.2.1" },
		{ "::ffff:0:0", "::ffff:0.0.0.0" }, { "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
		"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" }, { "::1.2.3.4", "::102:304" },
		{ "::0.0.0.2", "::2" }, { "1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0" },
	};
	char out[JG_IP_TEXT_MAX];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		format_text(AF_INET6, cases[i][0], out, sizeof out);
		assert_string_equal(out, cases[i][1]);
	}
	format_text(AF_INET, "192.0.2.255", out, sizeof out);
	assert_string_equal(out, "192.0.2.255");
	format_text(AF_INET, "0.0.0.0", out, sizeof out);
	assert_string_equal(out, "0.0.0.0");
}

/* xorshift64: the same sequence on every run. */
static uint64_t next_random(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* glibc's dotted IPv4-compatible form: the first six groups zero, the seventh not. */
static int ipv4_compatible(const unsigned char *b)
{
	static const unsigned char zero[12];
	return memcmp(b, zero, 12) == 0 && (b[12] != 0 || b[13] != 0);
}

static void generated_match_inet_ntop(void **state)
{
	(void)state;
	uint64_t seed = 0x9E3779B97F4A7C15u;
	char want[INET6_ADDRSTRLEN], got[JG_IP_TEXT_MAX];
	unsigned char b[16];
	for (int n = 0; n < 200000; n++) {
		for (size_t i = 0; i < 8; i++) {
			uint64_t r = next_random(&seed);
			unsigned g = (r & 3) != 0 ? 0 : (r & 4) ? 1 : (unsigned)(r >> 16) & 0xffff;
			b[2 * i] = (unsigned char)(g >> 8);
			b[2 * i + 1] = (unsigned char)g;
		}
		if (n % 7 == 0)
			memcpy(b, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12);
		if (ipv4_compatible(b))
			continue;
		assert_non_null(inet_ntop(AF_INET6, b, want, sizeof want));
		assert_int_equal(jg_ip_format(AF_INET6, b, got, sizeof got), 0);
		assert_string_equal(got, want);
		assert_non_null(inet_ntop(AF_INET, b, want, sizeof want));
		assert_int_equal(jg_ip_format(AF_INET, b, got, sizeof got), 0);
		assert_string_equal(got, want);
	}
}

static void small_buffer_and_other_family(void **state)
{
	(void)state;
	unsigned char b[16] = { 192, 0, 2, 1 };
	char out[12];
	assert_int_equal(jg_ip_format(AF_INET, b, out, 10), 0);
	assert_string_equal(out, "192.0.2.1");
	assert_int_equal(jg_ip_format(AF_INET, b, out, 9), -1);
	assert_string_equal(out, "");
	assert_int_equal(jg_ip_format(AF_UNIX, b, out, sizeof out), -1);
	assert_string_equal(out, "");
	assert_int_equal(jg_ip_format(AF_INET, b, NULL, 0), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(known_texts),
		cmocka_unit_test(generated_match_inet_ntop),
		cmocka_unit_test(small_buffer_and_other_family),
	};
	return cmocka_run_group_tests_name("ip_text", tests, NULL, NULL);
}
