/*
 * Key derivation from a passphrase, for encrypted private keys (cli.md, "Encrypted private
 * keys"). BearSSL has HMAC and the hashes but neither of these:
 *
 *   PBKDF2 (RFC 8018, section 5.2) with HMAC over any BearSSL hash: the HMAC key context is
 *   made once and reused for every iteration (RFC 8018 allows it; it halves the hashing).
 *
 *   EVP_BytesToKey, OpenSSL's older derivation (one iteration here, as both `openssl enc`
 *   without -pbkdf2 and traditional "Proc-Type: 4,ENCRYPTED" PEM use it):
 *   D_1 = H(pass || salt), D_i = H(D_{i-1} || pass || salt); key || iv = D_1 || D_2 || ...
 *
 * Every intermediate value is wiped before returning; the output is the caller's to wipe.
 */
#ifndef JG_KDF_H
#define JG_KDF_H

#include <stddef.h>

#include <bearssl_hash.h>

#define JG_KDF_ITER_MAX 10000000L /* PBKDF2 iterations accepted, from a file or an option */
#define JG_KDF_MAX_OUT 64 /* the most key + IV bytes any caller asks for (AES-256: 32 + 16) */

/*
 * PBKDF2-HMAC-<hash>: out_len bytes (1..JG_KDF_MAX_OUT * 4) into out. iterations >= 1.
 * pass or salt may be NULL when its length is 0. Returns 0, or -1 when an argument is out of
 * range (out untouched).
 */
int jg_pbkdf2(const br_hash_class *hash, const unsigned char *pass, size_t pass_len,
	const unsigned char *salt, size_t salt_len, unsigned long iterations, unsigned char *out,
	size_t out_len);

/*
 * EVP_BytesToKey(hash, salt, pass, count = 1): key_len bytes into key, then iv_len into iv
 * (iv may be NULL when iv_len is 0; pass when pass_len is 0). salt is 8 bytes, or NULL for none
 * (`openssl enc -nosalt`).
 * Returns 0, or -1 when key_len + iv_len > JG_KDF_MAX_OUT.
 */
int jg_evp_bytes_to_key(const br_hash_class *hash, const unsigned char *pass, size_t pass_len,
	const unsigned char *salt, unsigned char *key, size_t key_len, unsigned char *iv,
	size_t iv_len);

#endif
