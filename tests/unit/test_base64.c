#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "crypto/base64.h"

/* RFC 4648 §10 test vectors. */
static const struct {
	const char *plain, *std, *url;
} rfc4648[] = {
	{ "", "", "" },
	{ "f", "Zg==", "Zg" },
	{ "fo", "Zm8=", "Zm8" },
	{ "foo", "Zm9v", "Zm9v" },
	{ "foob", "Zm9vYg==", "Zm9vYg" },
	{ "fooba", "Zm9vYmE=", "Zm9vYmE" },
	{ "foobar", "Zm9vYmFy", "Zm9vYmFy" },
};

static void encodes_rfc4648_vectors(void **state)
{
	(void)state;
	char out[64];
	for (size_t i = 0; i < sizeof rfc4648 / sizeof rfc4648[0]; i++) {
		const char *p = rfc4648[i].plain;
		assert_int_equal(jg_base64_encode((const unsigned char *)p, strlen(p), out, sizeof out, JG_B64_STD),
			strlen(rfc4648[i].std));
		assert_string_equal(out, rfc4648[i].std);
		assert_int_equal(jg_base64_encode((const unsigned char *)p, strlen(p), out, sizeof out, JG_B64_URL),
			strlen(rfc4648[i].url));
		assert_string_equal(out, rfc4648[i].url);
	}
}

static void decodes_rfc4648_vectors(void **state)
{
	(void)state;
	unsigned char out[64];
	size_t len;
	for (size_t i = 0; i < sizeof rfc4648 / sizeof rfc4648[0]; i++) {
		const char *p = rfc4648[i].plain;
		assert_int_equal(jg_base64_decode(rfc4648[i].std, strlen(rfc4648[i].std), out, sizeof out, &len, JG_B64_STD), 0);
		assert_int_equal(len, strlen(p));
		assert_memory_equal(out, p, len);
		assert_int_equal(jg_base64_decode(rfc4648[i].url, strlen(rfc4648[i].url), out, sizeof out, &len, JG_B64_URL), 0);
		assert_int_equal(len, strlen(p));
		assert_memory_equal(out, p, len);
	}
}

static void url_alphabet_differs_from_std(void **state)
{
	(void)state;
	const unsigned char bytes[] = { 0xfb, 0xff, 0xbf };
	char out[16];
	jg_base64_encode(bytes, sizeof bytes, out, sizeof out, JG_B64_STD);
	assert_string_equal(out, "+/+/");
	jg_base64_encode(bytes, sizeof bytes, out, sizeof out, JG_B64_URL);
	assert_string_equal(out, "-_-_");
	unsigned char dec[8];
	size_t len;
	assert_int_equal(jg_base64_decode("+/+/", 4, dec, sizeof dec, &len, JG_B64_URL), -1);
	assert_int_equal(jg_base64_decode("-_-_", 4, dec, sizeof dec, &len, JG_B64_STD), -1);
}

static void round_trips_every_length(void **state)
{
	(void)state;
	unsigned char in[300], back[300];
	char enc[512];
	for (size_t i = 0; i < sizeof in; i++)
		in[i] = (unsigned char)(i * 37 + 11);
	for (size_t n = 0; n <= sizeof in; n++) {
		for (int flags = 0; flags <= 1; flags++) {
			size_t e = jg_base64_encode(in, n, enc, sizeof enc, flags);
			assert_int_equal(e, jg_base64_encoded_len(n, flags));
			size_t len;
			assert_int_equal(jg_base64_decode(enc, e, back, sizeof back, &len, flags), 0);
			assert_int_equal(len, n);
			assert_memory_equal(back, in, n);
		}
	}
}

static void rejects_bad_input(void **state)
{
	(void)state;
	static const char *bad[] = {
		"Zg=", "Z", "Zm9v!", "Zg==Zg==", "Zh==", "Zm9=", "Zm 9v", "====", "Zg===",
		"TWE=====", "QQ======", "TWE=Zg",
	};
	unsigned char out[64];
	size_t len;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(jg_base64_decode(bad[i], strlen(bad[i]), out, sizeof out, &len, JG_B64_STD), -1);
}

static void skips_space_only_when_asked(void **state)
{
	(void)state;
	unsigned char out[16];
	size_t len;
	const char *in = "Zm9v\r\nYmFy\n";
	assert_int_equal(jg_base64_decode(in, strlen(in), out, sizeof out, &len, JG_B64_SKIP_SPACE), 0);
	assert_int_equal(len, 6);
	assert_memory_equal(out, "foobar", 6);
	assert_int_equal(jg_base64_decode(in, strlen(in), out, sizeof out, &len, JG_B64_STD), -1);
}

static void respects_capacity(void **state)
{
	(void)state;
	char small[5];
	assert_int_equal(jg_base64_encode((const unsigned char *)"foob", 4, small, sizeof small, JG_B64_STD), (size_t)-1);
	assert_string_equal(small, "");
	char exact[9];
	assert_int_equal(jg_base64_encode((const unsigned char *)"foob", 4, exact, sizeof exact, JG_B64_STD), 8);
	unsigned char out[5];
	size_t len;
	assert_int_equal(jg_base64_decode("Zm9vYmFy", 8, out, sizeof out, &len, JG_B64_STD), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(encodes_rfc4648_vectors),
		cmocka_unit_test(decodes_rfc4648_vectors),
		cmocka_unit_test(url_alphabet_differs_from_std),
		cmocka_unit_test(round_trips_every_length),
		cmocka_unit_test(rejects_bad_input),
		cmocka_unit_test(skips_space_only_when_asked),
		cmocka_unit_test(respects_capacity),
	};
	return cmocka_run_group_tests_name("base64", tests, NULL, NULL);
}
