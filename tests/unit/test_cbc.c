/*
 * CBC with PKCS#7 padding (crypto/cbc.h): the AES vectors of NIST SP 800-38A (F.2.1, F.2.3,
 * F.2.5), every cipher against `openssl enc -K -iv` (an oracle in tests only, run with popen
 * over a file in a mkdtemp directory), the padding check (every good length accepted, each kind
 * of bad padding refused with the buffer wiped), lengths that are not whole blocks, the capacity
 * of encryption, and round trips.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto/cbc.h"

static const jg_cipher all_ciphers[] = { JG_CIPHER_AES_128_CBC, JG_CIPHER_AES_192_CBC,
	JG_CIPHER_AES_256_CBC, JG_CIPHER_DES_EDE3_CBC };
#define CIPHER_COUNT (sizeof all_ciphers / sizeof all_ciphers[0])

/* A key and an IV that are not all zero, long enough for every cipher. */
static const unsigned char test_key[JG_CIPHER_MAX_KEY] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab,
	0xcd, 0xef, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x45, 0x67, 0x89, 0xab, 0xcd,
	0xef, 0x01, 0x23, 0x6b, 0xc1, 0xbe, 0xe2, 0x2e, 0x40, 0x9f, 0x96 };
static const unsigned char test_iv[JG_CIPHER_MAX_BLOCK] = { 0x12, 0x34, 0x56, 0x78, 0x90, 0xab,
	0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x09, 0x87, 0x65, 0x43, 0x21 };

/* --- helpers ----------------------------------------------------------------------------- */

static size_t from_hex(const char *hex, unsigned char *out, size_t cap)
{
	size_t n = strlen(hex) / 2;
	assert_true(n <= cap);
	for (size_t i = 0; i < n; i++) {
		unsigned value;
		assert_int_equal(sscanf(hex + 2 * i, "%2x", &value), 1);
		out[i] = (unsigned char)value;
	}
	return n;
}

static void to_hex(const unsigned char *bytes, size_t len, char *out)
{
	for (size_t i = 0; i < len; i++)
		(void)sprintf(out + 2 * i, "%02x", bytes[i]);
	out[2 * len] = '\0';
}

static int all_zero(const unsigned char *bytes, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (bytes[i] != 0)
			return 0;
	}
	return 1;
}

static char dir[64];

static int make_dir(void **state)
{
	(void)state;
	(void)snprintf(dir, sizeof dir, "%s", "/tmp/jwtgrant-cbc.XXXXXX");
	return mkdtemp(dir) != NULL ? 0 : -1;
}

static int remove_dir(void **state)
{
	(void)state;
	char path[128];
	(void)snprintf(path, sizeof path, "%s/in", dir);
	(void)unlink(path);
	return rmdir(dir);
}

/*
 * `openssl enc -e` over in[0..len) with the cipher, test_key and test_iv (padded unless
 * `nopad`): the ciphertext into out, its length returned. Fails the test unless openssl exits 0.
 */
static size_t openssl_encrypt(jg_cipher c, const unsigned char *in, size_t len, int nopad,
	unsigned char *out, size_t cap)
{
	char path[128], key_hex[2 * JG_CIPHER_MAX_KEY + 1], iv_hex[2 * JG_CIPHER_MAX_BLOCK + 1];
	char name[32], command[512];
	(void)snprintf(path, sizeof path, "%s/in", dir);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(in, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	to_hex(test_key, jg_cipher_key_len(c), key_hex);
	to_hex(test_iv, jg_cipher_block_len(c), iv_hex);
	size_t i = 0;
	for (const char *p = jg_cipher_name(c); *p != '\0' && i + 1 < sizeof name; p++)
		name[i++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	name[i] = '\0';
	(void)snprintf(command, sizeof command, "openssl enc -e -%s -K %s -iv %s %s -in '%s'", name,
		key_hex, iv_hex, nopad ? "-nopad" : "", path);
	FILE *pipe = popen(command, "r");
	assert_non_null(pipe);
	size_t got = fread(out, 1, cap, pipe);
	assert_int_equal(pclose(pipe), 0);
	return got;
}

/* --- names and lengths ------------------------------------------------------------------- */

static void names_and_lengths(void **state)
{
	(void)state;
	static const struct {
		jg_cipher cipher;
		const char *name, *other_case;
		size_t key_len, block_len;
	} rows[] = {
		{ JG_CIPHER_AES_128_CBC, "AES-128-CBC", "aes-128-cbc", 16, 16 },
		{ JG_CIPHER_AES_192_CBC, "AES-192-CBC", "Aes-192-Cbc", 24, 16 },
		{ JG_CIPHER_AES_256_CBC, "AES-256-CBC", "aes-256-CBC", 32, 16 },
		{ JG_CIPHER_DES_EDE3_CBC, "DES-EDE3-CBC", "des-ede3-cbc", 24, 8 },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		assert_string_equal(jg_cipher_name(rows[i].cipher), rows[i].name);
		assert_int_equal(jg_cipher_by_name(rows[i].name), rows[i].cipher);
		assert_int_equal(jg_cipher_by_name(rows[i].other_case), rows[i].cipher);
		assert_int_equal(jg_cipher_key_len(rows[i].cipher), rows[i].key_len);
		assert_int_equal(jg_cipher_block_len(rows[i].cipher), rows[i].block_len);
	}
	static const char *unknown[] = { "", "aes-256", "aes-256-cbc ", "aes256", "des-cbc",
		"des-ede-cbc", "aes-256-gcm", "AES-256-CBCX" };
	for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
		assert_int_equal(jg_cipher_by_name(unknown[i]), JG_CIPHER_NONE);
	assert_int_equal(jg_cipher_by_name(NULL), JG_CIPHER_NONE);
	assert_int_equal(jg_cipher_key_len(JG_CIPHER_NONE), 0);
	assert_int_equal(jg_cipher_block_len(JG_CIPHER_NONE), 0);
	assert_non_null(jg_cipher_name(JG_CIPHER_NONE));
}

/* --- known answers and the oracle -------------------------------------------------------- */

/* NIST SP 800-38A, appendix F.2: four blocks, no padding in the vectors. Ours pads, so a fifth
 * block (a whole block of padding) follows the four of the vector; decryption must give the
 * vector's plaintext back. */
static void aes_sp800_38a(void **state)
{
	(void)state;
	static const char plain_hex[] = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
					"30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";
	static const struct {
		jg_cipher cipher;
		const char *key, *cipher_hex;
	} v[] = {
		{ JG_CIPHER_AES_128_CBC, "2b7e151628aed2a6abf7158809cf4f3c", /* F.2.1 */
			"7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2"
			"73bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7" },
		{ JG_CIPHER_AES_192_CBC, "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b", /* F.2.3 */
			"4f021db243bc633d7178183a9fa071e8b4d9ada9ad7dedf4e5e738763f69145a"
			"571b242012fb7ae07fa9baac3df102e008b0e27988598881d920a9e64f5615cd" },
		{ JG_CIPHER_AES_256_CBC,
			"603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4", /* F.2.5 */
			"f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d"
			"39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b" },
	};
	unsigned char iv[16], plain[64], key[32], want[64], buf[80];
	from_hex("000102030405060708090a0b0c0d0e0f", iv, sizeof iv);
	from_hex(plain_hex, plain, sizeof plain);
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		size_t len;
		assert_int_equal(from_hex(v[i].key, key, sizeof key), jg_cipher_key_len(v[i].cipher));
		from_hex(v[i].cipher_hex, want, sizeof want);
		memcpy(buf, plain, sizeof plain);
		assert_int_equal(jg_cbc_encrypt(v[i].cipher, key, iv, buf, 64, sizeof buf, &len), 0);
		assert_int_equal(len, 80);
		assert_memory_equal(buf, want, 64);
		assert_int_equal(jg_cbc_decrypt(v[i].cipher, key, iv, buf, len, &len), 0);
		assert_int_equal(len, 64);
		assert_memory_equal(buf, plain, 64);
	}
}

/* Every cipher, lengths around the block sizes: our ciphertext is openssl's (padded), the
 * whole blocks are openssl's -nopad ones, and decryption gives the plaintext back. */
static void matches_openssl_enc(void **state)
{
	(void)state;
	static const size_t lengths[] = { 0, 1, 7, 8, 9, 15, 16, 17, 33, 48 };
	unsigned char plain[64], buf[80], want[80];
	for (size_t i = 0; i < sizeof plain; i++)
		plain[i] = (unsigned char)(i * 29 + 3);
	for (size_t c = 0; c < CIPHER_COUNT; c++) {
		jg_cipher cipher = all_ciphers[c];
		size_t block = jg_cipher_block_len(cipher);
		for (size_t l = 0; l < sizeof lengths / sizeof lengths[0]; l++) {
			size_t n = lengths[l], len;
			memcpy(buf, plain, n);
			assert_int_equal(jg_cbc_encrypt(cipher, test_key, test_iv, buf, n, sizeof buf, &len), 0);
			assert_int_equal(len, n - n % block + block);
			assert_int_equal(openssl_encrypt(cipher, plain, n, 0, want, sizeof want), len);
			assert_memory_equal(buf, want, len);
			size_t whole = n - n % block;
			assert_int_equal(openssl_encrypt(cipher, plain, whole, 1, want, sizeof want), whole);
			assert_memory_equal(buf, want, whole);
			assert_int_equal(jg_cbc_decrypt(cipher, test_key, test_iv, buf, len, &len), 0);
			assert_int_equal(len, n);
			assert_memory_equal(buf, plain, n);
		}
	}
}

/* --- padding ----------------------------------------------------------------------------- */

/*
 * A ciphertext of two blocks whose plaintext is exactly `plain` (2 * block bytes, the padding
 * included or not as the test wants): ours with its extra padding block cut off, which CBC
 * allows since a block decrypts from itself and the one before.
 */
static size_t ciphertext_of(jg_cipher c, const unsigned char *plain, unsigned char *out)
{
	size_t block = jg_cipher_block_len(c), len;
	memcpy(out, plain, 2 * block);
	assert_int_equal(jg_cbc_encrypt(c, test_key, test_iv, out, 2 * block, 3 * block, &len), 0);
	assert_int_equal(len, 3 * block);
	return 2 * block;
}

static void accepts_every_good_padding(void **state)
{
	(void)state;
	for (size_t c = 0; c < CIPHER_COUNT; c++) {
		size_t block = jg_cipher_block_len(all_ciphers[c]);
		for (size_t pad = 1; pad <= block; pad++) {
			unsigned char plain[32], buf[48];
			size_t len;
			for (size_t i = 0; i < 2 * block; i++)
				plain[i] = (unsigned char)(0xC0 + i);
			memset(plain + 2 * block - pad, (int)pad, pad);
			len = ciphertext_of(all_ciphers[c], plain, buf);
			assert_int_equal(jg_cbc_decrypt(all_ciphers[c], test_key, test_iv, buf, len, &len), 0);
			assert_int_equal(len, 2 * block - pad);
			assert_memory_equal(buf, plain, len);
		}
	}
}

/* The last plaintext block's bytes, from its end, for each kind of bad padding. */
static void refuses_bad_padding(void **state)
{
	(void)state;
	static const struct {
		size_t count;
		unsigned char tail[17]; /* tail[0] is the last byte */
	} bad[] = {
		{ 1, { 0x00 } },                          /* zero is no padding length */
		{ 2, { 0x00, 0x00 } },
		{ 1, { 0xFF } },                          /* longer than any block */
		{ 2, { 0x02, 0x03 } },                    /* inconsistent bytes */
		{ 5, { 0x05, 0x05, 0x05, 0x04, 0x05 } },  /* one wrong inside */
		{ 8, { 0x08, 0x08, 0x08, 0x08, 0x08, 0x08, 0x08, 0x07 } }, /* the first one wrong */
		{ 9, { 0x09, 0x09, 0x09, 0x09, 0x09, 0x09, 0x09, 0x09, 0x09 } }, /* > DES's block */
		{ 16, { 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10,
			      0x10, 0x10, 0x11 } },
		{ 17, { 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11,
			      0x11, 0x11, 0x11, 0x11 } },       /* 17: consistent, but > AES's block */
	};
	for (size_t c = 0; c < CIPHER_COUNT; c++) {
		size_t block = jg_cipher_block_len(all_ciphers[c]);
		for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
			if (bad[b].count > 2 * block || (block == 16 && bad[b].count == 9))
				continue; /* 9 is a good padding for AES */
			unsigned char plain[32], buf[48];
			size_t len, out_len = 12345;
			memset(plain, 0x41, sizeof plain);
			for (size_t i = 0; i < bad[b].count; i++)
				plain[2 * block - 1 - i] = bad[b].tail[i];
			len = ciphertext_of(all_ciphers[c], plain, buf);
			assert_int_equal(jg_cbc_decrypt(all_ciphers[c], test_key, test_iv, buf, len, &out_len),
				-1);
			assert_true(all_zero(buf, len));
			assert_int_equal(out_len, 12345);
		}
	}
}

/* A wrong key (one bit) decrypts to bytes whose padding is wrong: how a wrong passphrase shows. */
static void refuses_wrong_key(void **state)
{
	(void)state;
	for (size_t c = 0; c < CIPHER_COUNT; c++) {
		unsigned char buf[64], key[JG_CIPHER_MAX_KEY];
		size_t len;
		memset(buf, 'k', 40);
		assert_int_equal(jg_cbc_encrypt(all_ciphers[c], test_key, test_iv, buf, 40, sizeof buf, &len), 0);
		memcpy(key, test_key, sizeof key);
		key[0] ^= 0x80; /* not bit 0 of a byte: DES ignores those (parity) */
		assert_int_equal(jg_cbc_decrypt(all_ciphers[c], key, test_iv, buf, len, &len), -1);
		assert_true(all_zero(buf, 48));
	}
}

static void refuses_partial_blocks(void **state)
{
	(void)state;
	static const size_t lengths[] = { 0, 1, 7, 9, 15, 17, 31, 33 };
	for (size_t c = 0; c < CIPHER_COUNT; c++) {
		size_t block = jg_cipher_block_len(all_ciphers[c]);
		for (size_t l = 0; l < sizeof lengths / sizeof lengths[0]; l++) {
			if (lengths[l] != 0 && lengths[l] % block == 0)
				continue;
			unsigned char buf[40];
			size_t len = 12345;
			memset(buf, 0x5A, sizeof buf);
			assert_int_equal(jg_cbc_decrypt(all_ciphers[c], test_key, test_iv, buf, lengths[l], &len),
				-1);
			assert_int_equal(len, 12345);
			assert_true(all_zero(buf, lengths[l]));
			assert_int_equal(buf[lengths[l]], 0x5A); /* nothing past len */
		}
	}
	unsigned char buf[16] = { 0 };
	size_t len;
	assert_int_equal(jg_cbc_decrypt(JG_CIPHER_NONE, test_key, test_iv, buf, 16, &len), -1);
}

/* --- encryption -------------------------------------------------------------------------- */

static void encrypt_respects_capacity(void **state)
{
	(void)state;
	unsigned char buf[48];
	size_t len;
	memset(buf, 0, sizeof buf);
	/* 16 bytes take a whole block of padding: 32 needed. */
	assert_int_equal(jg_cbc_encrypt(JG_CIPHER_AES_256_CBC, test_key, test_iv, buf, 16, 31, &len), -1);
	assert_int_equal(jg_cbc_encrypt(JG_CIPHER_AES_256_CBC, test_key, test_iv, buf, 16, 32, &len), 0);
	assert_int_equal(len, 32);
	assert_int_equal(jg_cbc_encrypt(JG_CIPHER_DES_EDE3_CBC, test_key, test_iv, buf, 13, 15, &len), -1);
	assert_int_equal(jg_cbc_encrypt(JG_CIPHER_DES_EDE3_CBC, test_key, test_iv, buf, 13, 16, &len), 0);
	assert_int_equal(len, 16);
	assert_int_equal(jg_cbc_encrypt(JG_CIPHER_AES_128_CBC, test_key, test_iv, buf, 20, 10, &len), -1);
	assert_int_equal(jg_cbc_encrypt(JG_CIPHER_NONE, test_key, test_iv, buf, 16, 48, &len), -1);
}

static void round_trips_every_cipher(void **state)
{
	(void)state;
	unsigned char plain[100], buf[128];
	for (size_t i = 0; i < sizeof plain; i++)
		plain[i] = (unsigned char)(255 - i * 7);
	for (size_t c = 0; c < CIPHER_COUNT; c++) {
		for (size_t n = 0; n <= sizeof plain; n++) {
			size_t len;
			memcpy(buf, plain, n);
			assert_int_equal(jg_cbc_encrypt(all_ciphers[c], test_key, test_iv, buf, n, sizeof buf, &len),
				0);
			assert_true(len > n && len % jg_cipher_block_len(all_ciphers[c]) == 0);
			assert_int_equal(jg_cbc_decrypt(all_ciphers[c], test_key, test_iv, buf, len, &len), 0);
			assert_int_equal(len, n);
			assert_memory_equal(buf, plain, n);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_and_lengths),
		cmocka_unit_test(aes_sp800_38a),
		cmocka_unit_test(matches_openssl_enc),
		cmocka_unit_test(accepts_every_good_padding),
		cmocka_unit_test(refuses_bad_padding),
		cmocka_unit_test(refuses_wrong_key),
		cmocka_unit_test(refuses_partial_blocks),
		cmocka_unit_test(encrypt_respects_capacity),
		cmocka_unit_test(round_trips_every_cipher),
	};
	return cmocka_run_group_tests_name("cbc", tests, make_dir, remove_dir);
}
