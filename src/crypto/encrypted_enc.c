/*
 * Files made with `openssl enc` (cli.md, "Encrypted private keys", forms 3 and 4):
 *
 *   salted   "Salted__" | salt (8 bytes) | ciphertext
 *   raw      ciphertext                         (`-nosalt -K HEX -iv HEX`)
 *
 * either as bytes or as the base64 of them that -a / -base64 writes (lines of 64 characters, or
 * one line with -A; LF or CRLF). A salted file in base64 starts "U2FsdGVkX1", the encoding of
 * "Salted__". The ciphertext is whatever was encrypted (a PEM or DER key) in CBC with PKCS#7
 * padding, in the cipher of --enc-cipher (AES-256-CBC when not given): the file does not say.
 *
 * Nor does a salted file say how its key and IV came from the passphrase and salt, so the
 * derivations openssl has used are tried in turn, key || IV being the first bytes of:
 *
 *   PBKDF2-HMAC-SHA256(pass, salt, --enc-iter)   `enc -pbkdf2` (OpenSSL 1.1.1 and later)
 *   EVP_BytesToKey(SHA-256, salt, pass)          `enc` without -pbkdf2, OpenSSL 1.1.0 and later
 *   EVP_BytesToKey(MD5, salt, pass)              `enc` up to OpenSSL 1.0.2, or `-md md5`
 *
 * (with --enc-md, PBKDF2 then EVP_BytesToKey with that digest). The first whose plaintext has
 * valid padding and looks like a key, a DER SEQUENCE (first byte 0x30) or text with a PEM BEGIN
 * line, wins. A wrong passphrase fails all of them; a right one passes the wrong derivations
 * with a chance of about 2^-16 each (a valid pad byte, then 0x30), so the order matters little.
 */
#include "crypto/encrypted.h"

#include <stdio.h>
#include <string.h>

#include "base/wipe.h"
#include "crypto/base64.h"
#include "crypto/encrypted_impl.h"
#include "crypto/kdf.h"

#define SALT_LEN 8
#define SALTED_HEADER 16 /* "Salted__" and the salt */

/* Where the ciphertext is: in[header..len), or in the base64 of in[0..len) after `header`. */
typedef struct enc_source {
	const unsigned char *in;
	size_t len;
	int base64;
	size_t header;
} enc_source;

/* One way from passphrase and salt to key and IV. */
typedef struct derivation {
	const br_hash_class *md;
	int pbkdf2;
} derivation;

static jg_cipher cipher_of(const jg_enc_options *opts)
{
	return opts != NULL && opts->cipher != JG_CIPHER_NONE ? opts->cipher :
		JG_CIPHER_AES_256_CBC;
}

static unsigned long iterations_of(const jg_enc_options *opts)
{
	return opts != NULL && opts->iterations != 0 ? opts->iterations : JG_ENC_DEFAULT_ITER;
}

static int is_salted_binary(const unsigned char *in, size_t len)
{
	return len >= 8 && memcmp(in, "Salted__", 8) == 0;
}

/* Base64 that starts, white space aside, with "U2FsdGVkX1". */
static int is_salted_base64(const unsigned char *in, size_t len)
{
	static const char mark[] = "U2FsdGVkX1";
	size_t matched = 0;
	for (size_t i = 0; i < len && matched < sizeof mark - 1; i++) {
		if (in[i] == ' ' || in[i] == '\t' || in[i] == '\r' || in[i] == '\n')
			continue;
		if (in[i] != (unsigned char)mark[matched])
			return 0;
		matched++;
	}
	return matched == sizeof mark - 1;
}

static int looks_like_key(const unsigned char *p, size_t len)
{
	return len > 0 && (p[0] == 0x30 || jg_enc_contains(p, len, "-----BEGIN "));
}

/* The options' cipher and iteration count, checked; the description of `what`. */
static jg_status describe(const char *what, const char *origin, const jg_enc_options *opts,
	jg_enc_info *info, jg_error *err)
{
	info->cipher = cipher_of(opts);
	if (jg_cipher_key_len(info->cipher) == 0)
		return jg_fail(err, JG_ERR_USAGE, "%s: --enc-cipher: not a cipher jwtgrant reads",
			origin);
	if (iterations_of(opts) > JG_ENC_MAX_ITERATIONS)
		return jg_fail(err, JG_ERR_USAGE, "--enc-iter: at most %lu iterations",
			JG_ENC_MAX_ITERATIONS);
	(void)snprintf(info->format_name, sizeof info->format_name, "openssl enc");
	(void)snprintf(info->description, sizeof info->description, "%s, %s", what,
		jg_cipher_name(info->cipher));
	return JG_OK;
}

jg_status jg_enc_salted_detect(const unsigned char *in, size_t len, const char *origin,
	const jg_enc_options *opts, jg_enc_info *info, jg_error *err)
{
	if (!is_salted_binary(in, len) && !is_salted_base64(in, len))
		return JG_OK;
	info->format = JG_ENC_SALTED;
	info->prf = opts != NULL ? opts->md : NULL;
	return describe("openssl enc", origin, opts, info, err);
}

jg_status jg_enc_raw_detect(const char *origin, const jg_enc_options *opts, jg_enc_info *info,
	jg_error *err)
{
	info->format = JG_ENC_RAW;
	jg_status status = describe("openssl enc -nosalt", origin, opts, info, err);
	if (status != JG_OK)
		return status;
	size_t key_len = jg_cipher_key_len(info->cipher), block = jg_cipher_block_len(info->cipher);
	if (opts->raw_key_len != key_len)
		return jg_fail(err, JG_ERR_INPUT, "--enc-key-env: %s needs a key of %zu hex digits, "
			"not %zu", jg_cipher_name(info->cipher), 2 * key_len, 2 * opts->raw_key_len);
	if (opts->raw_iv != NULL && opts->raw_iv_len != block)
		return jg_fail(err, JG_ERR_INPUT, "--enc-iv-env: %s needs an IV of %zu hex digits, "
			"not %zu", jg_cipher_name(info->cipher), 2 * block, 2 * opts->raw_iv_len);
	return JG_OK;
}

/*
 * The ciphertext into out[0..cap), *n its length, a whole number of blocks of `cipher`; the
 * salt (when salt is not NULL) from the bytes before it.
 */
static jg_status load(const enc_source *src, jg_cipher cipher, const char *origin,
	unsigned char *out, size_t cap, size_t *n, unsigned char *salt, jg_error *err)
{
	size_t total = src->len;
	*n = 0;
	if (src->base64) {
		jg_status status = jg_enc_decode_base64(src->in, src->len, origin, out, cap, &total,
			err);
		if (status != JG_OK)
			return status;
	}
	if (total < src->header)
		return jg_enc_fail_corrupt(origin, err);
	const unsigned char *from = src->base64 ? out : src->in;
	if (salt != NULL)
		memcpy(salt, from + SALT_LEN, SALT_LEN);
	*n = total - src->header;
	if (*n > cap)
		return jg_enc_fail_too_large(origin, cap, err);
	memmove(out, from + src->header, *n);
	size_t block = jg_cipher_block_len(cipher);
	if (*n == 0 || *n % block != 0)
		return jg_fail(err, JG_ERR_INPUT, "%s: the encrypted data is not a whole number of %s "
			"blocks: it is truncated or corrupted, or was made with another cipher "
			"(--enc-cipher)", origin, jg_cipher_name(cipher));
	return JG_OK;
}

/* Key and IV for `cipher` by derivation d. */
static int derive(const derivation *d, unsigned long iterations, const unsigned char *pass,
	size_t pass_len, const unsigned char *salt, jg_cipher cipher, unsigned char *key,
	unsigned char *iv)
{
	size_t key_len = jg_cipher_key_len(cipher), block = jg_cipher_block_len(cipher);
	if (!d->pbkdf2)
		return jg_evp_bytes_to_key(d->md, pass, pass_len, salt, key, key_len, iv, block);
	unsigned char both[JG_CIPHER_MAX_KEY + JG_CIPHER_MAX_BLOCK];
	int result = jg_pbkdf2(d->md, pass, pass_len, salt, SALT_LEN, iterations, both,
		key_len + block);
	memcpy(key, both, key_len);
	memcpy(iv, both + key_len, block);
	jg_wipe(both, sizeof both);
	return result;
}

/* Decrypt out[0..n) in place with key and iv; 1 when the plaintext looks like a key. */
static int decrypt(jg_cipher cipher, const unsigned char *key, const unsigned char *iv,
	unsigned char *out, size_t n, size_t *out_len)
{
	if (jg_cbc_decrypt(cipher, key, iv, out, n, out_len) == 0 && looks_like_key(out, *out_len))
		return 1;
	jg_wipe(out, n);
	*out_len = 0;
	return 0;
}

/* The derivations to try, in order (file comment); returns how many. */
static size_t list_derivations(const jg_enc_options *opts, derivation list[3])
{
	if (opts != NULL && opts->md != NULL) {
		list[0] = (derivation){ opts->md, 1 };
		list[1] = (derivation){ opts->md, 0 };
		return 2;
	}
	list[0] = (derivation){ &br_sha256_vtable, 1 };
	list[1] = (derivation){ &br_sha256_vtable, 0 };
	list[2] = (derivation){ &br_md5_vtable, 0 };
	return 3;
}

/* Try derivation d: the ciphertext (loaded once already, so loading cannot fail now) into
 * out, then decrypted; 1 when the plaintext looks like a key. */
static int attempt(const derivation *d, const enc_source *src, const jg_enc_options *opts,
	const unsigned char *pass, size_t pass_len, const unsigned char *salt, jg_enc_info *info,
	unsigned char *out, size_t cap, size_t *out_len)
{
	jg_error unused;
	size_t n = 0;
	unsigned char key[JG_CIPHER_MAX_KEY], iv[JG_CIPHER_MAX_BLOCK];
	if (load(src, info->cipher, "", out, cap, &n, NULL, &unused) != JG_OK)
		return 0;
	int ok = derive(d, iterations_of(opts), pass, pass_len, salt, info->cipher, key, iv) == 0 &&
		decrypt(info->cipher, key, iv, out, n, out_len);
	jg_wipe(key, sizeof key);
	jg_wipe(iv, sizeof iv);
	if (!ok)
		return 0;
	info->prf = d->md;
	info->iterations = d->pbkdf2 ? iterations_of(opts) : 0;
	if (d->pbkdf2)
		(void)snprintf(info->derivation, sizeof info->derivation,
			"PBKDF2-HMAC-%s, %lu iteration%s", jg_enc_hash_name(d->md), info->iterations,
			info->iterations == 1 ? "" : "s");
	else
		(void)snprintf(info->derivation, sizeof info->derivation, "EVP_BytesToKey-%s",
			jg_enc_hash_name(d->md));
	return 1;
}

jg_status jg_enc_salted_open(const unsigned char *in, size_t len, const char *origin,
	const jg_enc_options *opts, const unsigned char *pass, size_t pass_len, jg_enc_info *info,
	unsigned char *out, size_t cap, size_t *out_len, jg_error *err)
{
	enc_source src = { in, len, !is_salted_binary(in, len), SALTED_HEADER };
	unsigned char salt[SALT_LEN];
	size_t n = 0;
	jg_status status = load(&src, info->cipher, origin, out, cap, &n, salt, err);
	if (status != JG_OK)
		return status;
	derivation list[3];
	size_t count = list_derivations(opts, list);
	for (size_t i = 0; i < count; i++) {
		if (attempt(&list[i], &src, opts, pass, pass_len, salt, info, out, cap, out_len))
			return JG_OK;
	}
	return jg_enc_fail_wrong(origin, err);
}

jg_status jg_enc_raw_open(const unsigned char *in, size_t len, const char *origin,
	const jg_enc_options *opts, jg_enc_info *info, unsigned char *out, size_t cap,
	size_t *out_len, jg_error *err)
{
	size_t block = jg_cipher_block_len(info->cipher), n = 0;
	/* Base64 when all of it decodes (white space aside) to whole blocks; bytes otherwise. */
	enc_source src = { in, len, 0, 0 };
	src.base64 = jg_base64_decode((const char *)in, len, out, cap, &n, JG_B64_SKIP_SPACE) == 0 &&
		n > 0 && n % block == 0;
	jg_status status = load(&src, info->cipher, origin, out, cap, &n, NULL, err);
	if (status != JG_OK)
		return status;
	unsigned char iv[JG_CIPHER_MAX_BLOCK] = { 0 };
	if (opts->raw_iv != NULL)
		memcpy(iv, opts->raw_iv, block);
	int ok = decrypt(info->cipher, opts->raw_key, iv, out, n, out_len);
	jg_wipe(iv, sizeof iv);
	if (!ok)
		return jg_enc_fail_wrong(origin, err);
	(void)snprintf(info->derivation, sizeof info->derivation, "raw key and IV");
	return JG_OK;
}
