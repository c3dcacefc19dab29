/*
 * Certificates (src/x509/cert.h): jg_cert_from_bytes finds the DER in PEM or DER input, as `check`
 * and `decode --cert` read a file; jg_cert_parse reads its structure; a parsed RSA certificate
 * goes through jg_cert_verify_self_signed, which only uses what the parser vouched for. The
 * walker and its extension finder (what the TLS layer's IP check uses) run on the same bytes.
 *
 * Checked: every span of jg_cert_info lies inside the DER; names are terminated and hold no
 * control character (those are escaped); the key facts agree with each other; a certificate
 * the parser takes is one the walker takes; a found extension lies inside the extensions.
 */
#include <stddef.h>
#include <stdint.h>

#include "x509/cert.h"
#include "x509/cert_verify.h"
#include "fuzz_util.h"

static int span_inside(jg_der_span s, const unsigned char *der, size_t len)
{
	if (s.len == 0)
		return 1;
	return s.data >= der && s.len <= len && (size_t)(s.data - der) <= len - s.len;
}

static void check_name(const char *name, size_t cap)
{
	FUZZ_CHECK(fuzz_terminated(name, cap));
	for (const unsigned char *p = (const unsigned char *)name; *p != '\0'; p++)
		FUZZ_CHECK(*p >= 0x20 && *p != 0x7f);
}

static void check_info(const jg_cert_info *info, const unsigned char *der, size_t len)
{
	FUZZ_CHECK(info->version >= 1 && info->version <= 3);
	FUZZ_CHECK(span_inside(info->serial, der, len));
	FUZZ_CHECK(span_inside(info->tbs, der, len) && info->tbs.len > 0);
	FUZZ_CHECK(span_inside(info->signature_algorithm, der, len));
	FUZZ_CHECK(span_inside(info->signature, der, len));
	FUZZ_CHECK(span_inside(info->spki, der, len) && info->spki.len > 0);
	FUZZ_CHECK(info->spki.data > info->tbs.data &&
		info->spki.data + info->spki.len <= info->tbs.data + info->tbs.len);
	check_name(info->subject, sizeof info->subject);
	check_name(info->issuer, sizeof info->issuer);
	if (info->key_algorithm == JG_KEY_RSA) {
		FUZZ_CHECK(span_inside(info->rsa_modulus, der, len) && info->rsa_modulus.len > 0);
		FUZZ_CHECK(span_inside(info->rsa_exponent, der, len));
		FUZZ_CHECK(info->rsa_modulus.data[0] != 0);
		FUZZ_CHECK(info->key_bits > (info->rsa_modulus.len - 1) * 8 &&
			info->key_bits <= info->rsa_modulus.len * 8);
	}
}

/* The walk and the subjectAltName lookup; returns the walk's result. */
static int check_walk(const unsigned char *der, size_t len)
{
	static const unsigned char san_oid[] = { 0x55, 0x1D, 0x11 };
	jg_cert_fields f;
	jg_cert_extension ext;
	int result = jg_cert_walk(der, len, &f);
	if (result != JG_DER_OK)
		return result;
	const jg_der_span *extensions = &f.field[JG_CERT_EXTENSIONS].value;
	if (jg_cert_find_extension(&f, san_oid, sizeof san_oid, &ext) == JG_DER_OK) {
		FUZZ_CHECK(span_inside(ext.value, extensions->data, extensions->len));
		FUZZ_CHECK(ext.oid.len == sizeof san_oid);
	}
	return result;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char der[JG_CERT_DER_MAX];
	static jg_cert_info info;
	jg_error err;
	size_t der_len = 0;

	if (jg_cert_from_bytes(data, size, der, sizeof der, &der_len, &err) != JG_OK) {
		FUZZ_CHECK(err.status == JG_ERR_INPUT && fuzz_terminated(err.message, sizeof err.message));
		return 0;
	}
	/* An empty CERTIFICATE object comes back as 0 bytes (reported); parsing then refuses it. */
	FUZZ_CHECK(der_len <= sizeof der);
	/* Parse an exact-size copy: an over-read past the certificate is caught. */
	unsigned char *copy = (unsigned char *)fuzz_copy(der, der_len);
	memset(&info, 0, sizeof info);
	int walked = check_walk(copy, der_len);
	jg_status st = jg_cert_parse(copy, der_len, &info, &err);
	if (st == JG_OK) {
		FUZZ_CHECK(walked == JG_DER_OK);
		check_info(&info, copy, der_len);
		st = jg_cert_verify_self_signed(&info, &err);
		FUZZ_CHECK(st == JG_OK || st == JG_ERR_CHECK || st == JG_ERR_INPUT);
		if (st == JG_OK)
			FUZZ_CHECK(info.key_algorithm == JG_KEY_RSA);
	} else {
		FUZZ_CHECK(st == JG_ERR_INPUT && fuzz_terminated(err.message, sizeof err.message));
		FUZZ_CHECK(strchr(err.message, '\n') == NULL);
	}
	free(copy);
	return 0;
}
