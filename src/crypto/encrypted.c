/*
 * Encrypted private keys (header: crypto/encrypted.h): which container an input is, and the
 * reader that opens it. The order of the questions matters:
 *
 *   1. PEM text (a "-----BEGIN " line) is a PKCS#8 "ENCRYPTED PRIVATE KEY", or a traditional
 *      PEM whose BEGIN line is followed by "Proc-Type: 4,ENCRYPTED", or not encrypted at all:
 *      base64 ciphertext never holds dashes, so PEM is never an `openssl enc` file.
 *   2. "Salted__" at the start, or its base64 "U2FsdGVkX1" (white space aside): `openssl enc`.
 *   3. DER that is an EncryptedPrivateKeyInfo (encrypted_pkcs8.c tells it from a plain key).
 *   4. With a raw key in the options: `openssl enc -nosalt -K -iv`, whatever the bytes, since
 *      raw ciphertext has no mark of its own.
 *
 * Also here: the messages every form shares, and small helpers the forms use alike.
 */
#include "crypto/encrypted.h"

#include <stdio.h>
#include <string.h>

#include "base/wipe.h"
#include "crypto/base64.h"
#include "crypto/encrypted_impl.h"
#include "crypto/pem.h"
#include "x509/der.h"

const char *jg_enc_hash_name(const br_hash_class *hash)
{
	static const char *const names[] = { "?", "MD5", "SHA1", "SHA224", "SHA256", "SHA384",
		"SHA512" };
	if (hash == NULL)
		return "?";
	unsigned id = (unsigned)(hash->desc >> BR_HASHDESC_ID_OFF) & BR_HASHDESC_ID_MASK;
	return id < sizeof names / sizeof names[0] ? names[id] : "?";
}

jg_status jg_enc_fail_wrong(const char *origin, jg_error *err)
{
	return jg_fail(err, JG_ERR_INPUT, "%s: wrong passphrase (decryption failed)", origin);
}

jg_status jg_enc_fail_corrupt(const char *origin, jg_error *err)
{
	return jg_fail(err, JG_ERR_INPUT,
		"%s: the encrypted key is truncated or corrupted; copy it again", origin);
}

jg_status jg_enc_fail_too_large(const char *origin, size_t cap, jg_error *err)
{
	return jg_fail(err, JG_ERR_INPUT, "%s: the encrypted key is too large (over %zu bytes)",
		origin, cap);
}

int jg_enc_contains(const unsigned char *text, size_t len, const char *needle)
{
	return memmem(text, len, needle, strlen(needle)) != NULL;
}

int jg_enc_is_der_sequence(const unsigned char *p, size_t len)
{
	unsigned tag = 0;
	size_t value_len = 0;
	int header = jg_der_read_header(p, len, &tag, &value_len);
	return header > 0 && tag == JG_DER_SEQUENCE && value_len == len - (size_t)header;
}

jg_status jg_enc_decode_base64(const unsigned char *text, size_t len, const char *origin,
	unsigned char *out, size_t cap, size_t *out_len, jg_error *err)
{
	*out_len = 0;
	if (jg_base64_decode((const char *)text, len, out, cap, out_len, JG_B64_SKIP_SPACE) == 0)
		return JG_OK;
	/* Did it fail for room? Count the sextets: every 4 make 3 bytes. */
	size_t sextets = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = text[i];
		if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '=')
			sextets++;
	}
	if (sextets / 4 * 3 > cap)
		return jg_enc_fail_too_large(origin, cap, err);
	return jg_enc_fail_corrupt(origin, err);
}

/* --- which form -------------------------------------------------------------------------- */

/* Steps 1 and 2 of the file comment: PEM text, and `openssl enc` files that say so. */
static jg_status detect_marked(const unsigned char *in, size_t len, const char *origin,
	const jg_enc_options *opts, jg_enc_info *info, jg_error *err)
{
	if (jg_pem_looks_like(in, len)) {
		jg_status status = jg_enc_pkcs8_detect(in, len, origin, info, err);
		if (status == JG_OK && info->format == JG_ENC_NONE)
			status = jg_enc_pem_detect(in, len, origin, info, err);
		return status;
	}
	return jg_enc_salted_detect(in, len, origin, opts, info, err);
}

jg_status jg_enc_detect(const unsigned char *in, size_t len, const char *origin,
	const jg_enc_options *opts, jg_enc_info *info, jg_error *err)
{
	memset(info, 0, sizeof *info);
	if (origin == NULL)
		origin = "key";
	if (in == NULL)
		len = 0;
	jg_status status = detect_marked(in, len, origin, opts, info, err);
	if (status != JG_OK || info->format != JG_ENC_NONE || jg_pem_looks_like(in, len))
		return status;
	status = jg_enc_pkcs8_detect(in, len, origin, info, err);
	if (status != JG_OK || info->format != JG_ENC_NONE)
		return status;
	if (opts != NULL && opts->raw_key != NULL)
		return jg_enc_raw_detect(origin, opts, info, err);
	return JG_OK;
}

/* The form's reader, once the form is known and the passphrase is there when it needs one. */
static jg_status open_detected(const unsigned char *in, size_t len, const char *origin,
	const jg_enc_options *opts, const unsigned char *pass, size_t pass_len, jg_enc_info *info,
	unsigned char *out, size_t cap, size_t *out_len, jg_error *err)
{
	if (info->format == JG_ENC_NONE)
		return jg_fail(err, JG_ERR_INPUT, "%s: not an encrypted private key", origin);
	if (out == NULL || cap == 0)
		return jg_enc_fail_too_large(origin, 0, err);
	if (info->format == JG_ENC_RAW)
		return jg_enc_raw_open(in, len, origin, opts, info, out, cap, out_len, err);
	if (pass == NULL)
		return jg_fail(err, JG_ERR_INPUT, "%s is encrypted with a passphrase (%s): give it "
			"with --passphrase-env VAR or --passphrase-file FILE", origin,
			info->description);
	switch (info->format) {
	case JG_ENC_PKCS8:
		return jg_enc_pkcs8_open(in, len, origin, pass, pass_len, info, out, cap, out_len,
			err);
	case JG_ENC_TRADITIONAL:
		return jg_enc_pem_open(in, len, origin, pass, pass_len, info, out, cap, out_len, err);
	default:
		return jg_enc_salted_open(in, len, origin, opts, pass, pass_len, info, out, cap,
			out_len, err);
	}
}

jg_status jg_enc_open(const unsigned char *in, size_t len, const char *origin,
	const jg_enc_options *opts, const unsigned char *pass, size_t pass_len, jg_enc_info *info,
	unsigned char *out, size_t cap, size_t *out_len, jg_error *err)
{
	*out_len = 0;
	if (origin == NULL)
		origin = "key";
	if (in == NULL)
		len = 0;
	jg_status status = jg_enc_detect(in, len, origin, opts, info, err);
	if (status == JG_OK)
		status = open_detected(in, len, origin, opts, pass, pass_len, info, out, cap, out_len,
			err);
	if (status != JG_OK) {
		if (out != NULL)
			jg_wipe(out, cap);
		*out_len = 0;
	}
	return status;
}
