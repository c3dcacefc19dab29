/*
 * Loading the RSA private key that signs the assertion.
 *
 * Accepted, from a file, stdin or an environment variable: PEM "PRIVATE KEY" (unencrypted
 * PKCS#8) and "RSA PRIVATE KEY" (PKCS#1), with any line endings and text around the block (a
 * certificate before the key is fine); PEM whose newlines arrived as the two characters "\n"
 * (CI secret stores, JSON key files); raw DER; base64 of PEM or of DER. Refused with a message
 * naming what was found and the fix: certificates, public keys, encrypted keys, EC and other
 * non-RSA keys, RSA keys under 2048 or over 4096 bits, anything else.
 */
#ifndef JG_KEYLOAD_H
#define JG_KEYLOAD_H

#include <bearssl.h>

#include "base/error.h"

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

/* Load from a file path, or standard input when path is "-". */
jg_status jg_key_load_file(const char *path, jg_key *key, jg_error *err);

/* Load from the environment variable `name`. */
jg_status jg_key_load_env(const char *name, jg_key *key, jg_error *err);

/* Load from bytes; `origin` names the source in messages ("key file x.pem"). */
jg_status jg_key_load_bytes(const unsigned char *in, size_t len, const char *origin, jg_key *key,
	jg_error *err);

/* Erase the key. */
void jg_key_wipe(jg_key *key);

#endif
