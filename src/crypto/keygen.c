#include "crypto/keygen.h"

#include <string.h>

#include <bearssl.h>

#include "base/wipe.h"
#include "crypto/encrypted.h"
#include "crypto/pem.h"

/* Seed of the DRBG: 384 bits, the entropy plus nonce that SP 800-90A asks of HMAC-DRBG
 * with SHA-256 at its 256-bit strength (32 bytes of entropy, 16 of nonce). */
#define SEED_LEN 48

/* Largest PKCS#8 DER for a 4096-bit key is about 2.4 KB. */
#define PKCS8_DER_MAX 3072

int jg_keygen_bits_allowed(long bits)
{
	return bits == 2048 || bits == 3072 || bits == 4096;
}

jg_status jg_keygen_rsa(unsigned bits, jg_key *key, jg_error *err)
{
	if (!jg_keygen_bits_allowed((long)bits))
		return jg_fail(err, JG_ERR_USAGE, "--bits: %u is not one of 2048, 3072, 4096",
			bits);
	unsigned char seed[SEED_LEN];
	br_hmac_drbg_context drbg;
	memset(key, 0, sizeof *key);
	jg_status st = jg_random_bytes(seed, sizeof seed, err);
	if (st == JG_OK) {
		br_hmac_drbg_init(&drbg, &br_sha256_vtable, seed, sizeof seed);
		br_rsa_keygen generate = br_rsa_keygen_get_default();
		if (generate(&drbg.vtable, &key->sk, key->sk_buf, &key->pk, key->pk_buf, bits,
			    JG_KEYGEN_PUBLIC_EXPONENT) != 1)
			st = jg_fail(err, JG_ERR_INPUT, "RSA key generation failed (%u bits)",
				bits);
	}
	jg_wipe(seed, sizeof seed);
	jg_wipe(&drbg, sizeof drbg);
	if (st != JG_OK) {
		jg_key_wipe(key);
		return st;
	}
	key->bits = bits;
	return JG_OK;
}

/* The private key as PKCS#8 DER into der[0..PKCS8_DER_MAX). */
static jg_status private_der(const jg_key *key, unsigned char *der, size_t *der_len, jg_error *err)
{
	unsigned char d[JG_KEY_MAX_BITS / 8];
	jg_status st = JG_OK;
	size_t d_len =
		br_rsa_compute_privexp_get_default()(NULL, &key->sk, JG_KEYGEN_PUBLIC_EXPONENT);
	*der_len = 0;
	if (d_len == 0 || d_len > sizeof d ||
		br_rsa_compute_privexp_get_default()(d, &key->sk, JG_KEYGEN_PUBLIC_EXPONENT) != d_len)
		st = jg_fail(err, JG_ERR_INPUT, "private key: cannot compute its private exponent");
	else if ((*der_len = br_encode_rsa_pkcs8_der(NULL, &key->sk, &key->pk, d, d_len)) == 0 ||
		*der_len > PKCS8_DER_MAX)
		st = jg_fail(err, JG_ERR_INPUT,
			"private key: its PKCS#8 encoding does not fit in %d bytes", PKCS8_DER_MAX);
	else
		br_encode_rsa_pkcs8_der(der, &key->sk, &key->pk, d, d_len);
	jg_wipe(d, sizeof d);
	return st;
}

jg_status jg_keygen_private_pem(const jg_key *key, char *out, size_t cap, size_t *len,
	jg_error *err)
{
	unsigned char der[PKCS8_DER_MAX];
	size_t der_len = 0;
	*len = 0;
	jg_status st = private_der(key, der, &der_len, err);
	if (st == JG_OK)
		st = jg_pem_write(BR_ENCODE_PEM_PKCS8, der, der_len, out, cap, len, err);
	jg_wipe(der, sizeof der);
	if (st != JG_OK)
		jg_wipe(out, cap);
	return st;
}

jg_status jg_keygen_encrypted_pem(const jg_key *key, const unsigned char *pass, size_t pass_len,
	unsigned long iterations, char *out, size_t cap, size_t *len, jg_error *err)
{
	unsigned char der[PKCS8_DER_MAX], sealed[PKCS8_DER_MAX + 256], salt_iv[32];
	size_t der_len = 0, sealed_len = 0;
	*len = 0;
	jg_status st = private_der(key, der, &der_len, err);
	if (st == JG_OK)
		st = jg_random_bytes(salt_iv, sizeof salt_iv, err);
	if (st == JG_OK)
		st = jg_enc_write_pkcs8(der, der_len, pass, pass_len, iterations, salt_iv, salt_iv + 16,
			sealed, sizeof sealed, &sealed_len, err);
	if (st == JG_OK)
		st = jg_pem_write("ENCRYPTED PRIVATE KEY", sealed, sealed_len, out, cap, len, err);
	jg_wipe(der, sizeof der);
	jg_wipe(salt_iv, sizeof salt_iv);
	if (st != JG_OK)
		jg_wipe(out, cap);
	return st;
}
