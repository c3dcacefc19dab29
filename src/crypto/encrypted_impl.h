/*
 * Inside crypto/encrypted.h: what its four files share. Each form's reader tells whether an
 * input is that form and, when it is, parses it into a jg_enc_sealed: the cipher, the salt and
 * IV, where the ciphertext is and how it is stored, and the derivations that may give the key.
 * encrypted.c decides which reader an input goes to, and opens every form the same way from
 * what its reader found:
 *
 *   encrypted_pkcs8.c  EncryptedPrivateKeyInfo with PBES2 (DER); the keygen writer
 *   encrypted_pem.c    traditional PEM with "Proc-Type: 4,ENCRYPTED" and "DEK-Info:"
 *   encrypted_enc.c    `openssl enc` output: "Salted__" (binary or base64), and -nosalt -K -iv
 *
 * The messages every form gives alike are made here, so that they read the same whatever the
 * container.
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

/* The command that turns an old or unusual encrypted key into one we read (an argument of the
 * refusals' formats rather than part of each: one copy in the binary). */
#define JG_ENC_CONVERT "openssl pkcs8 -topk8 -v2 aes-256-cbc -in OLD.key -out server.key"

#define JG_ENC_SALT_MAX 64 /* bytes of PBKDF2 salt accepted; OpenSSL writes 16, older ones 8 */

/* One way from the passphrase to the key (and, for a salted `openssl enc` file, the IV). */
typedef struct jg_enc_derivation {
	const br_hash_class *md;  /* PBKDF2's HMAC hash, or EVP_BytesToKey's; NULL: the raw key */
	unsigned long iterations; /* PBKDF2 with this many; 0: EVP_BytesToKey (one iteration) */
} jg_enc_derivation;

/* How the ciphertext is stored. */
typedef enum jg_enc_encoding {
	JG_ENC_BYTES,
	JG_ENC_BASE64,         /* white space anywhere */
	JG_ENC_BASE64_OR_BYTES /* base64 when all of it decodes to whole blocks, else bytes */
} jg_enc_encoding;

/* A container as its reader found it: all that opening it takes. Nothing in it is secret (the
 * salt and IV are the container's), so it is not wiped. */
typedef struct jg_enc_sealed {
	const unsigned char *data; /* the ciphertext as stored, inside the caller's input */
	size_t len;
	jg_enc_encoding encoding;
	int salted;       /* a salted `openssl enc` file: "Salted__" and the 8-byte salt come first,
	                   * and each derivation gives the key, then the IV */
	int openssl_enc;  /* made by `openssl enc`: the cipher is the options', and the plaintext
	                   * need only look like a key (first byte 0x30, or a BEGIN line); the other
	                   * forms name their cipher, and their plaintext is exactly one DER SEQUENCE */
	jg_cipher cipher;
	jg_enc_derivation tries[3]; /* tried in this order; the first that opens it wins */
	size_t count;
	unsigned char salt[JG_ENC_SALT_MAX];
	size_t salt_len;
	unsigned char iv[JG_CIPHER_MAX_BLOCK]; /* the container's (all zero for a raw file without) */
	const unsigned char *raw_key;          /* for the derivation with md NULL */
} jg_enc_sealed;

/* "MD5", "SHA1", "SHA224", "SHA256", "SHA384", "SHA512", or "?" for another hash. */
const char *jg_enc_hash_name(const br_hash_class *hash);

/* "<origin>: the encrypted key is truncated or corrupted; copy it again", JG_ERR_INPUT. */
jg_status jg_enc_fail_corrupt(const char *origin, jg_error *err);

/* --- the forms: each leaves info->format JG_ENC_NONE when the input is not that form ------- */

/* PKCS#8: DER that is an EncryptedPrivateKeyInfo. */
jg_status jg_enc_pkcs8_read(const unsigned char *in, size_t len, const char *origin,
	jg_enc_info *info, jg_enc_sealed *sealed, jg_error *err);

/* Traditional PEM: a BEGIN line followed by "Proc-Type: 4,ENCRYPTED". */
jg_status jg_enc_pem_read(const unsigned char *in, size_t len, const char *origin,
	jg_enc_info *info, jg_enc_sealed *sealed, jg_error *err);

/* `openssl enc`: "Salted__" binary or base64; then, with opts->raw_key, the raw form. */
jg_status jg_enc_salted_read(const unsigned char *in, size_t len, const char *origin,
	const jg_enc_options *opts, jg_enc_info *info, jg_enc_sealed *sealed, jg_error *err);
jg_status jg_enc_raw_read(const unsigned char *in, size_t len, const char *origin,
	const jg_enc_options *opts, jg_enc_info *info, jg_enc_sealed *sealed, jg_error *err);

#endif
