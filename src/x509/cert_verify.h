/* Checking a certificate's signature: RSA PKCS#1 v1.5 over SHA-256. */
#ifndef JG_CERT_VERIFY_H
#define JG_CERT_VERIFY_H

#include <stddef.h>

#include <bearssl.h>

#include "base/error.h"
#include "x509/cert.h"

/*
 * Check that the certificate is signed by its own key with sha256WithRSAEncryption
 * (1.2.840.113549.1.1.11): RSA PKCS#1 v1.5 over SHA-256 of info->tbs, with the modulus and
 * exponent of info. JG_ERR_CHECK when the signature does not verify, JG_ERR_INPUT when the
 * algorithm or key is another one, or the key is above 4096 bits.
 */
jg_status jg_cert_verify_self_signed(const jg_cert_info *info, jg_error *err);

/* 1 when sig[0..sig_len) is a PKCS#1 v1.5 SHA-256 signature of `hash` under pk, 0 otherwise. */
int jg_cert_verify_rsa_sha256(const unsigned char *sig, size_t sig_len,
	const unsigned char hash[32], const br_rsa_public_key *pk);

/* 1 when the certificate holds pk, the public half of an RSA key: the same modulus and
 * exponent (leading zero bytes aside). */
int jg_cert_holds_rsa_key(const jg_cert_info *info, const br_rsa_public_key *pk);

#endif
