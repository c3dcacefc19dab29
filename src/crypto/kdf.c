/*
 * PBKDF2 and EVP_BytesToKey over BearSSL's hashes (header: crypto/kdf.h). BearSSL has HMAC and
 * the hashes but no password-based derivation, so these two are ours.
 *
 * Speed: keygen --encrypt writes keys with 600,000 iterations of HMAC-SHA256, and reading one
 * back must not take much longer than `openssl pkey` does. Each iteration is two compression
 * calls of the hash (the inner and the outer hash of one HMAC); everything else is kept out of
 * the loop: the passphrase's HMAC key context (the hash states after the key blocks) is made
 * once, and each iteration starts again from it with br_hmac_init. Restarting from those states
 * with the hash class's set_state directly measured 3-5% faster, but would read the key
 * context's fields, which BearSSL documents as opaque: not worth it.
 */
#include "crypto/kdf.h"

#include <stdint.h>
#include <string.h>

#include <bearssl_hmac.h>

#include "base/wipe.h"

#define HASH_MAX_OUT 64 /* SHA-512's output, the longest of BearSSL's hashes */
#define PBKDF2_MAX_OUT ((size_t)JG_KDF_MAX_OUT * 4) /* the header's bound */

/* The hash's output length in bytes (its descriptor's OUT field). */
static size_t hash_out_len(const br_hash_class *hash)
{
	return (size_t)(hash->desc >> BR_HASHDESC_OUT_OFF) & BR_HASHDESC_OUT_MASK;
}

/* NULL stands for an empty input: BearSSL copies key bytes with memcpy, whatever the length. */
static const unsigned char *or_empty(const unsigned char *bytes)
{
	return bytes != NULL ? bytes : (const unsigned char *)"";
}

/*
 * The function F of RFC 8018, section 5.2, for block number `index` (from 1):
 *   U_1 = PRF(P, S || INT(index)), U_j = PRF(P, U_{j-1}), block = U_1 ^ U_2 ^ ... ^ U_c
 * with PRF = HMAC keyed with the passphrase (key, made once by the caller) and INT(index) the
 * four-byte big-endian block number. Writes hLen bytes.
 */
static void pbkdf2_block(const br_hmac_key_context *key, const unsigned char *salt,
	size_t salt_len, unsigned long iterations, uint32_t index, unsigned char *block)
{
	unsigned char u[HASH_MAX_OUT];
	const unsigned char be_index[4] = { (unsigned char)(index >> 24), (unsigned char)(index >> 16),
		(unsigned char)(index >> 8), (unsigned char)index };
	br_hmac_context hmac;

	br_hmac_init(&hmac, key, 0);
	br_hmac_update(&hmac, salt, salt_len);
	br_hmac_update(&hmac, be_index, sizeof be_index);
	size_t u_len = br_hmac_out(&hmac, u);
	memcpy(block, u, u_len);
	for (unsigned long j = 1; j < iterations; j++) {
		br_hmac_init(&hmac, key, 0);
		br_hmac_update(&hmac, u, u_len);
		br_hmac_out(&hmac, u);
		for (size_t i = 0; i < u_len; i++)
			block[i] ^= u[i];
	}
	jg_wipe(u, sizeof u);
	jg_wipe(&hmac, sizeof hmac);
}

int jg_pbkdf2(const br_hash_class *hash, const unsigned char *pass, size_t pass_len,
	const unsigned char *salt, size_t salt_len, unsigned long iterations, unsigned char *out,
	size_t out_len)
{
	if (hash == NULL || (pass == NULL && pass_len > 0) || (salt == NULL && salt_len > 0) ||
		iterations == 0 || out == NULL || out_len == 0 || out_len > PBKDF2_MAX_OUT)
		return -1;
	size_t h_len = hash_out_len(hash);
	if (h_len == 0 || h_len > HASH_MAX_OUT)
		return -1;

	br_hmac_key_context key;
	unsigned char block[HASH_MAX_OUT];
	br_hmac_key_init(&key, hash, or_empty(pass), pass_len);
	/* DK = T_1 || T_2 || ... || T_l, the last one cut to what is left (at most 16 blocks). */
	for (uint32_t index = 1; out_len > 0; index++) {
		size_t n = out_len < h_len ? out_len : h_len;
		pbkdf2_block(&key, salt, salt_len, iterations, index, block);
		memcpy(out, block, n);
		out += n;
		out_len -= n;
	}
	jg_wipe(block, sizeof block);
	jg_wipe(&key, sizeof key);
	return 0;
}

int jg_evp_bytes_to_key(const br_hash_class *hash, const unsigned char *pass, size_t pass_len,
	const unsigned char *salt, unsigned char *key, size_t key_len, unsigned char *iv,
	size_t iv_len)
{
	if (hash == NULL || (pass == NULL && pass_len > 0) || (key == NULL && key_len > 0) ||
		(iv == NULL && iv_len > 0) || key_len > JG_KDF_MAX_OUT ||
		iv_len > JG_KDF_MAX_OUT - key_len)
		return -1;
	size_t h_len = hash_out_len(hash);
	if (h_len == 0 || h_len > HASH_MAX_OUT)
		return -1;

	/* D_1 || D_2 || ..., whole digests: up to one digest more than asked for. */
	unsigned char derived[JG_KDF_MAX_OUT + HASH_MAX_OUT];
	br_hash_compat_context context;
	for (size_t have = 0; have < key_len + iv_len; have += h_len) {
		hash->init(&context.vtable);
		if (have > 0)
			hash->update(&context.vtable, derived + have - h_len, h_len);
		hash->update(&context.vtable, pass, pass_len);
		if (salt != NULL)
			hash->update(&context.vtable, salt, 8);
		hash->out(&context.vtable, derived + have);
	}
	if (key_len > 0)
		memcpy(key, derived, key_len);
	if (iv_len > 0)
		memcpy(iv, derived + key_len, iv_len);
	jg_wipe(derived, sizeof derived);
	jg_wipe(&context, sizeof context);
	return 0;
}
