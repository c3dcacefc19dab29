/*
 * Signing the assertion (src/crypto/jwt.h): every signature is verified with the public key
 * before it is written (fault hardening, issue 12 item 16c). A signature that does not verify,
 * played here by a public key that is not the private key's, must never come out; the right
 * pair signs a JWT that jg_jwt_verify_rs256 accepts. Byte-for-byte answers against the openssl
 * CLI live in tests/e2e/assertion.sh.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "crypto/jwt.h"
#include "crypto/key.h"
#include "crypto/keygen.h"

static jg_key first, second;
static char out[JG_JWT_MAX];

static const jg_claims claims = {
	.iss = "3MVG9CID",
	.sub = "ci@example.com",
	.aud = "https://login.salesforce.com",
	.exp = 1700000180,
	.iat = 1700000000,
};

static int make_keys(void **state)
{
	(void)state;
	jg_error err;
	if (jg_keygen_rsa(2048, &first, &err) != JG_OK || jg_keygen_rsa(2048, &second, &err) != JG_OK)
		return -1;
	return 0;
}

static int wipe_keys(void **state)
{
	(void)state;
	jg_key_wipe(&first);
	jg_key_wipe(&second);
	return 0;
}

static void signs_and_verifies_with_its_own_key(void **state)
{
	(void)state;
	jg_error err;
	jg_jwt_parts parts;
	size_t len = 0;
	assert_int_equal(jg_jwt_sign(&claims, &first.sk, &first.pk, out, sizeof out, &len, &err), JG_OK);
	assert_int_equal(strlen(out), len);
	assert_int_equal(jg_jwt_split(out, len, &parts, &err), JG_OK);
	assert_int_equal(jg_jwt_verify_rs256(&parts, &first.pk, &err), JG_OK);
}

static void a_signature_that_does_not_verify_never_leaves(void **state)
{
	(void)state;
	jg_error err;
	size_t len = 12345;
	memset(out, 'x', sizeof out);
	assert_int_equal(jg_jwt_sign(&claims, &first.sk, &second.pk, out, sizeof out, &len, &err),
		JG_ERR_INPUT);
	assert_non_null(strstr(err.message, "does not verify"));
	assert_int_equal(len, 12345); /* no length given back */
	for (size_t i = 0; i < sizeof out; i++)
		assert_int_equal(out[i], 0); /* nothing of the JWT left in the buffer */
}

static void make_assertion_checks_too(void **state)
{
	(void)state;
	jg_error err;
	size_t len = 0;
	const jg_assertion a = { "3MVG9CID", "ci@example.com", "https://login.salesforce.com", 180 };
	assert_int_equal(jg_jwt_make_assertion(&a, 1700000000, &second.sk, &first.pk, out, sizeof out,
				 &len, &err),
		JG_ERR_INPUT);
	assert_int_equal(jg_jwt_make_assertion(&a, 1700000000, &second.sk, &second.pk, out,
				 sizeof out, &len, &err),
		JG_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(signs_and_verifies_with_its_own_key),
		cmocka_unit_test(a_signature_that_does_not_verify_never_leaves),
		cmocka_unit_test(make_assertion_checks_too),
	};
	return cmocka_run_group_tests(tests, make_keys, wipe_keys);
}
