/*
 * AES-CBC and DES-EDE3-CBC with PKCS#7 padding over BearSSL's block ciphers (header:
 * crypto/cbc.h).
 *
 * PKCS#7 (RFC 5652, section 6.3; RFC 8018, section 6.1.1): 1 to `block` bytes are appended, each
 * holding their count, so that the length becomes a multiple of the block; a whole block of
 * padding when it already was one. Decryption with a wrong key leaves random bytes, so the
 * padding check is where a wrong passphrase shows; it reads the whole last block the same way
 * whatever the bytes, with masks instead of branches.
 */
#include "crypto/cbc.h"

#include <limits.h>
#include <stdint.h>
#include <string.h>

#include <bearssl_block.h>

#include "base/ascii.h"
#include "base/wipe.h"

/* Each cipher's row, and JG_CIPHER_NONE's, which has no key and no block. */
static const struct cipher_info {
	const char *name;
	unsigned char key_len, block_len;
} ciphers[] = {
	[JG_CIPHER_NONE] = { "NONE", 0, 0 },
	[JG_CIPHER_AES_128_CBC] = { "AES-128-CBC", 16, 16 },
	[JG_CIPHER_AES_192_CBC] = { "AES-192-CBC", 24, 16 },
	[JG_CIPHER_AES_256_CBC] = { "AES-256-CBC", 32, 16 },
	[JG_CIPHER_DES_EDE3_CBC] = { "DES-EDE3-CBC", 24, 8 },
};

#define CIPHER_COUNT (sizeof ciphers / sizeof ciphers[0])

/* The table's row for c; JG_CIPHER_NONE's for a value outside the enum. */
static const struct cipher_info *cipher_info(jg_cipher c)
{
	return &ciphers[(size_t)c < CIPHER_COUNT ? c : JG_CIPHER_NONE];
}

size_t jg_cipher_key_len(jg_cipher c)
{
	return cipher_info(c)->key_len;
}

size_t jg_cipher_block_len(jg_cipher c)
{
	return cipher_info(c)->block_len;
}

const char *jg_cipher_name(jg_cipher c)
{
	return cipher_info(c)->name;
}

jg_cipher jg_cipher_by_name(const char *name)
{
	if (name == NULL)
		return JG_CIPHER_NONE;
	for (size_t c = JG_CIPHER_NONE + 1; c < CIPHER_COUNT; c++) {
		if (jg_ascii_equal_word(name, strlen(name), ciphers[c].name))
			return (jg_cipher)c;
	}
	return JG_CIPHER_NONE;
}

/* A key schedule for any of the ciphers, in either direction; the first field of each member
 * is its class, as BearSSL's calls expect. */
typedef union cbc_dec_keys {
	const br_block_cbcdec_class *vtable;
	br_aes_gen_cbcdec_keys aes;
	br_des_gen_cbcdec_keys des;
} cbc_dec_keys;

typedef union cbc_enc_keys {
	const br_block_cbcenc_class *vtable;
	br_aes_gen_cbcenc_keys aes;
	br_des_gen_cbcenc_keys des;
} cbc_enc_keys;

/*
 * AES as BearSSL's default selection for TLS picks it (br_ssl_engine_set_default_aes_cbc):
 * AES-NI when the CPU has it, else the constant-time bitsliced code for the word size, ct64
 * on 64-bit machines and ct elsewhere. The same choice as TLS's means the same code, linked
 * once (br_aes_ct beside ct64 measured 4 KB more). DES-EDE3 has the constant-time des_ct.
 */
#if ULONG_MAX > 0xFFFFFFFFUL
#define AES_PORTABLE_CBCDEC br_aes_ct64_cbcdec_vtable
#define AES_PORTABLE_CBCENC br_aes_ct64_cbcenc_vtable
#else
#define AES_PORTABLE_CBCDEC br_aes_ct_cbcdec_vtable
#define AES_PORTABLE_CBCENC br_aes_ct_cbcenc_vtable
#endif

static const br_block_cbcdec_class *decryptor(jg_cipher c)
{
	if (c == JG_CIPHER_DES_EDE3_CBC)
		return &br_des_ct_cbcdec_vtable;
	const br_block_cbcdec_class *aes_ni = br_aes_x86ni_cbcdec_get_vtable();
	return aes_ni != NULL ? aes_ni : &AES_PORTABLE_CBCDEC;
}

static const br_block_cbcenc_class *encryptor(jg_cipher c)
{
	if (c == JG_CIPHER_DES_EDE3_CBC)
		return &br_des_ct_cbcenc_vtable;
	const br_block_cbcenc_class *aes_ni = br_aes_x86ni_cbcenc_get_vtable();
	return aes_ni != NULL ? aes_ni : &AES_PORTABLE_CBCENC;
}

/* 1 when a < b, else 0, without a branch (both below 2^31). */
static uint32_t less_than(uint32_t a, uint32_t b)
{
	return (a - b) >> 31;
}

/*
 * The padding length when the block `last` (block_len bytes, the end of the plaintext) ends in
 * a valid PKCS#7 padding, else 0. Every byte of the block is read and combined the same way
 * whatever the values: pad = the last byte, and each of the last `pad` bytes must equal it.
 */
static size_t padding_len(const unsigned char *last, size_t block_len)
{
	uint32_t block = (uint32_t)block_len;
	uint32_t pad = last[block - 1];
	uint32_t bad = less_than(pad, 1) | less_than(block, pad);
	for (uint32_t k = 1; k <= block; k++) {
		uint32_t in_padding = less_than(pad, k) - 1; /* all ones when k <= pad, else 0 */
		bad |= in_padding & (last[block - k] ^ pad);
	}
	uint32_t good = less_than(bad, 1); /* bad < 256 */
	return (size_t)(pad & (0U - good));
}

int jg_cbc_decrypt(jg_cipher c, const unsigned char *key, const unsigned char *iv,
	unsigned char *buf, size_t len, size_t *out_len)
{
	size_t block_len = jg_cipher_block_len(c);
	if (block_len == 0 || key == NULL || iv == NULL || buf == NULL || out_len == NULL ||
		len == 0 || len % block_len != 0) {
		if (buf != NULL)
			jg_wipe(buf, len);
		return -1;
	}
	cbc_dec_keys keys;
	unsigned char chain[JG_CIPHER_MAX_BLOCK]; /* BearSSL updates the IV as it goes */
	const br_block_cbcdec_class *vtable = decryptor(c);
	memcpy(chain, iv, block_len);
	vtable->init(&keys.vtable, key, jg_cipher_key_len(c));
	vtable->run(&keys.vtable, chain, buf, len);
	jg_wipe(&keys, sizeof keys);
	jg_wipe(chain, sizeof chain);

	size_t pad = padding_len(buf + len - block_len, block_len);
	if (pad == 0) {
		jg_wipe(buf, len);
		return -1;
	}
	*out_len = len - pad;
	return 0;
}

int jg_cbc_encrypt(jg_cipher c, const unsigned char *key, const unsigned char *iv,
	unsigned char *buf, size_t len, size_t cap, size_t *out_len)
{
	size_t block_len = jg_cipher_block_len(c);
	if (block_len == 0 || key == NULL || iv == NULL || buf == NULL || out_len == NULL)
		return -1;
	size_t pad = block_len - len % block_len;
	if (len > cap || pad > cap - len)
		return -1;
	memset(buf + len, (int)pad, pad);
	len += pad;

	cbc_enc_keys keys;
	unsigned char chain[JG_CIPHER_MAX_BLOCK];
	const br_block_cbcenc_class *vtable = encryptor(c);
	memcpy(chain, iv, block_len);
	vtable->init(&keys.vtable, key, jg_cipher_key_len(c));
	vtable->run(&keys.vtable, chain, buf, len);
	jg_wipe(&keys, sizeof keys);
	jg_wipe(chain, sizeof chain);
	*out_len = len;
	return 0;
}
