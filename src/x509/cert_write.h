/* Writing the self-signed X.509 v3 certificate that `keygen` makes for the Connected App. */
#ifndef JG_CERT_WRITE_H
#define JG_CERT_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include <bearssl.h>

#include "base/error.h"
#include "x509/cert.h"

#define JG_CERT_SERIAL_LEN 16
#define JG_CERT_CN_MAX 64 /* characters: X.520 ub-common-name, also used for O */

typedef struct jg_cert_request {
	const br_rsa_private_key *sk;
	const br_rsa_public_key *pk;       /* the public half of sk */
	const char *common_name;           /* UTF-8, 1 to 64 characters */
	const char *organization;          /* UTF-8, 1 to 64 characters, or NULL */
	unsigned char serial[JG_CERT_SERIAL_LEN]; /* random; top bit cleared when written */
	int64_t not_before, not_after;     /* epoch seconds, not_before < not_after */
} jg_cert_request;

/*
 * Write the self-signed X.509 v3 certificate of req into out[0..cap), its length in *len:
 *   version 3 ([0] EXPLICIT INTEGER 2); serialNumber from req->serial with its top bit
 *   cleared (so positive; all zero is refused); signature sha256WithRSAEncryption with NULL
 *   parameters, here and in signatureAlgorithm; issuer = subject = RDNs O (if given) then CN,
 *   each a UTF8String; validity from the request (UTCTime up to 2049, GeneralizedTime after);
 *   the RSA SubjectPublicKeyInfo; extensions [3]: basicConstraints critical CA:FALSE (an empty
 *   SEQUENCE), keyUsage critical digitalSignature, subjectKeyIdentifier = the first 20 bytes
 *   of the SHA-256 of the RSAPublicKey bytes inside the SubjectPublicKeyInfo BIT STRING (RFC
 *   7093 section 2, method 1).
 * The TBSCertificate is signed with RSA PKCS#1 v1.5 over SHA-256, which is deterministic: equal
 * requests give equal bytes. The signature is verified with req->pk before returning, which
 * catches a public key that is not the private key's (and a faulty signature, which would leak
 * the key). JG_ERR_USAGE for a bad subject, serial or validity; JG_ERR_INPUT when the key
 * cannot sign, does not match, or the result does not fit.
 */
jg_status jg_cert_write_self_signed(const jg_cert_request *req, unsigned char *out, size_t cap,
	size_t *len, jg_error *err);

#endif
