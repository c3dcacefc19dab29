/* src/base/utf8.c: RFC 3629's UTF-8, every boundary of its table (section 4). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "base/utf8.h"

static void accepts_valid_text(void **state)
{
	(void)state;
	static const char *good[] = { "", "ascii", "z\xc3\xb6" "e", "\xc2\x80", "\xdf\xbf",
		"\xe0\xa0\x80", "\xed\x9f\xbf", "\xee\x80\x80", "\xef\xbf\xbf", "\xf0\x90\x80\x80",
		"\xf4\x8f\xbf\xbf", "\xe2\x82\xac 3", "\xf0\x9f\x98\x80" };
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		assert_true(jg_utf8_valid(good[i], strlen(good[i])));
	assert_true(jg_utf8_valid("a\0b", 3)); /* U+0000 is a character; C strings stop before */
}

static void refuses_everything_else(void **state)
{
	(void)state;
	static const char *bad[] = {
		"\x80",             /* a continuation byte alone */
		"\xc0\xaf",         /* overlong '/' */
		"\xc1\xbf",         /* overlong */
		"\xe0\x9f\xbf",     /* overlong three-byte form */
		"\xed\xa0\x80",     /* a surrogate, U+D800 */
		"\xf0\x8f\xbf\xbf", /* overlong four-byte form */
		"\xf4\x90\x80\x80", /* above U+10FFFF */
		"\xf5\x80\x80\x80", /* no such leading byte */
		"\xff",             /* nor this */
		"abc\xc3",          /* cut short at the end */
		"\xe2\x82",         /* cut short */
		"\xe2\x28\xa1",     /* a continuation byte missing */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(jg_utf8_valid(bad[i], strlen(bad[i])));
}

static void decodes_one_character(void **state)
{
	(void)state;
	size_t used = 0;
	assert_int_equal(jg_utf8_decode((const unsigned char *)"a", 1, &used), 'a');
	assert_int_equal(used, 1);
	assert_int_equal(jg_utf8_decode((const unsigned char *)"\xc3\xb6", 2, &used), 0xF6);
	assert_int_equal(used, 2);
	assert_int_equal(jg_utf8_decode((const unsigned char *)"\xe2\x82\xac", 3, &used), 0x20AC);
	assert_int_equal(used, 3);
	assert_int_equal(jg_utf8_decode((const unsigned char *)"\xf0\x9f\x98\x80", 4, &used), 0x1F600);
	assert_int_equal(used, 4);
	assert_int_equal(jg_utf8_decode((const unsigned char *)"\xf0\x9f\x98\x80", 3, &used), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepts_valid_text),
		cmocka_unit_test(refuses_everything_else),
		cmocka_unit_test(decodes_one_character),
	};
	return cmocka_run_group_tests_name("utf8", tests, NULL, NULL);
}
