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
	const jg_assertion a = { .issuer = "3MVG9CID", .subject = "ci@example.com",
		.audience = "https://login.salesforce.com", .lifetime = 180 };
	assert_int_equal(jg_jwt_make_assertion(&a, 1700000000, &second.sk, &first.pk, out, sizeof out,
				 &len, &err),
		JG_ERR_INPUT);
	assert_int_equal(jg_jwt_make_assertion(&a, 1700000000, &second.sk, &second.pk, out,
				 sizeof out, &len, &err),
		JG_OK);
}

/* The JSON of part `index` (0 header, 1 claims) of the JWT in out. */
static void decoded_part(size_t len, int index, char *json, size_t cap)
{
	jg_jwt_parts parts;
	jg_error err;
	size_t n = 0;
	assert_int_equal(jg_jwt_split(out, len, &parts, &err), JG_OK);
	assert_int_equal(jg_jwt_decode_part(index == 0 ? parts.header : parts.claims,
				 index == 0 ? parts.header_len : parts.claims_len, "part", json, cap, &n, &err),
		JG_OK);
}

/* A Google service account's assertion: kid in the header, scope before aud, sub left out. */
static void google_shape_in_order(void **state)
{
	(void)state;
	jg_error err;
	size_t len = 0;
	char json[1024];
	const jg_assertion a = { .issuer = "sa@p.iam.gserviceaccount.com", .scope = "s1 s2",
		.audience = "https://oauth2.googleapis.com/token", .key_id = "k1", .lifetime = 3600 };
	assert_int_equal(jg_jwt_make_assertion(&a, 1700000000, &first.sk, &first.pk, out, sizeof out,
				 &len, &err),
		JG_OK);
	decoded_part(len, 0, json, sizeof json);
	assert_string_equal(json, "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"k1\"}");
	decoded_part(len, 1, json, sizeof json);
	assert_string_equal(json, "{\"iss\":\"sa@p.iam.gserviceaccount.com\",\"scope\":\"s1 s2\","
		"\"aud\":\"https://oauth2.googleapis.com/token\",\"exp\":1700003600,\"iat\":1700000000}");
}

/* More members than an object holds, or a string claim over JG_CLAIM_MAX: refused, nothing out. */
static void oversized_objects_are_refused(void **state)
{
	(void)state;
	jg_error err;
	size_t len = 0;
	static char big[JG_CLAIM_MAX + 2];
	jg_jwt_object header, claims17;
	jg_jwt_object_init(&header);
	jg_jwt_add_string(&header, "alg", "RS256");
	jg_jwt_object_init(&claims17);
	for (int i = 0; i < JG_JWT_MEMBERS_MAX + 1; i++)
		jg_jwt_add_integer(&claims17, "n", i);
	assert_int_equal(claims17.count, JG_JWT_MEMBERS_MAX);
	assert_int_equal(jg_jwt_sign_object(&header, &claims17, &first.sk, &first.pk, out, sizeof out,
				 &len, &err),
		JG_ERR_USAGE);
	memset(big, 'x', sizeof big - 1);
	jg_jwt_object_init(&claims17);
	jg_jwt_add_string(&claims17, "iss", big);
	assert_int_equal(jg_jwt_sign_object(&header, &claims17, &first.sk, &first.pk, out, sizeof out,
				 &len, &err),
		JG_ERR_USAGE);
	assert_non_null(strstr(err.message, "claim iss is longer than 1024 bytes"));
	assert_int_equal(out[0], '\0');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(signs_and_verifies_with_its_own_key),
		cmocka_unit_test(a_signature_that_does_not_verify_never_leaves),
		cmocka_unit_test(make_assertion_checks_too),
		cmocka_unit_test(google_shape_in_order),
		cmocka_unit_test(oversized_objects_are_refused),
	};
	return cmocka_run_group_tests(tests, make_keys, wipe_keys);
}
