/*
 * Encrypted private keys (crypto/encrypted.h), against files the openssl CLI makes at test time
 * in a mkdtemp directory (an oracle in tests only: the suite requires openssl, and a missing one
 * fails the setup rather than skipping): PKCS#8 PBES2 with every cipher and PRF, as PEM (its DER
 * taken out by the PEM walk, as the key loader does) and DER;
 * traditional PEM with every cipher, LF and CRLF; `openssl enc` files with each derivation,
 * binary and base64; `-nosalt -K -iv` files. The plaintext must be, byte for byte, what
 * `openssl pkey` / `openssl rsa -traditional` print for the same key (or the file given to
 * `openssl enc`). Then the refusals (PBES1, PKCS#12, scrypt, other PRFs and ciphers, too many
 * iterations, a key length that disagrees), the exact wrong-passphrase message, truncation at
 * every 16th byte, plain keys left alone, and the keygen writer read back by `openssl pkey`
 * and found byte-identical to what `openssl pkcs8` writes with the same salt and IV.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "crypto/encrypted.h"
#include "crypto/pem.h"

#define PASS "jg test pass" /* the fixtures' passphrase: test material only */
#define FILE_MAX (32 * 1024)

static char dir[64];
/* The plain key: PKCS#8 and PKCS#1 DER, PEM, and `openssl pkey -outform DER` (OpenSSL 3 prints
 * the PKCS#1 form there, earlier versions PKCS#8: what the writer's read-back compares with). */
static unsigned char p8[4096], p1[4096], pem[4096], pkey[4096];
static size_t p8_len, p1_len, pem_len, pkey_len;
static unsigned char file[FILE_MAX], out[FILE_MAX];

/* --- helpers ----------------------------------------------------------------------------- */

static int shell(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Run a shell command inside dir (stderr dropped); its exit status, or -1. */
static int shell(const char *fmt, ...)
{
	char command[4096];
	int n = snprintf(command, sizeof command, "cd '%s' && { ", dir);
	va_list ap;
	va_start(ap, fmt);
	(void)vsnprintf(command + n, sizeof command - (size_t)n, fmt, ap);
	va_end(ap);
	(void)strncat(command, "; } 2>/dev/null", sizeof command - strlen(command) - 1);
	int status = system(command);
	return status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

#define SHELL_OK(...) assert_int_equal(shell(__VA_ARGS__), 0)

static size_t read_file(const char *name, unsigned char *buf, size_t cap)
{
	char path[256];
	(void)snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		fail_msg("cannot open %s", path);
	size_t len = fread(buf, 1, cap, f);
	assert_true(len < cap);
	(void)fclose(f);
	return len;
}

static void write_file(const char *name, const void *data, size_t len)
{
	char path[256];
	(void)snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	(void)fclose(f);
}

static int contains(const unsigned char *text, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = 0; i + n <= len; i++) {
		if (memcmp(text + i, needle, n) == 0)
			return 1;
	}
	return 0;
}

/* The DER of the object the PEM walk stops at. */
typedef struct taken_der {
	unsigned char der[FILE_MAX];
	size_t len;
} taken_der;

static int take_der(void *ctx, jg_pem_event event, const char *label, const unsigned char *der,
	size_t len)
{
	taken_der *taken = ctx;
	(void)label;
	if (event == JG_PEM_OBJECT) {
		memcpy(taken->der, der, len);
		taken->len = len;
	}
	return event != JG_PEM_BEGIN;
}

/*
 * A PEM "ENCRYPTED PRIVATE KEY" object reaches jg_enc_* as the key loader gives it: its DER,
 * from the PEM walk. Other inputs are given as they are, and so is a text whose object does not
 * decode (the loader refuses it without jg_enc_*).
 */
static const unsigned char *as_loaded(const unsigned char *in, size_t *len)
{
	static taken_der taken;
	static unsigned char scratch[FILE_MAX];
	if (!contains(in, *len, "-----BEGIN ENCRYPTED PRIVATE KEY-----") ||
		jg_pem_walk(in, *len, "ENCRYPTED PRIVATE KEY", scratch, sizeof scratch, take_der,
			&taken) == 0)
		return in;
	*len = taken.len;
	return taken.der;
}

static jg_status open_bytes(const unsigned char *in, size_t len, const jg_enc_options *opts,
	const char *pass, jg_enc_info *info, size_t *out_len, jg_error *err)
{
	memset(err, 0, sizeof *err);
	in = as_loaded(in, &len);
	return jg_enc_open(in, len, "key file k", opts, (const unsigned char *)pass,
		pass != NULL ? strlen(pass) : 0, info, out, sizeof out, out_len, err);
}

/* Open the fixture `name` with PASS; its plaintext must be want[0..want_len). */
static void expect_plain(const char *name, const jg_enc_options *opts, jg_enc_info *info,
	const unsigned char *want, size_t want_len)
{
	jg_error err;
	size_t len = read_file(name, file, sizeof file), got = 0;
	jg_status status = open_bytes(file, len, opts, PASS, info, &got, &err);
	if (status != JG_OK)
		fail_msg("%s: %s", name, err.message);
	assert_int_equal(got, want_len);
	assert_memory_equal(out, want, want_len);
}

/* Opening `name` fails with JG_ERR_INPUT and a message holding each of the (NULL-ended) words. */
static void expect_refusal(const char *name, const jg_enc_options *opts, const char *pass, ...)
{
	jg_error err;
	jg_enc_info info;
	size_t len = read_file(name, file, sizeof file), got = 1;
	assert_int_equal(open_bytes(file, len, opts, pass, &info, &got, &err), JG_ERR_INPUT);
	assert_int_equal(got, 0);
	assert_null(strchr(err.message, '\n'));
	va_list ap;
	va_start(ap, pass);
	for (const char *word = va_arg(ap, const char *); word != NULL;
		word = va_arg(ap, const char *)) {
		if (strstr(err.message, word) == NULL)
			fail_msg("%s: \"%s\" is not in \"%s\"", name, word, err.message);
	}
	va_end(ap);
}

static void expect_description(const char *name, const jg_enc_options *opts, jg_enc_format format,
	const char *description)
{
	jg_error err;
	jg_enc_info info;
	size_t len = read_file(name, file, sizeof file);
	const unsigned char *in = as_loaded(file, &len);
	if (jg_enc_detect(in, len, "key file k", opts, &info, &err) != JG_OK)
		fail_msg("%s: %s", name, err.message);
	assert_int_equal(info.format, format);
	assert_string_equal(info.description, description);
}

static void expect_wrong_passphrase(const char *name, const jg_enc_options *opts)
{
	jg_error err;
	jg_enc_info info;
	size_t len = read_file(name, file, sizeof file), got = 0;
	assert_int_equal(open_bytes(file, len, opts, "not the pass", &info, &got, &err),
		JG_ERR_INPUT);
	assert_string_equal(err.message, "key file k: wrong passphrase (decryption failed)");
	for (size_t i = 0; i < sizeof out; i++)
		assert_int_equal(out[i], 0);
}

/* --- setup ------------------------------------------------------------------------------- */

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/jg-test-encrypted-XXXXXX");
	if (mkdtemp(dir) == NULL || shell("openssl version >/dev/null") != 0) {
		(void)fprintf(stderr, "test_encrypted: needs mkdtemp and the openssl CLI\n");
		return -1;
	}
	if (shell("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out key.pem && "
		  "openssl pkcs8 -topk8 -nocrypt -in key.pem -outform DER -out p8.der && "
		  "openssl pkey -in key.pem -outform DER -out pkey.der && "
		  "openssl rsa -in key.pem -traditional -outform DER -out p1.der") != 0) {
		(void)fprintf(stderr, "test_encrypted: openssl genpkey failed (in %s)\n", dir);
		return -1;
	}
	p8_len = read_file("p8.der", p8, sizeof p8);
	p1_len = read_file("p1.der", p1, sizeof p1);
	pem_len = read_file("key.pem", pem, sizeof pem);
	pkey_len = read_file("pkey.der", pkey, sizeof pkey);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char command[128];
	(void)snprintf(command, sizeof command, "rm -rf '%s'", dir);
	return system(command) == 0 ? 0 : -1;
}

/* --- PKCS#8 ------------------------------------------------------------------------------ */

static void pkcs8_every_cipher_and_prf(void **state)
{
	(void)state;
	static const char *const ciphers[][2] = { { "aes-128-cbc", "AES-128-CBC" },
		{ "aes-192-cbc", "AES-192-CBC" }, { "aes-256-cbc", "AES-256-CBC" },
		{ "des3", "DES-EDE3-CBC" } };
	static const char *const prfs[] = { "SHA1", "SHA224", "SHA256", "SHA384", "SHA512" };
	for (size_t c = 0; c < 4; c++) {
		for (size_t p = 0; p < 5; p++) {
			SHELL_OK("openssl pkcs8 -topk8 -in key.pem -v2 %s -v2prf hmacWith%s "
				 "-iter 1000 -passout 'pass:%s' -out e.pem && openssl pkcs8 -topk8 "
				 "-in key.pem -v2 %s -v2prf hmacWith%s -iter 999 -passout 'pass:%s' "
				 "-outform DER -out e.der", ciphers[c][0], prfs[p], PASS,
				ciphers[c][0], prfs[p], PASS);
			char want[128];
			jg_enc_info info;
			(void)snprintf(want, sizeof want, "PBES2, PBKDF2-HMAC-%s (1000 iterations), %s",
				prfs[p], ciphers[c][1]);
			expect_description("e.pem", NULL, JG_ENC_PKCS8, want);
			expect_plain("e.pem", NULL, &info, p8, p8_len);
			assert_string_equal(info.format_name, "PKCS#8 PBES2");
			assert_int_equal(info.iterations, 1000);
			(void)snprintf(want, sizeof want, "PBKDF2-HMAC-%s, 1000 iterations", prfs[p]);
			assert_string_equal(info.derivation, want);
			expect_plain("e.der", NULL, &info, p8, p8_len);
			assert_int_equal(info.format, JG_ENC_PKCS8);
			assert_int_equal(info.iterations, 999);
		}
	}
	expect_wrong_passphrase("e.pem", NULL);
	expect_wrong_passphrase("e.der", NULL);
}

/* What OpenSSL 3 writes by default, CRLF, text around the block, and check's description. */
static void pkcs8_as_openssl_writes_it(void **state)
{
	(void)state;
	jg_enc_info info;
	SHELL_OK("openssl genrsa -des3 -passout 'pass:%s' -out g.pem 2048 && openssl pkey "
		 "-in g.pem -passin 'pass:%s' | openssl pkcs8 -topk8 -nocrypt -outform DER -out g.der",
		PASS, PASS);
	unsigned char want[4096];
	size_t want_len = read_file("g.der", want, sizeof want);
	expect_description("g.pem", NULL, JG_ENC_PKCS8,
		"PBES2, PBKDF2-HMAC-SHA256 (2048 iterations), DES-EDE3-CBC");
	expect_plain("g.pem", NULL, &info, want, want_len);
	assert_true(info.prf == &br_sha256_vtable);
	assert_int_equal(info.cipher, JG_CIPHER_DES_EDE3_CBC);
	SHELL_OK("openssl pkey -in key.pem -aes256 -passout 'pass:%s' -out a.pem && "
		 "sed 's/$/\\r/' a.pem > crlf.pem && { openssl req -new -x509 -key key.pem -subj /CN=x "
		 "-days 1; echo 'Bag Attributes'; cat a.pem; echo trailing; } > around.pem", PASS);
	expect_plain("a.pem", NULL, &info, p8, p8_len);
	expect_plain("crlf.pem", NULL, &info, p8, p8_len);
	expect_plain("around.pem", NULL, &info, p8, p8_len);
	SHELL_OK("openssl pkcs8 -topk8 -in key.pem -v2 aes-256-cbc -v2prf hmacWithSHA256 "
		 "-iter 600000 -passout 'pass:%s' -out slow.pem", PASS);
	expect_description("slow.pem", NULL, JG_ENC_PKCS8,
		"PBES2, PBKDF2-HMAC-SHA256 (600000 iterations), AES-256-CBC");
}

/* --- hand-made DER, for what openssl will not write ---------------------------------------- */

/* tag, length (short form or two bytes), content; returns the bytes written. */
static size_t tlv(unsigned char *to, unsigned tag, const unsigned char *content, size_t len)
{
	size_t h = 0;
	to[h++] = (unsigned char)tag;
	if (len < 128) {
		to[h++] = (unsigned char)len;
	} else {
		to[h++] = 0x82;
		to[h++] = (unsigned char)(len >> 8);
		to[h++] = (unsigned char)len;
	}
	memmove(to + h, content, len);
	return h + len;
}

static const unsigned char oid_pbes2[] = { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x05, 0x0D };
static const unsigned char oid_pbkdf2[] = { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x05,
	0x0C };
static const unsigned char oid_aes256[] = { 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01,
	0x2A };
static const unsigned char oid_des_cbc[] = { 0x2B, 0x0E, 0x03, 0x02, 0x07 };
static const unsigned char oid_pbes1_md5_des[] = { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01,
	0x05, 0x03 };

/* SEQUENCE { SEQUENCE { OID scheme, params }, OCTET STRING (32 bytes) } into the file name. */
static void write_epki(const char *name, const unsigned char *scheme, size_t scheme_len,
	const unsigned char *params, size_t params_len)
{
	unsigned char alg[512], body[1024], der[1024], data[32];
	memset(data, 0x5A, sizeof data);
	size_t n = tlv(alg, 0x06, scheme, scheme_len);
	memcpy(alg + n, params, params_len);
	n = tlv(body, 0x30, alg, n + params_len);
	n += tlv(body + n, 0x04, data, sizeof data);
	write_file(name, der, tlv(der, 0x30, body, n));
}

/* PBES2 params: PBKDF2 with the iteration count bytes `iter` (and keyLength when key_len is
 * not 0), the cipher `cipher` with an IV of iv_len bytes. */
static size_t pbes2_params(unsigned char *to, const unsigned char *iter, size_t iter_len,
	unsigned key_len, const unsigned char *cipher, size_t cipher_len, size_t iv_len)
{
	unsigned char salt[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, iv[16] = { 0 }, kdf[128], seq[256];
	unsigned char key_length = (unsigned char)key_len, params[128], enc[64];
	size_t n = tlv(params, 0x04, salt, sizeof salt);
	n += tlv(params + n, 0x02, iter, iter_len);
	if (key_len != 0)
		n += tlv(params + n, 0x02, &key_length, 1);
	size_t k = tlv(kdf, 0x06, oid_pbkdf2, sizeof oid_pbkdf2);
	k += tlv(kdf + k, 0x30, params, n);
	size_t s = tlv(seq, 0x30, kdf, k);
	size_t e = tlv(enc, 0x06, cipher, cipher_len);
	e += tlv(enc + e, 0x04, iv, iv_len);
	s += tlv(seq + s, 0x30, enc, e);
	return tlv(to, 0x30, seq, s);
}

static void hand_made_refusals(void **state)
{
	(void)state;
	static const unsigned char many[] = { 0x01, 0x31, 0x2D, 0x00 }; /* 20,000,000 */
	static const unsigned char some[] = { 0x08, 0x00 };            /* 2048 */
	unsigned char params[256];
	size_t n = pbes2_params(params, many, sizeof many, 0, oid_aes256, sizeof oid_aes256, 16);
	write_epki("many.der", oid_pbes2, sizeof oid_pbes2, params, n);
	expect_refusal("many.der", NULL, PASS, "more than 10000000 PBKDF2 iterations", NULL);
	n = pbes2_params(params, some, sizeof some, 16, oid_aes256, sizeof oid_aes256, 16);
	write_epki("keylen.der", oid_pbes2, sizeof oid_pbes2, params, n);
	expect_refusal("keylen.der", NULL, PASS, "key length (16 bytes)", "AES-256-CBC (32 bytes)",
		NULL);
	n = pbes2_params(params, some, sizeof some, 32, oid_aes256, sizeof oid_aes256, 8);
	write_epki("badiv.der", oid_pbes2, sizeof oid_pbes2, params, n);
	expect_refusal("badiv.der", NULL, PASS, "truncated or corrupted", NULL);
	n = pbes2_params(params, some, sizeof some, 0, oid_des_cbc, sizeof oid_des_cbc, 8);
	write_epki("des.der", oid_pbes2, sizeof oid_pbes2, params, n);
	expect_refusal("des.der", NULL, PASS, "DES-CBC", "openssl pkcs8 -topk8 -v2 aes-256-cbc",
		NULL);
	static const unsigned char pbes1[] = { 0x30, 0x0E, 0x04, 0x08, 1, 2, 3, 4, 5, 6, 7, 8, 0x02,
		0x02, 0x08, 0x00 };
	write_epki("pbes1-hand.der", oid_pbes1_md5_des, sizeof oid_pbes1_md5_des, pbes1,
		sizeof pbes1);
	expect_refusal("pbes1-hand.der", NULL, PASS, "PBES1", "pbeWithMD5AndDES-CBC",
		"openssl pkcs8 -topk8 -v2 aes-256-cbc -in OLD.key -out server.key", NULL);
}

/* The older schemes and the other PBES2 parts, as openssl writes them. */
static void openssl_refusals(void **state)
{
	(void)state;
	const char *to_p8 = "openssl pkcs8 -topk8 -in key.pem -passout 'pass:" PASS "'";
	/* PBES1 needs OpenSSL 3's legacy provider; hand_made_refusals covers it without. */
	if (shell("%s -v1 PBE-MD5-DES -provider legacy -provider default -out pbes1.pem",
		to_p8) == 0)
		expect_refusal("pbes1.pem", NULL, PASS, "PBES1 (pbeWithMD5AndDES-CBC)",
			"openssl pkcs8 -topk8 -v2 aes-256-cbc", NULL);
	SHELL_OK("%s -v1 PBE-SHA1-3DES -outform DER -out p12.der", to_p8);
	expect_refusal("p12.der", NULL, PASS, "PKCS#12", "pbeWithSHAAnd3-KeyTripleDES-CBC",
		"openssl pkcs8 -topk8 -v2 aes-256-cbc", NULL);
	SHELL_OK("%s -scrypt -scrypt_N 1024 -scrypt_r 8 -scrypt_p 1 -out scrypt.pem", to_p8);
	expect_refusal("scrypt.pem", NULL, PASS, "scrypt", "openssl pkcs8 -topk8 -v2 aes-256-cbc",
		NULL);
	SHELL_OK("%s -v2 camellia-256-cbc -out camellia.pem", to_p8);
	expect_refusal("camellia.pem", NULL, PASS, "cipher OID 1.2.392.200011.61.1.1.1.4", NULL);
	SHELL_OK("%s -v2 aes-256-cbc -v2prf hmacWithSHA512-224 -out prf.pem", to_p8);
	expect_refusal("prf.pem", NULL, PASS, "PRF hmacWithSHA512-224", NULL);
	/* detect refuses them too, so that check can say why. */
	jg_error err;
	jg_enc_info info;
	size_t len = read_file("p12.der", file, sizeof file);
	assert_int_equal(jg_enc_detect(file, len, "k", NULL, &info, &err), JG_ERR_INPUT);
	assert_int_equal(info.format, JG_ENC_PKCS8);
}

/* --- traditional PEM ----------------------------------------------------------------------- */

static void traditional_every_cipher(void **state)
{
	(void)state;
	static const char *const ciphers[][2] = { { "aes128", "AES-128-CBC" },
		{ "aes192", "AES-192-CBC" }, { "aes256", "AES-256-CBC" }, { "des3", "DES-EDE3-CBC" } };
	for (size_t c = 0; c < 4; c++) {
		SHELL_OK("openssl rsa -in key.pem -traditional -%s -passout 'pass:%s' -out t.pem && "
			 "sed 's/$/\\r/' t.pem > t-crlf.pem", ciphers[c][0], PASS);
		char want[128];
		jg_enc_info info;
		(void)snprintf(want, sizeof want, "traditional PEM, EVP_BytesToKey-MD5, %s",
			ciphers[c][1]);
		expect_description("t.pem", NULL, JG_ENC_TRADITIONAL, want);
		expect_plain("t.pem", NULL, &info, p1, p1_len);
		assert_string_equal(info.format_name, "traditional PEM");
		assert_string_equal(info.derivation, "EVP_BytesToKey-MD5");
		expect_plain("t-crlf.pem", NULL, &info, p1, p1_len);
		expect_wrong_passphrase("t.pem", NULL);
	}
}

/* "PRIVATE KEY" with Proc-Type: the key from `openssl enc -P` (EVP_BytesToKey-MD5), the
 * ciphertext from `openssl enc -K -iv`, the headers by hand. */
static void traditional_pkcs8_label(void **state)
{
	(void)state;
	jg_enc_info info;
	SHELL_OK("iv=00112233445566778899AABBCCDDEEFF && key=$(openssl enc -aes-128-cbc -md md5 "
		 "-S 0011223344556677 -pass 'pass:%s' -P | sed -n 's/^key=//p') && "
		 "{ echo '-----BEGIN PRIVATE KEY-----'; echo 'Proc-Type: 4,ENCRYPTED'; "
		 "echo \"DEK-Info: AES-128-CBC,$iv\"; echo; openssl enc -aes-128-cbc -K $key -iv $iv "
		 "-in p8.der | openssl base64; echo '-----END PRIVATE KEY-----'; } > t8.pem", PASS);
	expect_plain("t8.pem", NULL, &info, p8, p8_len);
	assert_int_equal(info.format, JG_ENC_TRADITIONAL);
	assert_int_equal(info.cipher, JG_CIPHER_AES_128_CBC);
}

static void traditional_refusals(void **state)
{
	(void)state;
	SHELL_OK("openssl rsa -in key.pem -traditional -aes256 -passout 'pass:%s' -out t.pem && "
		 "sed 's/^DEK-Info: AES-256-CBC,\\(.\\{16\\}\\).*/DEK-Info: DES-CBC,\\1/' t.pem > des.pem && "
		 "sed 's/^DEK-Info: AES-256-CBC/DEK-Info: AES-256-CFB/' t.pem > cfb.pem && "
		 "sed 's/^DEK-Info: AES-256-CBC,\\(.\\{30\\}\\).*/DEK-Info: AES-256-CBC,\\1/' t.pem > iv.pem && "
		 "sed '/^DEK-Info/d' t.pem > nodek.pem && grep -v END t.pem > noend.pem", PASS);
	expect_refusal("des.pem", NULL, PASS, "DES-CBC (traditional PEM)",
		"openssl pkcs8 -topk8 -v2 aes-256-cbc", NULL);
	expect_refusal("cfb.pem", NULL, PASS, "AES-256-CFB", NULL);
	expect_refusal("iv.pem", NULL, PASS, "DEK-Info", "32 hex digits", NULL);
	expect_refusal("nodek.pem", NULL, PASS, "no DEK-Info", NULL);
	expect_refusal("noend.pem", NULL, PASS, "truncated or corrupted", NULL);
}

/* --- openssl enc ------------------------------------------------------------------------- */

typedef struct enc_case {
	const char *args;        /* for openssl enc */
	jg_cipher cipher;        /* --enc-cipher */
	unsigned long iterations; /* --enc-iter */
	const br_hash_class *md; /* --enc-md */
	const char *derivation;
} enc_case;

static void salted_every_derivation(void **state)
{
	(void)state;
	const enc_case cases[] = {
		{ "-aes-256-cbc -pbkdf2", 0, 0, NULL, "PBKDF2-HMAC-SHA256, 10000 iterations" },
		{ "-aes-256-cbc -pbkdf2 -iter 2000 -a", 0, 2000, NULL,
			"PBKDF2-HMAC-SHA256, 2000 iterations" },
		{ "-aes-256-cbc -md sha256", 0, 0, NULL, "EVP_BytesToKey-SHA256" },
		{ "-aes-256-cbc -md md5 -a -A", 0, 0, NULL, "EVP_BytesToKey-MD5" },
		{ "-aes-128-cbc -pbkdf2 -a", JG_CIPHER_AES_128_CBC, 0, NULL,
			"PBKDF2-HMAC-SHA256, 10000 iterations" },
		{ "-aes-192-cbc -md md5", JG_CIPHER_AES_192_CBC, 0, NULL, "EVP_BytesToKey-MD5" },
		{ "-des-ede3-cbc -md sha256 -a", JG_CIPHER_DES_EDE3_CBC, 0, NULL,
			"EVP_BytesToKey-SHA256" },
		{ "-aes-256-cbc -pbkdf2 -md sha512", 0, 0, &br_sha512_vtable,
			"PBKDF2-HMAC-SHA512, 10000 iterations" },
		{ "-aes-256-cbc -md sha1 -a", 0, 0, &br_sha1_vtable, "EVP_BytesToKey-SHA1" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		jg_enc_options opts = { cases[i].cipher, cases[i].iterations, cases[i].md,
			NULL, 0, NULL, 0 };
		jg_enc_info info;
		SHELL_OK("openssl enc %s -pass 'pass:%s' -in key.pem -out s.enc && "
			 "openssl enc %s -pass 'pass:%s' -in p1.der -out d.enc", cases[i].args, PASS,
			cases[i].args, PASS);
		expect_plain("s.enc", &opts, &info, pem, pem_len);
		assert_string_equal(info.derivation, cases[i].derivation);
		assert_string_equal(info.format_name, "openssl enc");
		assert_int_equal(info.format, JG_ENC_SALTED);
		expect_plain("d.enc", &opts, &info, p1, p1_len);
		assert_string_equal(info.derivation, cases[i].derivation);
		expect_wrong_passphrase("s.enc", &opts);
	}
	expect_description("s.enc", NULL, JG_ENC_SALTED, "openssl enc, AES-256-CBC");
}

static void salted_base64_forms(void **state)
{
	(void)state;
	jg_enc_info info;
	SHELL_OK("openssl enc -aes-256-cbc -pbkdf2 -a -pass 'pass:%s' -in key.pem -out b.enc && "
		 "sed 's/$/\\r/' b.enc > crlf.enc && { printf '\\n  '; tr -d '\\n' < b.enc; "
		 "echo; } > spaced.enc", PASS);
	expect_plain("b.enc", NULL, &info, pem, pem_len);
	expect_plain("crlf.enc", NULL, &info, pem, pem_len);
	expect_plain("spaced.enc", NULL, &info, pem, pem_len);
	/* Made with AES-128, read as AES-256: whole blocks, but no derivation gives a key. */
	SHELL_OK("openssl enc -aes-128-cbc -pbkdf2 -pass 'pass:%s' -in key.pem -out other.enc",
		PASS);
	expect_refusal("other.enc", NULL, PASS, "wrong passphrase", NULL);
	SHELL_OK("openssl enc -des-ede3-cbc -pbkdf2 -pass 'pass:%s' -in key.pem -out des.enc && "
		 "head -c 24 des.enc > short.enc && { cat des.enc; printf 123; } > odd.enc", PASS);
	jg_enc_options aes128 = { JG_CIPHER_AES_128_CBC, 0, NULL, NULL, 0, NULL, 0 };
	expect_refusal("odd.enc", &aes128, PASS, "not a whole number of AES-128-CBC blocks", NULL);
	expect_refusal("short.enc", NULL, PASS, "not a whole number", NULL);
}

static void hex_bytes(const char *hex, unsigned char *to, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned v = 0;
		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		to[i] = (unsigned char)v;
	}
}

static void raw_key_and_iv(void **state)
{
	(void)state;
	static const char key_hex[] =
		"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
	static const char iv_hex[] = "f0e0d0c0b0a090807060504030201000";
	unsigned char key[32], iv[16];
	hex_bytes(key_hex, key, sizeof key);
	hex_bytes(iv_hex, iv, sizeof iv);
	SHELL_OK("openssl enc -nosalt -aes-256-cbc -K %s -iv %s -in key.pem -out r.bin && "
		 "openssl enc -nosalt -aes-256-cbc -K %s -iv %s -base64 -in p1.der -out r.b64 && "
		 "openssl enc -nosalt -aes-256-cbc -K %s -iv 00 -in key.pem -out zero.bin",
		key_hex, iv_hex, key_hex, iv_hex, key_hex);
	jg_enc_options opts = { 0, 0, NULL, key, sizeof key, iv, sizeof iv };
	jg_enc_info info;
	expect_description("r.bin", &opts, JG_ENC_RAW, "openssl enc -nosalt, AES-256-CBC");
	expect_plain("r.bin", &opts, &info, pem, pem_len);
	assert_string_equal(info.derivation, "raw key and IV");
	expect_plain("r.b64", &opts, &info, p1, p1_len);
	opts.raw_iv = NULL;
	opts.raw_iv_len = 0;
	expect_plain("zero.bin", &opts, &info, pem, pem_len);
	opts.raw_iv = iv;
	opts.raw_iv_len = sizeof iv;
	key[0] ^= 1;
	expect_wrong_passphrase("r.bin", &opts);
	expect_wrong_passphrase("r.b64", &opts);
	opts.raw_key_len = 16;
	expect_refusal("r.bin", &opts, NULL, "--enc-key-env", "64 hex digits", "not 32", NULL);
	opts.raw_key_len = 32;
	opts.raw_iv_len = 8;
	expect_refusal("r.bin", &opts, NULL, "--enc-iv-env", "32 hex digits", NULL);
	/* Without a raw key, the same bytes are not an encrypted key we know of. */
	expect_description("r.bin", NULL, JG_ENC_NONE, "");
}

static void raw_des_ede3(void **state)
{
	(void)state;
	static const char key_hex[] = "0123456789abcdeffedcba987654321089abcdef01234567";
	unsigned char key[24], iv[8];
	hex_bytes(key_hex, key, sizeof key);
	hex_bytes("1122334455667788", iv, sizeof iv);
	SHELL_OK("openssl enc -nosalt -des-ede3-cbc -K %s -iv 1122334455667788 -a -in key.pem "
		 "-out r3.b64", key_hex);
	jg_enc_options opts = { JG_CIPHER_DES_EDE3_CBC, 0, NULL, key, sizeof key, iv, sizeof iv };
	jg_enc_info info;
	expect_plain("r3.b64", &opts, &info, pem, pem_len);
	assert_int_equal(info.cipher, JG_CIPHER_DES_EDE3_CBC);
}

/* --- what is not encrypted, truncations, small buffers ------------------------------------- */

static void plain_keys_are_not_encrypted(void **state)
{
	(void)state;
	SHELL_OK("openssl pkey -in key.pem -pubout -outform DER -out spki.der && "
		 "openssl req -new -x509 -key key.pem -subj /CN=x -days 1 -out cert.pem && "
		 "openssl x509 -in cert.pem -outform DER -out cert.der && "
		 "openssl rsa -in key.pem -traditional -out p1.pem && printf 'hello' > hello.txt && "
		 ": > empty");
	static const char *const names[] = { "p8.der", "p1.der", "key.pem", "p1.pem", "spki.der",
		"cert.pem", "cert.der", "hello.txt", "empty" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		expect_description(names[i], NULL, JG_ENC_NONE, "");
		expect_refusal(names[i], NULL, PASS, "not an encrypted private key", NULL);
	}
}

/* Every 16th prefix of a fixture fails, cleanly. */
static void truncate_all(const char *name, const jg_enc_options *opts, const char *pass)
{
	static unsigned char whole[FILE_MAX];
	size_t len = read_file(name, whole, sizeof whole);
	for (size_t n = 0; n < len; n += 16) {
		jg_error err;
		jg_enc_info info;
		size_t got = 1;
		if (open_bytes(whole, n, opts, pass, &info, &got, &err) == JG_OK) {
			/* BearSSL's PEM decoder ends an object at "-----" of the END line: a cut
			 * inside that line leaves the whole key, which is fine. */
			if (!contains(whole, n, "\n-----END "))
				fail_msg("%s cut at %zu: opened", name, n);
			continue;
		}
		assert_int_equal(got, 0);
		assert_true(err.message[0] != '\0' && strchr(err.message, '\n') == NULL);
	}
}

static void truncations_fail(void **state)
{
	(void)state;
	SHELL_OK("openssl pkcs8 -topk8 -in key.pem -v2 aes-256-cbc -iter 10 -passout 'pass:%s' "
		 "-out tr.pem && openssl pkcs8 -topk8 -in key.pem -v2 des3 -iter 10 -passout "
		 "'pass:%s' -outform DER -out tr.der && openssl rsa -in key.pem -traditional -aes128 "
		 "-passout 'pass:%s' -out trt.pem && openssl enc -aes-256-cbc -pbkdf2 -iter 10 -pass "
		 "'pass:%s' -in key.pem -out tr.enc && openssl enc -aes-256-cbc -pbkdf2 -iter 10 -a "
		 "-pass 'pass:%s' -in key.pem -out tr.b64 && openssl enc -nosalt -aes-128-cbc -K "
		 "00112233445566778899aabbccddeeff -iv 00 -a -in key.pem -out trr.b64",
		PASS, PASS, PASS, PASS, PASS);
	jg_enc_options fast = { 0, 10, NULL, NULL, 0, NULL, 0 };
	unsigned char key[16];
	hex_bytes("00112233445566778899aabbccddeeff", key, sizeof key);
	jg_enc_options raw = { JG_CIPHER_AES_128_CBC, 0, NULL, key, sizeof key, NULL, 0 };
	truncate_all("tr.pem", NULL, PASS);
	truncate_all("tr.der", NULL, PASS);
	truncate_all("trt.pem", NULL, PASS);
	truncate_all("tr.enc", &fast, PASS);
	truncate_all("tr.b64", &fast, PASS);
	truncate_all("trr.b64", &raw, NULL);
	jg_enc_info info;
	expect_plain("tr.b64", &fast, &info, pem, pem_len);
	expect_plain("trr.b64", &raw, &info, pem, pem_len);
	size_t len = read_file("tr.der", file, sizeof file);
	write_file("cut.der", file, len - 5);
	expect_refusal("cut.der", NULL, PASS, "truncated or corrupted", NULL);
}

static void small_buffers_and_missing_passphrase(void **state)
{
	(void)state;
	jg_error err;
	jg_enc_info info;
	size_t got = 1;
	SHELL_OK("openssl pkcs8 -topk8 -in key.pem -v2 aes-256-cbc -iter 10 -passout 'pass:%s' "
		 "-out small.pem", PASS);
	size_t len = read_file("small.pem", file, sizeof file);
	const unsigned char *in = as_loaded(file, &len);
	memset(out, 0xEE, sizeof out);
	assert_int_equal(jg_enc_open(in, len, "k", NULL, (const unsigned char *)PASS,
				 strlen(PASS), &info, out, 600, &got, &err), JG_ERR_INPUT);
	assert_non_null(strstr(err.message, "too large"));
	assert_int_equal(got, 0);
	for (size_t i = 0; i < 600; i++)
		assert_int_equal(out[i], 0);
	assert_int_equal(jg_enc_open(in, len, "k", NULL, NULL, 0, &info, out, sizeof out, &got,
				 &err), JG_ERR_INPUT);
	assert_non_null(strstr(err.message, "--passphrase-env"));
	assert_int_equal(jg_enc_open(in, len, "k", NULL, (const unsigned char *)"", 0, &info,
				 out, sizeof out, &got, &err), JG_ERR_INPUT);
	assert_string_equal(err.message, "k: wrong passphrase (decryption failed)");
}

/* --- the keygen writer ------------------------------------------------------------------- */

/*
 * The writer against an independent encryption: the key from `openssl kdf PBKDF2`, the
 * ciphertext from `openssl enc -K -iv`, the DER around it as `openssl asn1parse` shows OpenSSL's
 * own (`pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA256`), with a 16-byte salt.
 */
static void writer_matches_openssl(void **state)
{
	(void)state;
	static const char salt_hex[] = "000102030405060708090a0b0c0d0e0f";
	static const char iv_hex[] = "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf";
	static const unsigned char hmac_sha256[] = { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x02,
		0x09 };
	static const unsigned char iter[] = { 0x08, 0x00 }, null[1] = { 0 };
	static unsigned char ct[FILE_MAX], want[FILE_MAX], ours[FILE_MAX];
	unsigned char salt[16], iv[16], a[256], b[256], c[256];
	hex_bytes(salt_hex, salt, sizeof salt);
	hex_bytes(iv_hex, iv, sizeof iv);
	SHELL_OK("k=$(openssl kdf -keylen 32 -kdfopt digest:SHA256 -kdfopt 'pass:%s' -kdfopt "
		 "hexsalt:%s -kdfopt iter:2048 PBKDF2 | tr -d :) && openssl enc -aes-256-cbc -K $k "
		 "-iv %s -in p8.der -out ct.bin", PASS, salt_hex, iv_hex);
	size_t ct_len = read_file("ct.bin", ct, sizeof ct), n, m;
	n = tlv(a, 0x06, hmac_sha256, sizeof hmac_sha256);
	n += tlv(a + n, 0x05, null, 0);
	m = tlv(b, 0x04, salt, 16);
	m += tlv(b + m, 0x02, iter, sizeof iter);
	m += tlv(b + m, 0x30, a, n);                        /* PBKDF2-params */
	n = tlv(a, 0x06, oid_pbkdf2, sizeof oid_pbkdf2);
	n += tlv(a + n, 0x30, b, m);
	m = tlv(c, 0x30, a, n);                             /* keyDerivationFunc */
	n = tlv(a, 0x06, oid_aes256, sizeof oid_aes256);
	n += tlv(a + n, 0x04, iv, 16);
	m += tlv(c + m, 0x30, a, n);                        /* encryptionScheme */
	n = tlv(a, 0x06, oid_pbes2, sizeof oid_pbes2);
	n += tlv(a + n, 0x30, c, m);                        /* PBES2-params */
	m = tlv(want, 0x30, a, n);                          /* encryptionAlgorithm */
	m += tlv(want + m, 0x04, ct, ct_len);
	size_t want_len = tlv(ours, 0x30, want, m), ours_len = 0;
	memcpy(want, ours, want_len);
	jg_error err;
	assert_int_equal(jg_enc_write_pkcs8(p8, p8_len, (const unsigned char *)PASS, strlen(PASS),
				 2048, salt, iv, ours, sizeof ours, &ours_len, &err), JG_OK);
	assert_int_equal(ours_len, want_len);
	assert_memory_equal(ours, want, want_len);
}

static void writer_read_back(void **state)
{
	(void)state;
	static unsigned char der[FILE_MAX];
	unsigned char salt[16], iv[16];
	memset(salt, 0x11, sizeof salt);
	memset(iv, 0x22, sizeof iv);
	jg_error err;
	size_t len = 0;
	assert_int_equal(jg_enc_write_pkcs8(p8, p8_len, (const unsigned char *)PASS, strlen(PASS),
				 3000, salt, iv, der, sizeof der, &len, &err), JG_OK);
	write_file("w.der", der, len);
	SHELL_OK("openssl pkey -inform DER -in w.der -passin 'pass:%s' -outform DER -out w-plain.der",
		PASS);
	unsigned char back[4096];
	assert_int_equal(read_file("w-plain.der", back, sizeof back), pkey_len);
	assert_memory_equal(back, pkey, pkey_len);
	jg_enc_info info;
	expect_plain("w.der", NULL, &info, p8, p8_len);
	expect_description("w.der", NULL, JG_ENC_PKCS8,
		"PBES2, PBKDF2-HMAC-SHA256 (3000 iterations), AES-256-CBC");
	size_t short_len = 1;
	assert_int_equal(jg_enc_write_pkcs8(p8, p8_len, (const unsigned char *)PASS, strlen(PASS),
				 3000, salt, iv, der, len - 1, &short_len, &err), JG_ERR_INPUT);
	assert_int_equal(short_len, 0);
	for (size_t i = 0; i < len - 1; i++)
		assert_int_equal(der[i], 0);
	assert_int_equal(jg_enc_write_pkcs8(p8, p8_len, (const unsigned char *)PASS, strlen(PASS),
				 0, salt, iv, der, sizeof der, &len, &err), JG_ERR_INPUT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pkcs8_every_cipher_and_prf),
		cmocka_unit_test(pkcs8_as_openssl_writes_it),
		cmocka_unit_test(hand_made_refusals),
		cmocka_unit_test(openssl_refusals),
		cmocka_unit_test(traditional_every_cipher),
		cmocka_unit_test(traditional_pkcs8_label),
		cmocka_unit_test(traditional_refusals),
		cmocka_unit_test(salted_every_derivation),
		cmocka_unit_test(salted_base64_forms),
		cmocka_unit_test(raw_key_and_iv),
		cmocka_unit_test(raw_des_ede3),
		cmocka_unit_test(plain_keys_are_not_encrypted),
		cmocka_unit_test(truncations_fail),
		cmocka_unit_test(small_buffers_and_missing_passphrase),
		cmocka_unit_test(writer_matches_openssl),
		cmocka_unit_test(writer_read_back),
	};
	return cmocka_run_group_tests_name("encrypted", tests, setup, teardown);
}
