/*
 * Key generation: the sizes offered, the key BearSSL makes (size, exponent 65537, a private key
 * that signs what its public key verifies), and the PKCS#8 PEM read back by our own key loader
 * into the same key. The openssl CLI cross-checks live in tests/e2e/keygen.sh.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "crypto/keygen.h"
#include "crypto/key.h"

static jg_key key, loaded;
static char pem[JG_KEYGEN_PEM_MAX];

static void sizes_offered(void **state)
{
	(void)state;
	assert_true(jg_keygen_bits_allowed(2048));
	assert_true(jg_keygen_bits_allowed(3072));
	assert_true(jg_keygen_bits_allowed(4096));
	assert_false(jg_keygen_bits_allowed(1024));
	assert_false(jg_keygen_bits_allowed(2047));
	assert_false(jg_keygen_bits_allowed(8192));
	assert_false(jg_keygen_bits_allowed(0));
	assert_false(jg_keygen_bits_allowed(-2048));
}

static void other_sizes_refused(void **state)
{
	(void)state;
	jg_error err;
	assert_int_equal(jg_keygen_rsa(1024, &key, &err), JG_ERR_USAGE);
	assert_non_null(strstr(err.message, "2048, 3072, 4096"));
	assert_int_equal(jg_keygen_rsa(4097, &key, &err), JG_ERR_USAGE);
}

static void random_bytes_differ(void **state)
{
	(void)state;
	jg_error err;
	unsigned char a[32], b[32], zero[32] = { 0 };
	assert_int_equal(jg_random_bytes(a, sizeof a, &err), JG_OK);
	assert_int_equal(jg_random_bytes(b, sizeof b, &err), JG_OK);
	assert_memory_not_equal(a, b, sizeof a);
	assert_memory_not_equal(a, zero, sizeof a);
	assert_int_equal(jg_random_bytes(a, 0, &err), JG_OK);
}

/* Sign a fixed hash with sk, verify with pk. */
static void assert_key_works(const jg_key *k)
{
	unsigned char hash[32], sig[512], out[32];
	memset(hash, 0x5A, sizeof hash);
	assert_int_equal(
		br_rsa_pkcs1_sign_get_default()(BR_HASH_OID_SHA256, hash, sizeof hash, &k->sk, sig),
		1);
	assert_int_equal(br_rsa_pkcs1_vrfy_get_default()(sig, (k->bits + 7) / 8, BR_HASH_OID_SHA256,
				 sizeof out, &k->pk, out),
		1);
	assert_memory_equal(out, hash, sizeof hash);
}

static void generate_and_read_back(unsigned bits)
{
	jg_error err;
	size_t len = 0;
	assert_int_equal(jg_keygen_rsa(bits, &key, &err), JG_OK);
	assert_int_equal(key.bits, bits);
	assert_int_equal(key.sk.n_bitlen, bits);
	assert_int_equal(key.pk.nlen, bits / 8);
	assert_true(key.pk.n[0] & 0x80); /* exactly `bits` bits */
	assert_int_equal(key.pk.elen, 3);
	assert_memory_equal(key.pk.e, "\x01\x00\x01", 3);
	assert_key_works(&key);

	assert_int_equal(jg_keygen_private_pem(&key, pem, sizeof pem, &len, &err), JG_OK);
	assert_int_equal(strlen(pem), len);
	assert_true(strncmp(pem, "-----BEGIN PRIVATE KEY-----\n", 28) == 0);
	assert_non_null(strstr(pem, "\n-----END PRIVATE KEY-----\n"));

	assert_int_equal(jg_key_load_bytes((const unsigned char *)pem, len, "test", &loaded, &err),
		JG_OK);
	assert_int_equal(loaded.bits, bits);
	assert_int_equal(loaded.pk.nlen, key.pk.nlen);
	assert_memory_equal(loaded.pk.n, key.pk.n, key.pk.nlen);
	assert_int_equal(loaded.sk.plen, key.sk.plen);
	assert_memory_equal(loaded.sk.p, key.sk.p, key.sk.plen);
	assert_memory_equal(loaded.sk.iq, key.sk.iq, key.sk.iqlen);
	assert_key_works(&loaded);
	jg_key_wipe(&loaded);
}

static void rsa_2048(void **state)
{
	(void)state;
	generate_and_read_back(2048);
}

static void rsa_3072(void **state)
{
	(void)state;
	generate_and_read_back(3072);
}

static void rsa_4096(void **state)
{
	(void)state;
	generate_and_read_back(4096);
}

static void two_keys_differ(void **state)
{
	(void)state;
	jg_error err;
	static unsigned char first[512];
	assert_int_equal(jg_keygen_rsa(2048, &key, &err), JG_OK);
	memcpy(first, key.pk.n, key.pk.nlen);
	assert_int_equal(jg_keygen_rsa(2048, &key, &err), JG_OK);
	assert_memory_not_equal(first, key.pk.n, key.pk.nlen);
}

static void pem_too_small_is_refused_and_wiped(void **state)
{
	(void)state;
	jg_error err;
	char small[1024];
	size_t len = 1;
	memset(small, 'x', sizeof small);
	assert_int_equal(jg_keygen_rsa(2048, &key, &err), JG_OK);
	assert_int_equal(jg_keygen_private_pem(&key, small, sizeof small, &len, &err),
		JG_ERR_INPUT);
	assert_int_equal(len, 0);
	for (size_t i = 0; i < sizeof small; i++)
		assert_int_equal(small[i], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sizes_offered),
		cmocka_unit_test(other_sizes_refused),
		cmocka_unit_test(random_bytes_differ),
		cmocka_unit_test(rsa_2048),
		cmocka_unit_test(rsa_3072),
		cmocka_unit_test(rsa_4096),
		cmocka_unit_test(two_keys_differ),
		cmocka_unit_test(pem_too_small_is_refused_and_wiped),
	};
	int failed = cmocka_run_group_tests_name("keygen", tests, NULL, NULL);
	jg_key_wipe(&key);
	return failed;
}
