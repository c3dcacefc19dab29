/* Checking a certificate's signature (header: x509/cert_verify.h). */
#include "x509/cert_verify.h"

#include <string.h>

#include "crypto/sha256.h"

static const unsigned char oid_sha256_with_rsa[] = {          /* 1.2.840.113549.1.1.11 */
	0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B
};

int jg_cert_verify_rsa_sha256(const unsigned char *sig, size_t sig_len,
	const unsigned char hash[32], const br_rsa_public_key *pk)
{
	unsigned char recovered[32];
	br_rsa_pkcs1_vrfy verify = br_rsa_pkcs1_vrfy_get_default();
	return verify(sig, sig_len, BR_HASH_OID_SHA256, sizeof recovered, pk, recovered) == 1 &&
		memcmp(recovered, hash, sizeof recovered) == 0;
}

jg_status jg_cert_verify_self_signed(const jg_cert_info *info, jg_error *err)
{
	if (info->key_algorithm != JG_KEY_RSA)
		return jg_fail(err, JG_ERR_INPUT, "certificate signature: the key is not RSA");
	if (!jg_der_span_equals(info->signature_algorithm, oid_sha256_with_rsa, sizeof oid_sha256_with_rsa))
		return jg_fail(err, JG_ERR_INPUT,
			"certificate signature: the algorithm is not sha256WithRSAEncryption");
	if (info->key_bits > JG_CERT_RSA_MAX_BITS)
		return jg_fail(err, JG_ERR_INPUT,
			"certificate signature: RSA keys above %d bits are not supported", JG_CERT_RSA_MAX_BITS);
	br_rsa_public_key pk = {
		(unsigned char *)info->rsa_modulus.data, info->rsa_modulus.len,
		(unsigned char *)info->rsa_exponent.data, info->rsa_exponent.len
	};
	unsigned char hash[32];
	jg_sha256(info->tbs.data, info->tbs.len, hash);
	if (info->signature.len != (info->key_bits + 7) / 8 ||
		!jg_cert_verify_rsa_sha256(info->signature.data, info->signature.len, hash, &pk))
		return jg_fail(err, JG_ERR_CHECK,
			"certificate signature does not verify with its own public key");
	return JG_OK;
}

static jg_der_span strip_leading_zeros(const unsigned char *p, size_t len)
{
	while (len > 0 && *p == 0) {
		p++;
		len--;
	}
	return (jg_der_span){ p, len };
}

static int span_equal(jg_der_span a, jg_der_span b)
{
	return a.len == b.len && memcmp(a.data, b.data, a.len) == 0;
}

int jg_cert_holds_rsa_key(const jg_cert_info *info, const br_rsa_public_key *pk)
{
	return info->key_algorithm == JG_KEY_RSA &&
		span_equal(strip_leading_zeros(pk->n, pk->nlen),
			strip_leading_zeros(info->rsa_modulus.data, info->rsa_modulus.len)) &&
		span_equal(strip_leading_zeros(pk->e, pk->elen),
			strip_leading_zeros(info->rsa_exponent.data, info->rsa_exponent.len));
}
