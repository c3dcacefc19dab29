/*
 * Inside crypto/encrypted.h: what its four files share. encrypted.c decides which container an
 * input is and hands it to the reader of that form:
 *
 *   encrypted_pkcs8.c  EncryptedPrivateKeyInfo with PBES2, in PEM or DER; the keygen writer
 *   encrypted_pem.c    traditional PEM with "Proc-Type: 4,ENCRYPTED" and "DEK-Info:"
 *   encrypted_enc.c    `openssl enc` output: "Salted__" (binary or base64), and -nosalt -K -iv
 *
 * Each form has a detect function (fills info, or leaves info->format JG_ENC_NONE when the
 * input is not that form) and an open function (called only after its detect said yes, with a
 * non-empty out). The messages every form gives alike are made here, so that they read the
 * same whatever the container.
 */
#ifndef JG_ENCRYPTED_IMPL_H
#define JG_ENCRYPTED_IMPL_H

#include <stddef.h>

#include <bearssl_hash.h>

#include "base/error.h"
#include "crypto/encrypted.h"

/* PBKDF2 iterations beyond this are refused: ten million take seconds already, and a file that
 * asks for more is broken or hostile (a CPU-time bomb). */
#define JG_ENC_MAX_ITERATIONS 10000000UL

/* The command that turns an old or unusual encrypted key into one we read. */
#define JG_ENC_CONVERT "openssl pkcs8 -topk8 -v2 aes-256-cbc -in OLD.key -out server.key"

/* "MD5", "SHA1", "SHA224", "SHA256", "SHA384", "SHA512", or "?" for another hash. */
const char *jg_enc_hash_name(const br_hash_class *hash);

/* "<origin>: wrong passphrase (decryption failed)", JG_ERR_INPUT. */
jg_status jg_enc_fail_wrong(const char *origin, jg_error *err);

/* "<origin>: the encrypted key is truncated or corrupted; copy it again", JG_ERR_INPUT. */
jg_status jg_enc_fail_corrupt(const char *origin, jg_error *err);

/* The decrypted key would not fit in cap bytes, JG_ERR_INPUT. */
jg_status jg_enc_fail_too_large(const char *origin, size_t cap, jg_error *err);

/* 1 when text[0..len) contains needle. */
int jg_enc_contains(const unsigned char *text, size_t len, const char *needle);

/* 1 when p[0..len) is exactly one DER SEQUENCE: the plaintext of a right key. */
int jg_enc_is_der_sequence(const unsigned char *p, size_t len);

/*
 * Base64 text[0..len) (white space anywhere) into out[0..cap), *out_len its length. A text that
 * does not decode is corrupted; one whose bytes would not fit is too large (the messages above).
 */
jg_status jg_enc_decode_base64(const unsigned char *text, size_t len, const char *origin,
	unsigned char *out, size_t cap, size_t *out_len, jg_error *err);

/* --- the forms ------------------------------------------------------------------------------ */

/* PKCS#8: PEM text holding an "ENCRYPTED PRIVATE KEY" object, or DER that is one. */
jg_status jg_enc_pkcs8_detect(const unsigned char *in, size_t len, const char *origin,
	jg_enc_info *info, jg_error *err);
jg_status jg_enc_pkcs8_open(const unsigned char *in, size_t len, const char *origin,
	const unsigned char *pass, size_t pass_len, jg_enc_info *info, unsigned char *out,
	size_t cap, size_t *out_len, jg_error *err);

/* Traditional PEM: a BEGIN line followed by "Proc-Type: 4,ENCRYPTED". */
jg_status jg_enc_pem_detect(const unsigned char *in, size_t len, const char *origin,
	jg_enc_info *info, jg_error *err);
jg_status jg_enc_pem_open(const unsigned char *in, size_t len, const char *origin,
	const unsigned char *pass, size_t pass_len, jg_enc_info *info, unsigned char *out,
	size_t cap, size_t *out_len, jg_error *err);

/* `openssl enc`: "Salted__" binary or base64; then, with opts->raw_key, the raw form. */
jg_status jg_enc_salted_detect(const unsigned char *in, size_t len, const char *origin,
	const jg_enc_options *opts, jg_enc_info *info, jg_error *err);
jg_status jg_enc_raw_detect(const char *origin, const jg_enc_options *opts, jg_enc_info *info,
	jg_error *err);
jg_status jg_enc_salted_open(const unsigned char *in, size_t len, const char *origin,
	const jg_enc_options *opts, const unsigned char *pass, size_t pass_len, jg_enc_info *info,
	unsigned char *out, size_t cap, size_t *out_len, jg_error *err);
jg_status jg_enc_raw_open(const unsigned char *in, size_t len, const char *origin,
	const jg_enc_options *opts, jg_enc_info *info, unsigned char *out, size_t cap,
	size_t *out_len, jg_error *err);

#endif
