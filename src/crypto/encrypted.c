/*
 * Encrypted private keys (header: crypto/encrypted.h): which container an input is, and opening
 * it. The order of the questions matters:
 *
 *   1. PEM text (a "-----BEGIN " line) is a traditional PEM whose BEGIN line is followed by
 *      "Proc-Type: 4,ENCRYPTED", or nothing of ours: base64 ciphertext never holds dashes, so
 *      PEM is never an `openssl enc` file, and an "ENCRYPTED PRIVATE KEY" object comes here as
 *      the DER the key loader's PEM walk collected.
 *   2. "Salted__" at the start, or its base64 "U2FsdGVkX1" (white space aside): `openssl enc`.
 *   3. DER that is an EncryptedPrivateKeyInfo (encrypted_pkcs8.c tells it from a plain key).
 *   4. With a raw key in the options: `openssl enc -nosalt -K -iv`, whatever the bytes, since
 *      raw ciphertext has no mark of its own.
 *
 * The form's reader parses the container into a jg_enc_sealed; opening is the same for all:
 * the ciphertext is loaded into the caller's buffer (base64 decoded, the salted header taken
 * off), then each derivation the reader listed is tried in turn, decrypting in place, until the
 * plaintext is a key. A wrong passphrase fails them all, and only that is said.
 */
#include "crypto/encrypted.h"

#include <stdio.h>
#include <string.h>

#include "base/wipe.h"
#include "crypto/base64.h"
#include "crypto/encrypted_impl.h"
#include "crypto/kdf.h"
#include "crypto/pem.h"
#include "x509/der.h"

#define SALTED_HEADER 16 /* "Salted__" and the salt */

const char *jg_enc_hash_name(const br_hash_class *hash)
{
	static const char *const names[] = { "?", "MD5", "SHA1", "SHA224", "SHA256", "SHA384",
		"SHA512" };
	if (hash == NULL)
		return "?";
	unsigned id = (unsigned)(hash->desc >> BR_HASHDESC_ID_OFF) & BR_HASHDESC_ID_MASK;
	return id < sizeof names / sizeof names[0] ? names[id] : "?";
}

jg_status jg_enc_fail_corrupt(const char *origin, jg_error *err)
{
	return jg_fail(err, JG_ERR_INPUT,
		"%s: the encrypted key is truncated or corrupted; copy it again", origin);
}

static jg_status fail_too_large(const char *origin, size_t cap, jg_error *err)
{
	return jg_fail(err, JG_ERR_INPUT, "%s: the encrypted key is too large (over %zu bytes)",
		origin, cap);
}

/* --- which form -------------------------------------------------------------------------- */

/* The questions of the file comment, in order; info and sealed filled by the form's reader. */
static jg_status read_container(const unsigned char *in, size_t len, const char *origin,
	const jg_enc_options *opts, jg_enc_info *info, jg_enc_sealed *sealed, jg_error *err)
{
	memset(info, 0, sizeof *info);
	memset(sealed, 0, sizeof *sealed);
	if (jg_pem_looks_like(in, len))
		return jg_enc_pem_read(in, len, origin, info, sealed, err);
	jg_status status = jg_enc_salted_read(in, len, origin, opts, info, sealed, err);
	if (status == JG_OK && info->format == JG_ENC_NONE)
		status = jg_enc_pkcs8_read(in, len, origin, info, sealed, err);
	if (status == JG_OK && info->format == JG_ENC_NONE && opts != NULL && opts->raw_key != NULL)
		status = jg_enc_raw_read(in, len, origin, opts, info, sealed, err);
	return status;
}

jg_status jg_enc_detect(const unsigned char *in, size_t len, const char *origin,
	const jg_enc_options *opts, jg_enc_info *info, jg_error *err)
{
	jg_enc_sealed sealed;
	return read_container(in, in != NULL ? len : 0, origin != NULL ? origin : "key", opts, info,
		&sealed, err);
}

/* --- opening ----------------------------------------------------------------------------- */

/*
 * The ciphertext into out[0..*n), a whole number of blocks: decoded from base64 when stored so,
 * and after the salted header, "Salted__" and the salt, which goes into sealed->salt.
 */
static jg_status load(jg_enc_sealed *sealed, const char *origin, unsigned char *out, size_t cap,
	size_t *n, jg_error *err)
{
	size_t block = jg_cipher_block_len(sealed->cipher), total = sealed->len, decoded = 0;
	size_t header = sealed->salted ? SALTED_HEADER : 0;
	const unsigned char *from = sealed->data;
	*n = 0;
	/* Base64 when it must be, or when it may be and decodes to whole blocks. */
	if (sealed->encoding != JG_ENC_BYTES && jg_base64_decode((const char *)sealed->data,
			sealed->len, out, cap, &decoded, JG_B64_SKIP_SPACE) == 0 &&
		(sealed->encoding == JG_ENC_BASE64 || (decoded > 0 && decoded % block == 0))) {
		from = out;
		total = decoded;
	} else if (sealed->encoding == JG_ENC_BASE64) {
		/* It did not decode: for room when its characters could make more than cap bytes
		 * (every 4 make 3; the key loader's buffer holds that much of any input), else for a
		 * character that is not base64. */
		return sealed->len / 4 * 3 > cap ? fail_too_large(origin, cap, err) :
			jg_enc_fail_corrupt(origin, err);
	}
	if (total < header)
		return jg_enc_fail_corrupt(origin, err);
	if (sealed->salted) {
		memcpy(sealed->salt, from + 8, 8);
		sealed->salt_len = 8;
	}
	*n = total - header;
	if (*n > cap)
		return fail_too_large(origin, cap, err);
	memmove(out, from + header, *n);
	if (*n > 0 && *n % block == 0)
		return JG_OK;
	if (!sealed->openssl_enc)
		return jg_enc_fail_corrupt(origin, err);
	return jg_fail(err, JG_ERR_INPUT, "%s: the encrypted data is not a whole number of %s "
		"blocks: it is truncated or corrupted, or was made with another cipher "
		"(--enc-cipher)", origin, jg_cipher_name(sealed->cipher));
}

/* The key by derivation d (and, salted, the IV after it; else the container's IV). */
static int derive(const jg_enc_sealed *sealed, const jg_enc_derivation *d,
	const unsigned char *pass, size_t pass_len, unsigned char *key, unsigned char *iv)
{
	size_t key_len = jg_cipher_key_len(sealed->cipher);
	size_t iv_len = sealed->salted ? jg_cipher_block_len(sealed->cipher) : 0;
	memcpy(iv, sealed->iv, sizeof sealed->iv);
	if (d->md == NULL) {
		memcpy(key, sealed->raw_key, key_len);
		return 0;
	}
	if (d->iterations == 0)
		return jg_evp_bytes_to_key(d->md, pass, pass_len, sealed->salt, key, key_len, iv,
			iv_len);
	unsigned char both[JG_CIPHER_MAX_KEY + JG_CIPHER_MAX_BLOCK];
	int result = jg_pbkdf2(d->md, pass, pass_len, sealed->salt, sealed->salt_len,
		d->iterations, both, key_len + iv_len);
	memcpy(key, both, key_len);
	memcpy(iv, both + key_len, iv_len);
	jg_wipe(both, sizeof both);
	return result;
}

/* 1 when the plaintext p[0..len) is a key, as far as the container lets us tell. */
static int is_key(const jg_enc_sealed *sealed, const unsigned char *p, size_t len)
{
	if (sealed->openssl_enc)
		return len > 0 && (p[0] == 0x30 || jg_pem_looks_like(p, len));
	unsigned tag = 0;
	size_t value_len = 0;
	int header = jg_der_read_header(p, len, &tag, &value_len);
	return header > 0 && tag == JG_DER_SEQUENCE && value_len == len - (size_t)header;
}

/*
 * Derivation d, then out[0..n) decrypted in place: 1 when it gives a key, else 0 with out wiped.
 * A derivation that cannot run (the readers accept no parameters that make it so) opens nothing.
 */
static int attempt(const jg_enc_sealed *sealed, const jg_enc_derivation *d,
	const unsigned char *pass, size_t pass_len, unsigned char *out, size_t n, size_t *out_len)
{
	unsigned char key[JG_CIPHER_MAX_KEY], iv[JG_CIPHER_MAX_BLOCK];
	int opened = derive(sealed, d, pass, pass_len, key, iv) == 0 &&
		jg_cbc_decrypt(sealed->cipher, key, iv, out, n, out_len) == 0 &&
		is_key(sealed, out, *out_len);
	jg_wipe(key, sizeof key);
	jg_wipe(iv, sizeof iv);
	if (!opened)
		jg_wipe(out, n);
	return opened;
}

/* What opened it, for -v: info's prf, iterations and derivation. */
static void name_derivation(const jg_enc_derivation *d, jg_enc_info *info)
{
	info->prf = d->md;
	info->iterations = d->iterations;
	if (d->md == NULL)
		(void)snprintf(info->derivation, sizeof info->derivation, "raw key and IV");
	else if (d->iterations == 0)
		(void)snprintf(info->derivation, sizeof info->derivation, "EVP_BytesToKey-%s",
			jg_enc_hash_name(d->md));
	else
		(void)snprintf(info->derivation, sizeof info->derivation,
			"PBKDF2-HMAC-%s, %lu iteration%s", jg_enc_hash_name(d->md), d->iterations,
			d->iterations == 1 ? "" : "s");
}

/* Each derivation in turn, the ciphertext loaded again for each (decrypting consumes it). */
static jg_status open_sealed(jg_enc_sealed *sealed, const char *origin,
	const unsigned char *pass, size_t pass_len, jg_enc_info *info, unsigned char *out,
	size_t cap, size_t *out_len, jg_error *err)
{
	for (size_t i = 0; i < sealed->count; i++) {
		const jg_enc_derivation *d = &sealed->tries[i];
		size_t n = 0;
		jg_status status = load(sealed, origin, out, cap, &n, err);
		if (status != JG_OK)
			return status;
		if (attempt(sealed, d, pass, pass_len, out, n, out_len)) {
			name_derivation(d, info);
			return JG_OK;
		}
	}
	return jg_fail(err, JG_ERR_INPUT, "%s: wrong passphrase (decryption failed)", origin);
}

/* The form known: refuse what is not encrypted, or lacks its passphrase; then open it. */
static jg_status open_input(const unsigned char *in, size_t len, const char *origin,
	const jg_enc_options *opts, const unsigned char *pass, size_t pass_len, jg_enc_info *info,
	unsigned char *out, size_t cap, size_t *out_len, jg_error *err)
{
	jg_enc_sealed sealed;
	jg_status status = read_container(in, len, origin, opts, info, &sealed, err);
	if (status == JG_OK && info->format == JG_ENC_NONE)
		status = jg_fail(err, JG_ERR_INPUT, "%s: not an encrypted private key", origin);
	else if (status == JG_OK && (out == NULL || cap == 0))
		status = fail_too_large(origin, 0, err);
	else if (status == JG_OK && pass == NULL && info->format != JG_ENC_RAW)
		status = jg_fail(err, JG_ERR_INPUT, "%s is encrypted with a passphrase (%s): give it "
			"with --passphrase-env VAR or --passphrase-file FILE", origin,
			info->description);
	else if (status == JG_OK)
		status = open_sealed(&sealed, origin, pass, pass_len, info, out, cap, out_len, err);
	return status;
}

jg_status jg_enc_open(const unsigned char *in, size_t len, const char *origin,
	const jg_enc_options *opts, const unsigned char *pass, size_t pass_len, jg_enc_info *info,
	unsigned char *out, size_t cap, size_t *out_len, jg_error *err)
{
	*out_len = 0;
	jg_status status = open_input(in, in != NULL ? len : 0,
		origin != NULL ? origin : "key", opts, pass, pass_len, info, out, cap, out_len, err);
	if (status != JG_OK) {
		if (out != NULL)
			jg_wipe(out, cap);
		*out_len = 0;
	}
	return status;
}
