#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "base/error.h"

static void fail_formats_and_returns_status(void **state)
{
	(void)state;
	jg_error err;
	assert_int_equal(jg_fail(&err, JG_ERR_INPUT, "key %s: %d", "x", 3), JG_ERR_INPUT);
	assert_string_equal(err.message, "key x: 3");
	assert_int_equal(err.status, JG_ERR_INPUT);
}

static void codes_and_exit_codes(void **state)
{
	(void)state;
	assert_string_equal(jg_status_code(JG_ERR_TLS), "tls");
	assert_string_equal(jg_status_code(JG_ERR_USAGE), "usage");
	assert_int_equal(jg_exit_code(JG_ERR_PROTOCOL), 6);
	assert_int_equal(jg_exit_code(JG_ERR_REFUSED), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fail_formats_and_returns_status),
		cmocka_unit_test(codes_and_exit_codes),
	};
	return cmocka_run_group_tests_name("error", tests, NULL, NULL);
}
