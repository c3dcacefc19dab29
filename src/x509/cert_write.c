/* Writing the self-signed certificate of keygen (header: x509/cert_write.h). */
#include "x509/cert_write.h"

#include "base/utf8.h"

#include <string.h>

#include "crypto/sha256.h"
#include "x509/cert_verify.h"
#include "x509/name.h"

/* Object identifiers, as encoded OID content bytes. */
static const unsigned char oid_sha256_with_rsa[] = {          /* 1.2.840.113549.1.1.11 */
	0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B
};
static const unsigned char oid_common_name[] = { 0x55, 0x04, 0x03 };       /* 2.5.4.3 */
static const unsigned char oid_organization[] = { 0x55, 0x04, 0x0A };      /* 2.5.4.10 */
static const unsigned char oid_basic_constraints[] = { 0x55, 0x1D, 0x13 }; /* 2.5.29.19 */
static const unsigned char oid_key_usage[] = { 0x55, 0x1D, 0x0F };         /* 2.5.29.15 */
static const unsigned char oid_subject_key_id[] = { 0x55, 0x1D, 0x0E };    /* 2.5.29.14 */

/*
 * Sign tbs with req->sk into sig (room for JG_CERT_RSA_MAX_BITS bits), then check the signature
 * with req->pk: a mismatched public key, or a faulty CRT computation, fails here.
 */
static jg_status sign_tbs(const jg_cert_request *req, const unsigned char *tbs, size_t tbs_len,
	unsigned char *sig, size_t *sig_len, jg_error *err)
{
	unsigned char hash[32];
	jg_sha256(tbs, tbs_len, hash);
	*sig_len = (req->sk->n_bitlen + 7) / 8;
	br_rsa_pkcs1_sign sign = br_rsa_pkcs1_sign_get_default();
	if (sign(BR_HASH_OID_SHA256, hash, sizeof hash, req->sk, sig) != 1)
		return jg_fail(err, JG_ERR_INPUT, "certificate: signing failed: the RSA key is invalid");
	if (!jg_cert_verify_rsa_sha256(sig, *sig_len, hash, req->pk))
		return jg_fail(err, JG_ERR_INPUT,
			"certificate: the public key does not match the private key");
	return JG_OK;
}

/* --- writing ----------------------------------------------------------------------------- */

/* Text for a certificate name: valid UTF-8 without control characters, 1 to 64 characters. */
static jg_status check_name_text(const char *what, const char *text, jg_error *err)
{
	size_t len = strlen(text), chars = 0;
	for (size_t i = 0, used; i < len; i += used, chars++) {
		long code = jg_utf8_decode((const unsigned char *)text + i, len - i, &used);
		if (code < 0 || jg_name_is_control(code))
			return jg_fail(err, JG_ERR_USAGE,
				"certificate %s: not printable UTF-8 text", what);
	}
	if (chars == 0 || chars > JG_CERT_CN_MAX)
		return jg_fail(err, JG_ERR_USAGE, "certificate %s: must have 1 to %d characters", what,
			JG_CERT_CN_MAX);
	return JG_OK;
}

/* The first and last seconds DER times can express: 0000-01-01T00:00:00Z, 9999-12-31T23:59:59Z. */
#define TIME_FIRST (-62167219200LL)
#define TIME_LAST 253402300799LL

/* Check req and copy its serial with the top bit cleared, so that the INTEGER is positive. */
static jg_status check_request(const jg_cert_request *req, unsigned char *serial,
	jg_error *err)
{
	if (req->sk == NULL || req->pk == NULL || req->common_name == NULL)
		return jg_fail(err, JG_ERR_USAGE, "certificate: key or subject missing");
	if (req->sk->n_bitlen < 1024 || req->sk->n_bitlen > JG_CERT_RSA_MAX_BITS)
		return jg_fail(err, JG_ERR_INPUT,
			"certificate: RSA keys must have 1024 to %d bits", JG_CERT_RSA_MAX_BITS);
	jg_status status = check_name_text("subject", req->common_name, err);
	if (status == JG_OK && req->organization != NULL)
		status = check_name_text("organization", req->organization, err);
	if (status != JG_OK)
		return status;
	unsigned any = 0;
	memcpy(serial, req->serial, JG_CERT_SERIAL_LEN);
	serial[0] &= 0x7F;
	for (size_t i = 0; i < JG_CERT_SERIAL_LEN; i++)
		any |= serial[i];
	if (any == 0)
		return jg_fail(err, JG_ERR_USAGE, "certificate serial: must not be zero");
	if (req->not_before < TIME_FIRST || req->not_after > TIME_LAST ||
		req->not_before >= req->not_after)
		return jg_fail(err, JG_ERR_USAGE,
			"certificate validity: must end after it starts, within the years 0 to 9999");
	return JG_OK;
}

/* SEQUENCE { OID sha256WithRSAEncryption, NULL } */
static void write_signature_algorithm(jg_der_writer *w)
{
	jg_der_begin(w, JG_DER_SEQUENCE);
	jg_der_write_oid(w, oid_sha256_with_rsa, sizeof oid_sha256_with_rsa);
	jg_der_write_null(w);
	jg_der_end(w);
}

/* RelativeDistinguishedName with one attribute: SET { SEQUENCE { OID, UTF8String } } */
static void write_rdn(jg_der_writer *w, const unsigned char *oid, size_t oid_len,
	const char *value)
{
	jg_der_begin(w, JG_DER_SET);
	jg_der_begin(w, JG_DER_SEQUENCE);
	jg_der_write_oid(w, oid, oid_len);
	jg_der_write_utf8_string(w, value, strlen(value));
	jg_der_end(w);
	jg_der_end(w);
}

/* Name: SEQUENCE { RDN O (when given), RDN CN } */
static void write_name(jg_der_writer *w, const jg_cert_request *req)
{
	jg_der_begin(w, JG_DER_SEQUENCE);
	if (req->organization != NULL)
		write_rdn(w, oid_organization, sizeof oid_organization, req->organization);
	write_rdn(w, oid_common_name, sizeof oid_common_name, req->common_name);
	jg_der_end(w);
}

/*
 * The subjectKeyIdentifier: the leftmost 160 bits of the SHA-256 of the DER RSAPublicKey (the
 * subjectPublicKey BIT STRING's value), RFC 7093 section 2 method 1. RFC 5280's SHA-1 method
 * would link BearSSL's SHA-1 (1.4 KB) for this alone; the identifier only has to be unique.
 */
static jg_status compute_key_id(const br_rsa_public_key *pk, unsigned char key_id[20],
	jg_error *err)
{
	unsigned char der[JG_DER_RSA_SPKI_MAX];
	size_t len;
	jg_der_writer w;
	jg_der_writer_init(&w, der, sizeof der);
	jg_der_write_rsa_public_key(&w, pk);
	jg_status status = jg_der_writer_finish(&w, "public key", &len, err);
	if (status != JG_OK)
		return status;
	unsigned char digest[32];
	jg_sha256(der, len, digest);
	memcpy(key_id, digest, 20);
	return JG_OK;
}

/* Extension: SEQUENCE { OID, [BOOLEAN TRUE,] OCTET STRING { ... } }, closed by end_extension. */
static void begin_extension(jg_der_writer *w, const unsigned char *oid, size_t oid_len,
	int critical)
{
	jg_der_begin(w, JG_DER_SEQUENCE);
	jg_der_write_oid(w, oid, oid_len);
	if (critical)
		jg_der_write_boolean(w, 1);
	jg_der_begin(w, JG_DER_OCTET_STRING);
}

static void end_extension(jg_der_writer *w)
{
	jg_der_end(w);
	jg_der_end(w);
}

/* [3] { SEQUENCE { basicConstraints, keyUsage, subjectKeyIdentifier } } */
static void write_extensions(jg_der_writer *w, const unsigned char key_id[20])
{
	static const unsigned char digital_signature = 0x80; /* bit 0, 7 unused bits */
	jg_der_begin(w, JG_DER_CONTEXT(3));
	jg_der_begin(w, JG_DER_SEQUENCE);
	begin_extension(w, oid_basic_constraints, sizeof oid_basic_constraints, 1);
	jg_der_begin(w, JG_DER_SEQUENCE); /* cA DEFAULT FALSE, no pathLen: empty */
	jg_der_end(w);
	end_extension(w);
	begin_extension(w, oid_key_usage, sizeof oid_key_usage, 1);
	jg_der_write_bit_string(w, 7, &digital_signature, 1);
	end_extension(w);
	begin_extension(w, oid_subject_key_id, sizeof oid_subject_key_id, 0);
	jg_der_write_octet_string(w, key_id, 20);
	end_extension(w);
	jg_der_end(w);
	jg_der_end(w);
}

/* TBSCertificate of a self-signed v3 certificate, as jg_cert_write_self_signed() lists. */
static void write_tbs(jg_der_writer *w, const jg_cert_request *req, const unsigned char *serial,
	const unsigned char key_id[20])
{
	jg_der_begin(w, JG_DER_SEQUENCE);
	jg_der_begin(w, JG_DER_CONTEXT(0));
	jg_der_write_small_integer(w, 2);
	jg_der_end(w);
	jg_der_write_integer(w, serial, JG_CERT_SERIAL_LEN);
	write_signature_algorithm(w);
	write_name(w, req);
	jg_der_begin(w, JG_DER_SEQUENCE);
	jg_der_write_time(w, req->not_before);
	jg_der_write_time(w, req->not_after);
	jg_der_end(w);
	write_name(w, req);
	jg_der_write_rsa_spki(w, req->pk);
	write_extensions(w, key_id);
	jg_der_end(w);
}

jg_status jg_cert_write_self_signed(const jg_cert_request *req, unsigned char *out, size_t cap,
	size_t *len, jg_error *err)
{
	unsigned char serial[JG_CERT_SERIAL_LEN], key_id[20], sig[JG_CERT_RSA_MAX_BITS / 8];
	*len = 0;
	jg_status status = check_request(req, serial, err);
	if (status == JG_OK)
		status = compute_key_id(req->pk, key_id, err);
	if (status != JG_OK)
		return status;
	jg_der_writer w;
	jg_der_writer_init(&w, out, cap);
	jg_der_begin(&w, JG_DER_SEQUENCE);
	size_t tbs_start = w.len;
	write_tbs(&w, req, serial, key_id);
	/* When the TBSCertificate did not fit, go on with a blank signature of the right size so
	 * that the error can tell the size needed. */
	size_t sig_len = (req->sk->n_bitlen + 7) / 8;
	memset(sig, 0, sizeof sig);
	if (w.error == 0) {
		status = sign_tbs(req, out + tbs_start, w.len - tbs_start, sig, &sig_len, err);
		if (status != JG_OK)
			return status;
	}
	write_signature_algorithm(&w);
	jg_der_write_bit_string(&w, 0, sig, sig_len);
	jg_der_end(&w);
	return jg_der_writer_finish(&w, "certificate", len, err);
}
