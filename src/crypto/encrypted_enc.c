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

#include "crypto/encrypted_impl.h"

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

static unsigned long iterations_of(const jg_enc_options *opts)
{
	return opts != NULL && opts->iterations != 0 ? opts->iterations : JG_ENC_DEFAULT_ITER;
}

/* What both forms share: the options checked, the whole input as the ciphertext in the
 * options' cipher, and the description of `what`. */
static jg_status read_enc(const unsigned char *in, size_t len, const char *what,
	const char *origin, const jg_enc_options *opts, jg_enc_info *info, jg_enc_sealed *sealed,
	jg_error *err)
{
	sealed->cipher = opts != NULL && opts->cipher != JG_CIPHER_NONE ? opts->cipher :
		JG_CIPHER_AES_256_CBC;
	sealed->data = in;
	sealed->len = len;
	sealed->openssl_enc = 1;
	info->cipher = sealed->cipher;
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

/* The derivations to try, in order (file comment). */
static void list_derivations(const jg_enc_options *opts, jg_enc_sealed *sealed)
{
	const br_hash_class *md = opts != NULL ? opts->md : NULL;
	jg_enc_derivation *d = sealed->tries;
	d[0] = (jg_enc_derivation){ md != NULL ? md : &br_sha256_vtable, iterations_of(opts) };
	d[1] = (jg_enc_derivation){ d[0].md, 0 };
	d[2] = (jg_enc_derivation){ &br_md5_vtable, 0 };
	sealed->count = md != NULL ? 2 : 3;
}

jg_status jg_enc_salted_read(const unsigned char *in, size_t len, const char *origin,
	const jg_enc_options *opts, jg_enc_info *info, jg_enc_sealed *sealed, jg_error *err)
{
	if (!is_salted_binary(in, len) && !is_salted_base64(in, len))
		return JG_OK;
	info->format = JG_ENC_SALTED;
	info->prf = opts != NULL ? opts->md : NULL;
	sealed->salted = 1;
	sealed->encoding = is_salted_binary(in, len) ? JG_ENC_BYTES : JG_ENC_BASE64;
	list_derivations(opts, sealed);
	return read_enc(in, len, "openssl enc", origin, opts, info, sealed, err);
}

/* The raw key or IV in `option` has `len` bytes where `cipher` needs `want`. */
static jg_status refuse_length(const char *option, const char *what, jg_cipher cipher,
	size_t want, size_t len, jg_error *err)
{
	return jg_fail(err, JG_ERR_INPUT, "%s: %s needs %s of %zu hex digits, not %zu", option,
		jg_cipher_name(cipher), what, 2 * want, 2 * len);
}

jg_status jg_enc_raw_read(const unsigned char *in, size_t len, const char *origin,
	const jg_enc_options *opts, jg_enc_info *info, jg_enc_sealed *sealed, jg_error *err)
{
	info->format = JG_ENC_RAW;
	sealed->encoding = JG_ENC_BASE64_OR_BYTES;
	sealed->raw_key = opts->raw_key;
	sealed->count = 1; /* tries[0].md NULL: the raw key */
	jg_status status = read_enc(in, len, "openssl enc -nosalt", origin, opts, info, sealed,
		err);
	if (status != JG_OK)
		return status;
	size_t key_len = jg_cipher_key_len(info->cipher), block = jg_cipher_block_len(info->cipher);
	if (opts->raw_key_len != key_len)
		return refuse_length("--enc-key-env", "a key", info->cipher, key_len, opts->raw_key_len,
			err);
	if (opts->raw_iv != NULL && opts->raw_iv_len != block)
		return refuse_length("--enc-iv-env", "an IV", info->cipher, block, opts->raw_iv_len,
			err);
	if (opts->raw_iv != NULL) /* else all zero, as openssl takes a missing -iv */
		memcpy(sealed->iv, opts->raw_iv, block);
	return JG_OK;
}
