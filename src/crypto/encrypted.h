/*
 * Encrypted private keys: recognizing and opening the containers that Salesforce recipes and
 * CI templates produce (cli.md, "Encrypted private keys"), and writing the one keygen --encrypt
 * makes. Only the container is handled here; what comes out (a PKCS#8 or PKCS#1 DER key, or the
 * PEM text an `openssl enc` file held) goes to the key loader (crypto/key.c) as any other key.
 *
 *   JG_ENC_PKCS8        DER EncryptedPrivateKeyInfo with PBES2 (PBKDF2-HMAC-SHA1/224/256/384/
 *                       512; AES-128/192/256-CBC, DES-EDE3-CBC). PBES1 and PKCS#12 schemes are
 *                       refused by name. In PEM, "ENCRYPTED PRIVATE KEY", it comes here as the
 *                       DER that the key loader's one PEM walk (crypto/key.c) collects.
 *   JG_ENC_TRADITIONAL  PEM "RSA PRIVATE KEY" (or "PRIVATE KEY") with "Proc-Type: 4,ENCRYPTED"
 *                       and "DEK-Info: <cipher>,<iv hex>": EVP_BytesToKey(MD5, salt = the
 *                       first 8 bytes of the IV, one iteration).
 *   JG_ENC_SALTED       `openssl enc` output, binary or base64 (with or without line breaks):
 *                       "Salted__", 8 bytes of salt, the ciphertext.
 *   JG_ENC_RAW          `openssl enc -nosalt -K HEX -iv HEX` output, binary or base64: only
 *                       recognized when the options carry a raw key (--enc-key-env).
 *
 * Every derived key, IV and plaintext copy is wiped; the caller's output buffer is theirs to
 * wipe. Messages name the source (`origin`) and never quote its bytes.
 */
#ifndef JG_ENCRYPTED_H
#define JG_ENCRYPTED_H

#include <stddef.h>

#include <bearssl_hash.h>

#include "base/error.h"
#include "crypto/cbc.h"

typedef enum jg_enc_format {
	JG_ENC_NONE = 0, /* not an encrypted key (or not one of the forms above) */
	JG_ENC_PKCS8,
	JG_ENC_TRADITIONAL,
	JG_ENC_SALTED,
	JG_ENC_RAW
} jg_enc_format;

#define JG_ENC_DEFAULT_ITER 10000UL /* `openssl enc -pbkdf2` without -iter */

/* The options for `openssl enc` files (forms 3 and 4); zero means "the default". */
typedef struct jg_enc_options {
	jg_cipher cipher;         /* --enc-cipher; JG_CIPHER_NONE: AES-256-CBC */
	unsigned long iterations; /* --enc-iter; 0: JG_ENC_DEFAULT_ITER */
	const br_hash_class *md;  /* --enc-md; NULL: try the three derivations in the contract's order */
	const unsigned char *raw_key; /* --enc-key-env, the hex already decoded; NULL: none */
	size_t raw_key_len;
	const unsigned char *raw_iv;  /* --enc-iv-env, decoded; NULL: none (all-zero IV, as openssl) */
	size_t raw_iv_len;
} jg_enc_options;

/* What a container is, as far as its header tells; `derivation` is filled by jg_enc_open. */
typedef struct jg_enc_info {
	jg_enc_format format;
	jg_cipher cipher;
	const br_hash_class *prf;  /* PBKDF2's HMAC hash, or EVP_BytesToKey's hash; NULL unknown */
	unsigned long iterations;  /* PBKDF2 iterations; 0 when not PBKDF2 / not known yet */
	char format_name[32];      /* "PKCS#8 PBES2", "traditional PEM", "openssl enc" */
	char description[128];     /* for check: "PBES2, PBKDF2-HMAC-SHA256 (600000 iterations),
	                            * AES-256-CBC"; "traditional PEM, EVP_BytesToKey-MD5, DES-EDE3-CBC";
	                            * "openssl enc, AES-256-CBC"; "openssl enc -nosalt, AES-256-CBC"
	                            * ("1 iteration" in the singular) */
	char derivation[64];       /* after jg_enc_open: "PBKDF2-HMAC-SHA256, 10000 iterations",
	                            * "EVP_BytesToKey-SHA256", "raw key and IV", ... (for -v) */
} jg_enc_info;

/*
 * What in[0..len) is. JG_OK with info->format JG_ENC_NONE when it is not an encrypted key (the
 * caller reads it as a plain key), or the format and as much of info as the container gives.
 * JG_ERR_INPUT when it is an encrypted key in a form we do not open (PBES1 or PKCS#12 schemes,
 * DES-CBC or another cipher, a PRF or KDF other than the above), the message naming the scheme
 * and the openssl command that converts it (openssl pkcs8 -topk8 -v2 aes-256-cbc ...); also
 * when the container is malformed or truncated (a PKCS#8 DER is read whole, a traditional PEM to
 * its END line), when it asks for more than 10,000,000 PBKDF2 iterations (a CPU-time bomb), or
 * when a raw key or IV has the wrong length for the cipher (naming --enc-key-env /
 * --enc-iv-env and the hex digits expected). JG_ERR_USAGE when opts are out of range
 * (--enc-iter above 10,000,000). opts may be NULL (no raw key: JG_ENC_RAW is never the
 * answer). For JG_ENC_SALTED, info->prf is opts->md and info->iterations 0 until jg_enc_open
 * has found the derivation.
 *
 * Order of the questions: PEM text (a "-----BEGIN " line) is traditional or not encrypted
 * (JG_ENC_NONE also for an ENCRYPTED PRIVATE KEY object: its DER is what comes here); then
 * "Salted__" (or its base64); then DER EncryptedPrivateKeyInfo (a plain PrivateKeyInfo, PKCS#1
 * key, SubjectPublicKeyInfo or certificate is JG_ENC_NONE); then, only with opts->raw_key,
 * JG_ENC_RAW. PEM whose newlines arrived as the two characters "\n" (CI secret stores) must have
 * them turned into line ends by the caller first.
 */
jg_status jg_enc_detect(const unsigned char *in, size_t len, const char *origin,
	const jg_enc_options *opts, jg_enc_info *info, jg_error *err);

/*
 * Open it: the plaintext into out[0..cap), *out_len its length; info as jg_enc_detect fills it,
 * plus info->derivation. pass is the passphrase (pass_len bytes, not NUL-terminated; NULL for
 * JG_ENC_RAW). For JG_ENC_SALTED without opts->md, the derivations are tried in the order
 * PBKDF2-HMAC-SHA256 (opts->iterations), EVP_BytesToKey-SHA256, EVP_BytesToKey-MD5; with
 * opts->md, PBKDF2 then EVP_BytesToKey with that digest; the first whose plaintext has valid
 * padding and looks like a key (starts with a DER SEQUENCE byte 0x30, or holds "-----BEGIN ")
 * is the answer; the same rule holds for JG_ENC_RAW. For PKCS#8 and traditional PEM the
 * plaintext must be exactly one DER SEQUENCE (valid padding alone comes from a wrong passphrase
 * about once in 256 tries). Errors, all JG_ERR_INPUT (but as jg_enc_detect says):
 *   "<origin>: wrong passphrase (decryption failed)" (also a wrong raw key or IV), and nothing
 *   else about the bytes; a truncated or corrupted container, named as such; out too small;
 *   "<origin>: not an encrypted private key" when jg_enc_detect finds JG_ENC_NONE; a missing
 *   passphrase (pass NULL) for a form that needs one.
 * An `openssl enc` file cut at a block boundary cannot be told from a wrong passphrase: nothing
 * in it gives its length. On failure out[0..cap) is wiped.
 */
jg_status jg_enc_open(const unsigned char *in, size_t len, const char *origin,
	const jg_enc_options *opts, const unsigned char *pass, size_t pass_len, jg_enc_info *info,
	unsigned char *out, size_t cap, size_t *out_len, jg_error *err);

/*
 * keygen --encrypt: the DER of an EncryptedPrivateKeyInfo holding pkcs8[0..len) (a
 * PrivateKeyInfo), with PBES2, PBKDF2-HMAC-SHA256 (`iterations`, salt[0..16)) and AES-256-CBC
 * (iv[0..16)), as `openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA256` writes it, into
 * out[0..cap), the PRF's AlgorithmIdentifier with NULL parameters and no keyLength, as OpenSSL
 * does. JG_ERR_INPUT when it does not fit (out is then wiped), or when iterations is 0 or above
 * 10,000,000.
 */
jg_status jg_enc_write_pkcs8(const unsigned char *pkcs8, size_t len, const unsigned char *pass,
	size_t pass_len, unsigned long iterations, const unsigned char salt[16],
	const unsigned char iv[16], unsigned char *out, size_t cap, size_t *out_len, jg_error *err);

#endif
