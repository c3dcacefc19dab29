/*
 * The block ciphers of encrypted private keys, in CBC mode with PKCS#7 padding: AES-128/192/256
 * (BearSSL's default CBC implementation: AES-NI where the CPU has it, else constant-time bitslice)
 * and DES-EDE3 (br_des_ct). Decryption checks the padding in constant time: how a wrong
 * passphrase shows is "the padding is wrong", and timing must not tell more than that.
 */
#ifndef JG_CBC_H
#define JG_CBC_H

#include <stddef.h>

typedef enum jg_cipher {
	JG_CIPHER_NONE = 0,
	JG_CIPHER_AES_128_CBC,
	JG_CIPHER_AES_192_CBC,
	JG_CIPHER_AES_256_CBC,
	JG_CIPHER_DES_EDE3_CBC
} jg_cipher;

#define JG_CIPHER_MAX_KEY 32
#define JG_CIPHER_MAX_BLOCK 16

/* Key length in bytes (16, 24, 32, 24), 0 for JG_CIPHER_NONE. */
size_t jg_cipher_key_len(jg_cipher c);

/* Block (= IV) length in bytes (16 for AES, 8 for DES-EDE3), 0 for JG_CIPHER_NONE. */
size_t jg_cipher_block_len(jg_cipher c);

/* "AES-256-CBC", "DES-EDE3-CBC", ... as OpenSSL names them in DEK-Info (upper case);
 * "NONE" for JG_CIPHER_NONE (never NULL). */
const char *jg_cipher_name(jg_cipher c);

/* The cipher named (case-insensitively) "aes-256-cbc", "AES-256-CBC", "des-ede3-cbc", ...;
 * JG_CIPHER_NONE for any other name. */
jg_cipher jg_cipher_by_name(const char *name);

/*
 * Decrypt buf[0..len) in place with key (jg_cipher_key_len bytes) and iv (block bytes), then
 * check and remove the PKCS#7 padding: *out_len = len - pad. Returns 0, or -1 when len is not a
 * positive multiple of the block, or the padding is wrong (checked in constant time over the
 * last block). On -1 buf is wiped. Key schedules are wiped before returning.
 */
int jg_cbc_decrypt(jg_cipher c, const unsigned char *key, const unsigned char *iv,
	unsigned char *buf, size_t len, size_t *out_len);

/*
 * Pad buf[0..len) (PKCS#7, 1 to block bytes) and encrypt it in place: *out_len bytes, the next
 * multiple of the block above len. Returns 0, or -1 when that exceeds cap.
 */
int jg_cbc_encrypt(jg_cipher c, const unsigned char *key, const unsigned char *iv,
	unsigned char *buf, size_t len, size_t cap, size_t *out_len);

#endif
