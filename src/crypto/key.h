/*
 * Loading the RSA private key that signs the assertion.
 *
 * Accepted, from a file, stdin or an environment variable: PEM "PRIVATE KEY" (unencrypted
 * PKCS#8) and "RSA PRIVATE KEY" (PKCS#1), with any line endings and text around the block (a
 * certificate before the key is fine); PEM whose newlines arrived as the two characters "\n"
 * (CI secret stores, JSON key files); raw DER; base64 of PEM or of DER. Encrypted keys in every
 * form crypto/encrypted.h opens, once the caller's jg_key_unlock gives the passphrase. Refused
 * with a message naming what was found and the fix: certificates, public keys, encrypted keys
 * without a passphrase, EC and other non-RSA keys, RSA keys under 2048 or over 4096 bits,
 * anything else.
 */
#ifndef JG_KEYLOAD_H
#define JG_KEYLOAD_H

#include <bearssl.h>

#include "base/error.h"
#include "crypto/encrypted.h"

#define JG_KEY_INPUT_MAX (64 * 1024) /* bytes of key input accepted */
#define JG_KEY_MIN_BITS 2048
#define JG_KEY_MAX_BITS 4096 /* BR_MAX_RSA_SIZE: BearSSL cannot decode larger keys */

/* A decoded key pair; the private and public key point into the buffers of this struct. */
typedef struct jg_key {
	br_rsa_private_key sk;
	br_rsa_public_key pk;
	unsigned bits;
	unsigned char sk_buf[BR_RSA_KBUF_PRIV_SIZE(JG_KEY_MAX_BITS)];
	unsigned char pk_buf[BR_RSA_KBUF_PUB_SIZE(JG_KEY_MAX_BITS)];
} jg_key;

#define JG_KEY_PASSPHRASE_MAX 1024 /* bytes of passphrase a jg_key_passphrase_fn may give */

/*
 * Asked for the passphrase once the key turns out to be encrypted (and not before: a plain key
 * never prompts). Fills out[0..cap) and *len, or fails (no passphrase source, no terminal, ...).
 */
typedef jg_status (*jg_key_passphrase_fn)(const void *ctx, const char *origin, const jg_enc_info *info,
	unsigned char *out, size_t cap, size_t *len, jg_error *err);

/* How an encrypted key is opened, and what it was. */
typedef struct jg_key_unlock {
	jg_enc_options enc;              /* for openssl enc files (--enc-*) */
	jg_key_passphrase_fn passphrase; /* NULL: an encrypted key is refused, naming the options */
	const void *ctx;
	jg_enc_info info;                /* filled: the container (format JG_ENC_NONE: not encrypted) */
} jg_key_unlock;

/* Load from a file path, or standard input when path is "-"; unlock may be NULL. */
jg_status jg_key_load_file(const char *path, jg_key_unlock *unlock, jg_key *key, jg_error *err);

/* Load from the environment variable `name`; unlock may be NULL. */
jg_status jg_key_load_env(const char *name, jg_key_unlock *unlock, jg_key *key, jg_error *err);

/* Load from bytes; `origin` names the source in messages ("key file x.pem"); unlock may be NULL
 * (then an encrypted key is refused, as without a passphrase). */
jg_status jg_key_unlock_bytes(const unsigned char *in, size_t len, const char *origin,
	jg_key_unlock *unlock, jg_key *key, jg_error *err);

/* jg_key_unlock_bytes without a way to open encrypted keys. */
jg_status jg_key_load_bytes(const unsigned char *in, size_t len, const char *origin, jg_key *key,
	jg_error *err);

/* The refusal of an encrypted key without a passphrase: "<origin> is encrypted (<format>,
 * <cipher>): give its passphrase with --passphrase-env VAR or --passphrase-file FILE". */
jg_status jg_key_refuse_encrypted(const char *origin, const jg_enc_info *info, jg_error *err);

/* Erase the key. */
void jg_key_wipe(jg_key *key);

#endif
