/*
 * Key derivation (crypto/kdf.h): PBKDF2 against the published vectors (RFC 6070 for HMAC-SHA1,
 * RFC 7914 section 11 for HMAC-SHA256) and against `openssl kdf` for the other hashes, long
 * passphrases and multi-block outputs; EVP_BytesToKey against `openssl enc -P`, the derivation
 * it stands for. The openssl CLI is an oracle here, run with popen: the suite requires it, and a
 * missing one fails these tests rather than skipping them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "crypto/kdf.h"

/* --- helpers ----------------------------------------------------------------------------- */

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Hex digits of text into out, skipping ':' separators, up to the first other character. */
static size_t from_hex(const char *text, unsigned char *out, size_t cap)
{
	size_t n = 0;
	for (;;) {
		while (*text == ':')
			text++;
		int high = hex_value(text[0]);
		if (high < 0)
			return n;
		int low = hex_value(text[1]);
		assert_true(low >= 0);
		assert_true(n < cap);
		out[n++] = (unsigned char)(high << 4 | low);
		text += 2;
	}
}

static void capture(char *out, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The stdout of a shell command (stderr dropped: openssl warns about EVP_BytesToKey there);
 * fails the test unless it exits 0. */
static void capture(char *out, size_t cap, const char *fmt, ...)
{
	char command[2048];
	va_list ap;
	va_start(ap, fmt);
	(void)vsnprintf(command, sizeof command, fmt, ap);
	va_end(ap);
	(void)strncat(command, " 2>/dev/null", sizeof command - strlen(command) - 1);
	FILE *pipe = popen(command, "r");
	assert_non_null(pipe);
	size_t len = fread(out, 1, cap - 1, pipe);
	out[len] = '\0';
	assert_int_equal(pclose(pipe), 0);
}

/* The hex after `label` on a line of text (openssl enc -P prints "key=..." and "iv =..."). */
static size_t labelled_hex(const char *text, const char *label, unsigned char *out, size_t cap)
{
	const char *at = strstr(text, label);
	assert_non_null(at);
	return from_hex(at + strlen(label), out, cap);
}

/* --- PBKDF2 ------------------------------------------------------------------------------ */

typedef struct pbkdf2_vector {
	const char *pass;
	size_t pass_len;
	const char *salt;
	size_t salt_len;
	unsigned long iterations;
	const char *hex; /* dkLen is its length / 2 */
} pbkdf2_vector;

#define TEXT(s) s, sizeof s - 1

static void check_vectors(const br_hash_class *hash, const pbkdf2_vector *v, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		unsigned char want[256], got[256];
		size_t len = from_hex(v[i].hex, want, sizeof want);
		assert_int_equal(len, strlen(v[i].hex) / 2);
		assert_int_equal(jg_pbkdf2(hash, (const unsigned char *)v[i].pass, v[i].pass_len,
					 (const unsigned char *)v[i].salt, v[i].salt_len,
					 v[i].iterations, got, len),
			0);
		assert_memory_equal(got, want, len);
	}
}

/* RFC 6070, section 2. Its fourth vector (16,777,216 iterations, some seconds) is left out. */
static void pbkdf2_sha1_rfc6070(void **state)
{
	(void)state;
	static const pbkdf2_vector v[] = {
		{ TEXT("password"), TEXT("salt"), 1, "0c60c80f961f0e71f3a9b524af6012062fe037a6" },
		{ TEXT("password"), TEXT("salt"), 2, "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957" },
		{ TEXT("password"), TEXT("salt"), 4096, "4b007901b765489abead49d926f721d065a429c1" },
		{ TEXT("passwordPASSWORDpassword"), TEXT("saltSALTsaltSALTsaltSALTsaltSALTsalt"), 4096,
			"3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038" },
		{ TEXT("pass\0word"), TEXT("sa\0lt"), 4096, "56fa6aa75548099dcc37d7f03425e0c3" },
	};
	check_vectors(&br_sha1_vtable, v, sizeof v / sizeof v[0]);
}

/* RFC 7914, section 11 (the PBKDF2-HMAC-SHA256 vectors of scrypt's RFC). */
static void pbkdf2_sha256_rfc7914(void **state)
{
	(void)state;
	static const pbkdf2_vector v[] = {
		{ TEXT("passwd"), TEXT("salt"), 1,
			"55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
			"49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783" },
		{ TEXT("Password"), TEXT("NaCl"), 80000,
			"4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
			"a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d" },
	};
	check_vectors(&br_sha256_vtable, v, sizeof v / sizeof v[0]);
}

/* Every hash, against `openssl kdf ... PBKDF2`: passphrases shorter and longer than the hash's
 * block (a long one is hashed first), an empty one, and outputs of several blocks with a partial
 * last one, up to the 256-byte maximum. */
static void pbkdf2_matches_openssl_kdf(void **state)
{
	(void)state;
	static const struct {
		const br_hash_class *hash;
		const char *name;
	} hashes[] = {
		{ &br_sha1_vtable, "SHA1" }, { &br_sha224_vtable, "SHA224" },
		{ &br_sha256_vtable, "SHA256" }, { &br_sha384_vtable, "SHA384" },
		{ &br_sha512_vtable, "SHA512" }, { &br_md5_vtable, "MD5" },
	};
	static const char *passes[] = { "", "correct horse battery staple",
		("a passphrase that is longer than one hundred and twenty-eight bytes, the block of "
		 "SHA-384 and SHA-512, so that HMAC hashes it before using it as the key") };
	static const size_t lengths[] = { 1, 20, 48, 100, 256 };
	const unsigned char salt[16] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99,
		0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
	for (size_t h = 0; h < sizeof hashes / sizeof hashes[0]; h++) {
		for (size_t p = 0; p < sizeof passes / sizeof passes[0]; p++) {
			size_t len = lengths[(h + p) % (sizeof lengths / sizeof lengths[0])];
			char text[1024];
			unsigned char want[256], got[256];
			capture(text, sizeof text, "openssl kdf -keylen %zu -kdfopt digest:%s "
				"-kdfopt 'pass:%s' -kdfopt hexsalt:00112233445566778899aabbccddeeff "
				"-kdfopt iter:1000 PBKDF2", len, hashes[h].name, passes[p]);
			assert_int_equal(from_hex(text, want, sizeof want), len);
			assert_int_equal(jg_pbkdf2(hashes[h].hash, (const unsigned char *)passes[p],
						 strlen(passes[p]), salt, sizeof salt, 1000, got, len),
				0);
			assert_memory_equal(got, want, len);
		}
	}
}

static void pbkdf2_rejects_bad_arguments(void **state)
{
	(void)state;
	const unsigned char pass[] = "pass", salt[] = "salt";
	unsigned char out[JG_KDF_MAX_OUT * 4 + 1];
	memset(out, 0xA5, sizeof out);
	assert_int_equal(jg_pbkdf2(&br_sha256_vtable, pass, 4, salt, 4, 0, out, 32), -1);
	assert_int_equal(jg_pbkdf2(&br_sha256_vtable, pass, 4, salt, 4, 1, out, 0), -1);
	assert_int_equal(jg_pbkdf2(&br_sha256_vtable, pass, 4, salt, 4, 1, out, sizeof out), -1);
	assert_int_equal(jg_pbkdf2(NULL, pass, 4, salt, 4, 1, out, 32), -1);
	assert_int_equal(jg_pbkdf2(&br_sha256_vtable, NULL, 4, salt, 4, 1, out, 32), -1);
	assert_int_equal(jg_pbkdf2(&br_sha256_vtable, pass, 4, NULL, 4, 1, out, 32), -1);
	assert_int_equal(jg_pbkdf2(&br_sha256_vtable, pass, 4, salt, 4, 1, NULL, 32), -1);
	for (size_t i = 0; i < sizeof out; i++)
		assert_int_equal(out[i], 0xA5);
	/* NULL with a length of 0 is an empty passphrase or salt. */
	unsigned char empty[16], again[16];
	assert_int_equal(jg_pbkdf2(&br_sha1_vtable, NULL, 0, NULL, 0, 1, empty, sizeof empty), 0);
	assert_int_equal(jg_pbkdf2(&br_sha1_vtable, pass, 0, salt, 0, 1, again, sizeof again), 0);
	assert_memory_equal(empty, again, sizeof empty);
}

/* Only the first out_len bytes are written, and a shorter output is a prefix of a longer one. */
static void pbkdf2_writes_exactly_out_len(void **state)
{
	(void)state;
	const unsigned char pass[] = "pass", salt[] = "salt";
	unsigned char long_out[70], short_out[40];
	memset(short_out, 0xA5, sizeof short_out);
	assert_int_equal(jg_pbkdf2(&br_sha256_vtable, pass, 4, salt, 4, 3, long_out, 70), 0);
	assert_int_equal(jg_pbkdf2(&br_sha256_vtable, pass, 4, salt, 4, 3, short_out, 33), 0);
	assert_memory_equal(short_out, long_out, 33);
	for (size_t i = 33; i < sizeof short_out; i++)
		assert_int_equal(short_out[i], 0xA5);
}

/* --- EVP_BytesToKey ---------------------------------------------------------------------- */

/* A fixed answer, from `openssl enc -aes-256-cbc -P -md md5 -S 0102030405060708 -pass
 * pass:secret`, so that the derivation is pinned even where openssl would change. */
static void bytes_to_key_known_answer(void **state)
{
	(void)state;
	const unsigned char salt[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	unsigned char want_key[32], want_iv[16], key[32], iv[16];
	from_hex("C9E5A1BD216DBE1317E230CEF48F38EE7F0E17AD64022144BCCEC4A1AA2879AB", want_key, 32);
	from_hex("E24B32BBBC4EF02ECBCB6576523AD893", want_iv, 16);
	assert_int_equal(jg_evp_bytes_to_key(&br_md5_vtable, (const unsigned char *)"secret", 6, salt,
				 key, sizeof key, iv, sizeof iv),
		0);
	assert_memory_equal(key, want_key, 32);
	assert_memory_equal(iv, want_iv, 16);
}

/* One `openssl enc -P` run against ours: salt_hex is 16 hex digits, or NULL for -nosalt. */
static void check_enc_p(const br_hash_class *hash, const char *md, const char *cipher,
	size_t key_len, size_t iv_len, const char *pass, const char *salt_hex)
{
	char text[1024];
	unsigned char salt[8], want_key[32], want_iv[16], key[32], iv[16];
	if (salt_hex != NULL)
		assert_int_equal(from_hex(salt_hex, salt, sizeof salt), 8);
	capture(text, sizeof text, "openssl enc -%s -P -md %s %s%s -pass 'pass:%s'", cipher, md,
		salt_hex != NULL ? "-S " : "-nosalt", salt_hex != NULL ? salt_hex : "", pass);
	assert_int_equal(labelled_hex(text, "key=", want_key, sizeof want_key), key_len);
	assert_int_equal(labelled_hex(text, "iv =", want_iv, sizeof want_iv), iv_len);
	assert_int_equal(jg_evp_bytes_to_key(hash, (const unsigned char *)pass, strlen(pass),
				 salt_hex != NULL ? salt : NULL, key, key_len, iv, iv_len),
		0);
	assert_memory_equal(key, want_key, key_len);
	assert_memory_equal(iv, want_iv, iv_len);
}

/* MD5 and SHA-256, salted and -nosalt, for the key and IV lengths of the ciphers we read. */
static void bytes_to_key_matches_openssl_enc(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		size_t key_len, iv_len;
	} ciphers[] = {
		{ "aes-256-cbc", 32, 16 }, { "aes-192-cbc", 24, 16 }, { "aes-128-cbc", 16, 16 },
		{ "des-ede3-cbc", 24, 8 },
	};
	static const char *passes[] = { "secret", "a longer passphrase with spaces & signs: $1 \"q\"" };
	for (size_t c = 0; c < sizeof ciphers / sizeof ciphers[0]; c++) {
		for (size_t p = 0; p < sizeof passes / sizeof passes[0]; p++) {
			size_t k = ciphers[c].key_len, v = ciphers[c].iv_len;
			check_enc_p(&br_md5_vtable, "md5", ciphers[c].name, k, v, passes[p],
				"0123456789ABCDEF");
			check_enc_p(&br_md5_vtable, "md5", ciphers[c].name, k, v, passes[p], NULL);
			check_enc_p(&br_sha256_vtable, "sha256", ciphers[c].name, k, v, passes[p],
				"F00DFACE00000001");
			check_enc_p(&br_sha256_vtable, "sha256", ciphers[c].name, k, v, passes[p], NULL);
		}
	}
}

static void bytes_to_key_rejects_bad_arguments(void **state)
{
	(void)state;
	const unsigned char salt[8] = { 0 };
	unsigned char key[JG_KDF_MAX_OUT + 1], iv[16];
	memset(key, 0xA5, sizeof key);
	const unsigned char *pass = (const unsigned char *)"pass";
	assert_int_equal(jg_evp_bytes_to_key(&br_md5_vtable, pass, 4, salt, key, 49, iv, 16), -1);
	assert_int_equal(jg_evp_bytes_to_key(&br_md5_vtable, pass, 4, salt, key, sizeof key, NULL, 0),
		-1);
	assert_int_equal(jg_evp_bytes_to_key(&br_md5_vtable, pass, 4, salt, key, 32, NULL, 16), -1);
	assert_int_equal(jg_evp_bytes_to_key(NULL, pass, 4, salt, key, 32, iv, 16), -1);
	for (size_t i = 0; i < sizeof key; i++)
		assert_int_equal(key[i], 0xA5);
	/* The whole 64 bytes, with no IV: the first 48 are what key 32 + IV 16 gives. */
	unsigned char all[JG_KDF_MAX_OUT], part[32];
	assert_int_equal(jg_evp_bytes_to_key(&br_md5_vtable, pass, 4, salt, all, sizeof all, NULL, 0),
		0);
	assert_int_equal(jg_evp_bytes_to_key(&br_md5_vtable, pass, 4, salt, part, 32, iv, 16), 0);
	assert_memory_equal(all, part, 32);
	assert_memory_equal(all + 32, iv, 16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pbkdf2_sha1_rfc6070),
		cmocka_unit_test(pbkdf2_sha256_rfc7914),
		cmocka_unit_test(pbkdf2_matches_openssl_kdf),
		cmocka_unit_test(pbkdf2_rejects_bad_arguments),
		cmocka_unit_test(pbkdf2_writes_exactly_out_len),
		cmocka_unit_test(bytes_to_key_known_answer),
		cmocka_unit_test(bytes_to_key_matches_openssl_enc),
		cmocka_unit_test(bytes_to_key_rejects_bad_arguments),
	};
	return cmocka_run_group_tests_name("kdf", tests, NULL, NULL);
}
