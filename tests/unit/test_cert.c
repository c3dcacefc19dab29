/*
 * Certificates, cross-checked with the openssl CLI (an oracle in tests only): parsing a
 * certificate openssl made, and openssl reading, re-encoding and verifying the one we write.
 * Everything happens in a mkdtemp directory removed at the end.
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
#include <time.h>

#include "x509/cert.h"
#include "crypto/sha256.h"
#include "x509/cert_verify.h"
#include "x509/cert_write.h"
#include "crypto/pem.h"
#include "x509/der.h"

/* --- fixtures ---------------------------------------------------------------------------- */

static char dir[64];

/* An RSA key decoded from DER by BearSSL, with its public half computed from it. */
typedef struct test_key {
	br_skey_decoder_context decoder; /* the private key lives in here */
	const br_rsa_private_key *sk;
	unsigned char n[512], e[4];
	br_rsa_public_key pk;
} test_key;

static test_key key, other_key;

/* The oracle certificate made by `openssl req -x509` with `key`. */
static const char oracle_subject[] = "/C=US/ST=California/L=San Francisco/O=Acme, Inc./OU=Eng/"
				     "CN=jwtgrant test Zo\xC3\xAB/emailAddress=t@example.com";

static int shell(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Run a shell command inside dir; its exit status, or -1. */
static int shell(const char *fmt, ...)
{
	char command[2048];
	int n = snprintf(command, sizeof command, "cd '%s' && ", dir);
	va_list ap;
	va_start(ap, fmt);
	(void)vsnprintf(command + n, sizeof command - (size_t)n, fmt, ap);
	va_end(ap);
	int status = system(command);
	return status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void capture(char *out, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The stdout of a shell command run inside dir, trailing newlines removed. */
static void capture(char *out, size_t cap, const char *fmt, ...)
{
	char command[2048];
	int n = snprintf(command, sizeof command, "cd '%s' && ", dir);
	va_list ap;
	va_start(ap, fmt);
	(void)vsnprintf(command + n, sizeof command - (size_t)n, fmt, ap);
	va_end(ap);
	FILE *pipe = popen(command, "r");
	assert_non_null(pipe);
	size_t len = fread(out, 1, cap - 1, pipe);
	out[len] = '\0';
	assert_int_equal(pclose(pipe), 0);
	while (len > 0 && out[len - 1] == '\n')
		out[--len] = '\0';
}

static size_t read_file(const char *name, unsigned char *buf, size_t cap)
{
	char path[256];
	(void)snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
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

static int load_key(const char *der_name, test_key *k)
{
	unsigned char der[4096];
	size_t len = read_file(der_name, der, sizeof der);
	br_skey_decoder_init(&k->decoder);
	br_skey_decoder_push(&k->decoder, der, len);
	k->sk = br_skey_decoder_get_rsa(&k->decoder);
	if (k->sk == NULL)
		return -1;
	/* The modulus comes back from p and q. br_rsa_compute_pubexp only works when p and q are
	 * both 3 mod 4 (true of BearSSL's keygen, not of openssl's), so e is openssl genrsa's
	 * default, 65537; the SPKI comparisons with openssl below check that it is right. */
	size_t nlen = br_rsa_compute_modulus_get_default()(k->n, k->sk);
	static const unsigned char f4[] = { 0x00, 0x01, 0x00, 0x01 };
	memcpy(k->e, f4, sizeof f4);
	k->pk = (br_rsa_public_key){ k->n, nlen, k->e, sizeof k->e };
	return nlen > 0 ? 0 : -1;
}

/* Name the setup step that failed, since cmocka only says "GROUP SETUP". */
static int setup_failed(const char *step)
{
	(void)fprintf(stderr, "test_cert setup: %s failed (in %s)\n", step, dir);
	return -1;
}

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/jg-test-cert-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return setup_failed("mkdtemp");
	if (shell("openssl genrsa -out key.pem 2048 2>/dev/null && "
		  "openssl pkey -in key.pem -outform DER -out key.der && "
		  "openssl genrsa -out other.pem 2048 2>/dev/null && "
		  "openssl pkey -in other.pem -outform DER -out other.der") != 0)
		return setup_failed("openssl genrsa");
	if (shell("openssl req -x509 -new -key key.pem -utf8 -subj '%s' -days 15000 "
		  "-out oracle.pem && openssl x509 -in oracle.pem -outform DER -out oracle.der && "
		  "openssl x509 -in oracle.pem -pubkey -noout | "
		  "openssl pkey -pubin -outform DER -out spki.der", oracle_subject) != 0)
		return setup_failed("openssl req (oracle)");
	if (shell("openssl req -x509 -new -key key.pem -subj '/OU=Ops+OU=Eng/CN=multi' -days 1 "
		  "-out multi.pem && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 "
		  "-nodes -keyout ec.key -subj '/CN=ec' -days 1 -out ec.pem 2>/dev/null") != 0)
		return setup_failed("openssl req (multi, ec)");
	if (shell("openssl req -x509 -new -key key.pem -subj '/CN=san' -days 1 -addext "
		  "'subjectAltName=DNS:localhost,IP:127.0.0.1' -out san.pem") != 0)
		return setup_failed("openssl req (san)");
	if (load_key("key.der", &key) != 0 || load_key("other.der", &other_key) != 0)
		return setup_failed("br_skey_decoder");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char command[128];
	(void)snprintf(command, sizeof command, "rm -rf '%s'", dir);
	return system(command) == 0 ? 0 : -1;
}

/* Read a PEM file of dir, decode and parse it. */
static void load_cert(const char *name, unsigned char *der, size_t cap, size_t *der_len,
	jg_cert_info *info)
{
	static unsigned char file[JG_CERT_DER_MAX * 2];
	jg_error err;
	size_t len = read_file(name, file, sizeof file);
	assert_int_equal(jg_cert_from_bytes(file, len, der, cap, der_len, &err), JG_OK);
	if (jg_cert_parse(der, *der_len, info, &err) != JG_OK)
		fail_msg("%s: %s", name, err.message);
}

/* "YYYY-MM-DD HH:MM:SSZ" (openssl -dateopt iso_8601) to epoch seconds, by libc's timegm. */
static int64_t iso_to_epoch(const char *text)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	assert_int_equal(sscanf(text, "%d-%d-%d %d:%d:%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
				 &tm.tm_hour, &tm.tm_min, &tm.tm_sec), 6);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (int64_t)timegm(&tm);
}

static void assert_hex_equal(const unsigned char *bytes, size_t len, const char *hex)
{
	char text[2048];
	assert_true(2 * len < sizeof text);
	for (size_t i = 0; i < len; i++)
		(void)snprintf(text + 2 * i, 3, "%02X", bytes[i]);
	assert_string_equal(text, hex);
}

/* --- reading ----------------------------------------------------------------------------- */

static void from_bytes_reads_pem_and_der(void **state)
{
	(void)state;
	static unsigned char pem[JG_CERT_DER_MAX * 2], variant[JG_CERT_DER_MAX * 3];
	static unsigned char der[JG_CERT_DER_MAX], expected[JG_CERT_DER_MAX];
	size_t pem_len = read_file("oracle.pem", pem, sizeof pem);
	size_t expected_len = read_file("oracle.der", expected, sizeof expected);
	size_t len;
	jg_error err;

	/* DER as is. */
	assert_int_equal(jg_cert_from_bytes(expected, expected_len, der, sizeof der, &len, &err), JG_OK);
	assert_int_equal(len, expected_len);
	assert_memory_equal(der, expected, len);

	/* PEM, without its final newline, with text around it, with CRLF line ends. */
	assert_int_equal(jg_cert_from_bytes(pem, pem_len - 1, der, sizeof der, &len, &err), JG_OK);
	assert_int_equal(len, expected_len);
	assert_memory_equal(der, expected, len);
	size_t v = (size_t)sprintf((char *)variant, "Subject: something\r\n\r\n");
	for (size_t i = 0; i < pem_len; i++) {
		if (pem[i] == '\n')
			variant[v++] = '\r';
		variant[v++] = pem[i];
	}
	v += (size_t)sprintf((char *)variant + v, "trailing words\r\n");
	assert_int_equal(jg_cert_from_bytes(variant, v, der, sizeof der, &len, &err), JG_OK);
	assert_int_equal(len, expected_len);
	assert_memory_equal(der, expected, len);

	/* Text that starts with "0" (0x30, like DER) is still read as PEM. */
	v = (size_t)sprintf((char *)variant, "0 s:CN=peer\n");
	memcpy(variant + v, pem, pem_len);
	assert_int_equal(jg_cert_from_bytes(variant, v + pem_len, der, sizeof der, &len, &err), JG_OK);
	assert_int_equal(len, expected_len);
	assert_memory_equal(der, expected, len);

	/* A private key first, then the certificate: the certificate is found. */
	size_t key_len = read_file("key.pem", variant, sizeof variant);
	memcpy(variant + key_len, pem, pem_len);
	assert_int_equal(jg_cert_from_bytes(variant, key_len + pem_len, der, sizeof der, &len, &err),
		JG_OK);
	assert_memory_equal(der, expected, expected_len);

	/* A key alone, nothing at all, broken base64, too small a buffer. */
	assert_int_equal(jg_cert_from_bytes(variant, key_len, der, sizeof der, &len, &err),
		JG_ERR_INPUT);
	assert_non_null(strstr(err.message, "no certificate found"));
	assert_int_equal(jg_cert_from_bytes(variant, 0, der, sizeof der, &len, &err), JG_ERR_INPUT);
	memcpy(variant, pem, pem_len);
	variant[40] = '*';
	assert_int_equal(jg_cert_from_bytes(variant, pem_len, der, sizeof der, &len, &err),
		JG_ERR_INPUT);
	assert_non_null(strstr(err.message, "PEM is malformed"));
	assert_int_equal(jg_cert_from_bytes(pem, pem_len, der, expected_len - 1, &len, &err),
		JG_ERR_INPUT);
	assert_non_null(strstr(err.message, "larger than"));
	assert_int_equal(jg_cert_from_bytes(expected, expected_len, der, 10, &len, &err),
		JG_ERR_INPUT);
}

static void parse_matches_openssl(void **state)
{
	(void)state;
	static unsigned char der[JG_CERT_DER_MAX], spki[4096];
	static jg_cert_info info;
	char text[1024];
	size_t len;
	load_cert("oracle.pem", der, sizeof der, &len, &info);

	capture(text, sizeof text, "openssl x509 -in oracle.pem -noout -subject -nameopt "
				   "esc_2253,esc_ctrl,utf8,dump_nostr,dump_der,sep_comma_plus_space,dn_rev,sname");
	assert_string_equal(info.subject, text + strlen("subject="));
	assert_string_equal(info.subject, "emailAddress=t@example.com, CN=jwtgrant test Zo\xC3\xAB, "
					  "OU=Eng, O=Acme\\, Inc., L=San Francisco, ST=California, C=US");
	assert_string_equal(info.issuer, info.subject);

	capture(text, sizeof text, "openssl x509 -in oracle.pem -noout -startdate -dateopt iso_8601");
	assert_true(info.not_before == iso_to_epoch(text + strlen("notBefore=")));
	capture(text, sizeof text, "openssl x509 -in oracle.pem -noout -enddate -dateopt iso_8601");
	assert_true(info.not_after == iso_to_epoch(text + strlen("notAfter="))); /* after 2050 */

	capture(text, sizeof text, "openssl x509 -in oracle.pem -noout -serial");
	assert_hex_equal(info.serial.data, info.serial.len, text + strlen("serial="));

	size_t spki_len = read_file("spki.der", spki, sizeof spki);
	assert_int_equal(info.spki.len, spki_len);
	assert_memory_equal(info.spki.data, spki, spki_len);
	assert_int_equal(info.version, 3);
	assert_int_equal(info.key_algorithm, JG_KEY_RSA);
	assert_int_equal(info.key_bits, 2048);
	assert_int_equal(info.rsa_modulus.len, 256);
	assert_memory_equal(info.rsa_modulus.data, key.pk.n, 256);
	assert_hex_equal(info.rsa_exponent.data, info.rsa_exponent.len, "010001");
	assert_hex_equal(info.signature_algorithm.data, info.signature_algorithm.len,
		"2A864886F70D01010B");
	assert_int_equal(info.signature.len, 256);
	assert_ptr_equal(info.tbs.data, der + 4);
	assert_int_equal(info.tbs.len + 4 + 15 + 4 + 1 + 256, len);

	jg_error err;
	assert_int_equal(jg_cert_verify_self_signed(&info, &err), JG_OK);
}

static void spki_and_fingerprints_match_openssl(void **state)
{
	(void)state;
	static unsigned char der[JG_CERT_DER_MAX], spki[4096], ours[JG_DER_RSA_SPKI_MAX];
	static jg_cert_info info;
	char text[256], hex[65], colons[96];
	size_t len, ours_len;
	jg_error err;
	load_cert("oracle.pem", der, sizeof der, &len, &info);
	size_t spki_len = read_file("spki.der", spki, sizeof spki);

	/* From the private key, as `check` does. */
	assert_int_equal(jg_der_rsa_spki(&key.pk, ours, sizeof ours, &ours_len, &err), JG_OK);
	assert_int_equal(ours_len, spki_len);
	assert_memory_equal(ours, spki, spki_len);

	/* From the certificate's n and e. */
	br_rsa_public_key from_cert = {
		(unsigned char *)info.rsa_modulus.data, info.rsa_modulus.len,
		(unsigned char *)info.rsa_exponent.data, info.rsa_exponent.len
	};
	assert_int_equal(jg_der_rsa_spki(&from_cert, ours, sizeof ours, &ours_len, &err), JG_OK);
	assert_int_equal(ours_len, spki_len);
	assert_memory_equal(ours, spki, spki_len);

	jg_sha256_hex(ours, ours_len, hex);
	capture(text, sizeof text, "openssl pkey -in key.pem -pubout -outform DER | sha256sum");
	text[64] = '\0';
	assert_string_equal(hex, text);

	jg_sha256_colon_hex(der, len, colons);
	capture(text, sizeof text, "openssl x509 -in oracle.pem -noout -fingerprint -sha256");
	assert_string_equal(colons, strchr(text, '=') + 1);
	assert_int_equal(strlen(colons), 95);
}

static void parse_multivalued_rdn_and_ec_key(void **state)
{
	(void)state;
	static unsigned char der[JG_CERT_DER_MAX];
	static jg_cert_info info;
	size_t len;
	jg_error err;
	load_cert("multi.pem", der, sizeof der, &len, &info);
	/* RDNs last first; inside the multi-valued one, DER (sorted) order. */
	assert_string_equal(info.subject, "CN=multi, OU=Eng+OU=Ops");

	load_cert("ec.pem", der, sizeof der, &len, &info);
	assert_int_equal(info.key_algorithm, JG_KEY_EC);
	assert_int_equal(info.key_bits, 256);
	assert_string_equal(info.subject, "CN=ec");
	assert_int_equal(jg_cert_verify_self_signed(&info, &err), JG_ERR_INPUT);
}

static void parse_rejects_malformed(void **state)
{
	(void)state;
	static unsigned char good[JG_CERT_DER_MAX], bad[JG_CERT_DER_MAX + 1];
	static jg_cert_info info;
	jg_error err;
	size_t len = read_file("oracle.der", good, sizeof good);

	/* Every truncation. */
	for (size_t cut = 0; cut < len; cut++) {
		memcpy(bad, good, cut);
		assert_int_equal(jg_cert_parse(bad, cut, &info, &err), JG_ERR_INPUT);
		assert_non_null(strstr(err.message, "certificate is malformed: "));
	}
	/* A byte after the certificate. */
	memcpy(bad, good, len);
	bad[len] = 0;
	assert_int_equal(jg_cert_parse(bad, len + 1, &info, &err), JG_ERR_INPUT);
	/* The outer signature algorithm differs from the inner one (SHA-256 -> SHA-384). */
	memcpy(bad, good, len);
	size_t outer_oid = len - 256 - 5 - 15 + 4 + 8;
	assert_int_equal(bad[outer_oid], 0x0B);
	bad[outer_oid] = 0x0C;
	assert_int_equal(jg_cert_parse(bad, len, &info, &err), JG_ERR_INPUT);
	assert_non_null(strstr(err.message, "signature algorithms differ"));
	/* Indefinite length for the tbsCertificate. */
	memcpy(bad, good, len);
	bad[5] = 0x80;
	assert_int_equal(jg_cert_parse(bad, len, &info, &err), JG_ERR_INPUT);
	assert_non_null(strstr(err.message, "indefinite"));

	/* Each byte inverted in turn: a clean error or a parse, never a crash (see ASan run). */
	for (size_t i = 0; i < len; i++) {
		memcpy(bad, good, len);
		bad[i] ^= 0xFF;
		jg_status status = jg_cert_parse(bad, len, &info, &err);
		assert_true(status == JG_OK || status == JG_ERR_INPUT);
		if (status == JG_OK)
			assert_true(strlen(info.subject) < sizeof info.subject);
	}
}

static void names_are_escaped_and_bounded(void **state)
{
	(void)state;
	/* A name with a control character, a quote, a non-UTF-8 byte, a right-to-left override, a
	 * BMPString and an unknown attribute type, then a name too long for the text buffer. */
	static unsigned char cert[8192];
	static jg_cert_info info;
	static const unsigned char odd_oid[] = { 0x2B, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37 };
	static const unsigned char cn[] = { 0x55, 0x04, 0x03 }, ou[] = { 0x55, 0x04, 0x0B };
	static const unsigned char bmp[] = { 0x00, 'h', 0x00, 0xEB, 0x26, 0x03 };
	jg_error err;
	for (int round = 0; round < 2; round++) {
		jg_der_writer w;
		size_t len;
		jg_der_writer_init(&w, cert, sizeof cert);
		jg_der_begin(&w, JG_DER_SEQUENCE);
		jg_der_begin(&w, JG_DER_SEQUENCE);
		jg_der_write_small_integer(&w, 1);
		jg_der_begin(&w, JG_DER_SEQUENCE);
		jg_der_write_oid(&w, (const unsigned char *)"\x2A\x86\x48\x86\xF7\x0D\x01\x01\x0B", 9);
		jg_der_end(&w);
		jg_der_begin(&w, JG_DER_SEQUENCE); /* issuer */
		for (int i = 0; i < (round == 0 ? 1 : 30); i++) {
			jg_der_begin(&w, JG_DER_SET);
			jg_der_begin(&w, JG_DER_SEQUENCE);
			jg_der_write_oid(&w, cn, sizeof cn);
			jg_der_write_utf8_string(&w, "a\x01\"b\xFF,c<\xE2\x80\xAE", 11);
			jg_der_end(&w);
			jg_der_end(&w);
		}
		jg_der_begin(&w, JG_DER_SET);
		jg_der_begin(&w, JG_DER_SEQUENCE);
		jg_der_write_oid(&w, ou, sizeof ou);
		jg_der_write_header(&w, JG_DER_BMP_STRING, sizeof bmp);
		jg_der_write_bytes(&w, bmp, sizeof bmp);
		jg_der_end(&w);
		jg_der_begin(&w, JG_DER_SEQUENCE);
		jg_der_write_oid(&w, odd_oid, sizeof odd_oid);
		jg_der_write_octet_string(&w, (const unsigned char *)"\x01\x02", 2);
		jg_der_end(&w);
		jg_der_end(&w);
		jg_der_end(&w);
		jg_der_begin(&w, JG_DER_SEQUENCE);
		jg_der_write_time(&w, 0);
		jg_der_write_time(&w, 1);
		jg_der_end(&w);
		jg_der_begin(&w, JG_DER_SEQUENCE); /* empty subject */
		jg_der_end(&w);
		jg_der_write_rsa_spki(&w, &key.pk);
		jg_der_end(&w);
		jg_der_begin(&w, JG_DER_SEQUENCE);
		jg_der_write_oid(&w, (const unsigned char *)"\x2A\x86\x48\x86\xF7\x0D\x01\x01\x0B", 9);
		jg_der_end(&w);
		jg_der_write_bit_string(&w, 0, (const unsigned char *)"\x01", 1);
		jg_der_end(&w);
		assert_int_equal(jg_der_writer_finish(&w, "test", &len, &err), JG_OK);
		if (jg_cert_parse(cert, len, &info, &err) != JG_OK)
			fail_msg("%s", err.message);
		assert_int_equal(info.version, 1);
		assert_string_equal(info.subject, "");
		if (round == 0) {
			assert_string_equal(info.issuer, "OU=h\xC3\xAB\xE2\x98\x83+1.3.6.1.4.1.311=#04020102, "
							 "CN=a\\01\\\"b\\FF\\,c\\<\\E2\\80\\AE");
		} else {
			size_t n = strlen(info.issuer);
			assert_true(n < JG_CERT_NAME_MAX);
			assert_string_equal(info.issuer + n - 3, "...");
		}
	}
}

/* --- writing ----------------------------------------------------------------------------- */

static const jg_cert_request base_request = {
	.common_name = "jwtgrant-ci",
	.organization = "Acme Corp",
	.serial = { 0xF1, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
		    0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x10 },
	.not_before = 1700000000, /* 2023-11-14 22:13:20Z, a UTCTime */
	.not_after = 2524608000,  /* 2050-01-01 00:00:00Z, a GeneralizedTime */
};

static jg_cert_request request(void)
{
	jg_cert_request req = base_request;
	req.sk = key.sk;
	req.pk = &key.pk;
	return req;
}

static void written_cert_is_accepted_by_openssl(void **state)
{
	(void)state;
	static unsigned char der[8192], again[8192];
	static char pem[12000], text[16384];
	jg_cert_request req = request();
	size_t len, pem_len;
	jg_error err;
	if (jg_cert_write_self_signed(&req, der, sizeof der, &len, &err) != JG_OK)
		fail_msg("%s", err.message);
	assert_int_equal(jg_pem_write("CERTIFICATE", der, len, pem, sizeof pem, &pem_len, &err), JG_OK);
	write_file("c.pem", pem, pem_len);

	capture(text, sizeof text, "openssl x509 -in c.pem -noout -text");
	static const char *const expected[] = {
		"Version: 3 (0x2)",
		"Serial Number:\n            71:02:03:04:05:06:07:08:09:0a:0b:0c:0d:0e:0f:10",
		"Signature Algorithm: sha256WithRSAEncryption",
		"Issuer: O = Acme Corp, CN = jwtgrant-ci",
		"Not Before: Nov 14 22:13:20 2023 GMT",
		"Not After : Jan  1 00:00:00 2050 GMT",
		"Subject: O = Acme Corp, CN = jwtgrant-ci",
		"Public-Key: (2048 bit)",
		"X509v3 Basic Constraints: critical\n                CA:FALSE",
		"X509v3 Key Usage: critical\n                Digital Signature\n",
		"X509v3 Subject Key Identifier",
	};
	for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
		if (strstr(text, expected[i]) == NULL)
			fail_msg("openssl -text lacks \"%s\":\n%s", expected[i], text);
	}
	assert_null(strstr(text, "unable"));
	assert_null(strstr(text, "Authority Key Identifier"));

	/* -check_ss_sig: without it openssl trusts a self-signed anchor without checking it. */
	capture(text, sizeof text, "openssl verify -check_ss_sig -CAfile c.pem c.pem 2>&1");
	assert_string_equal(text, "c.pem: OK");

	/* openssl's re-encoding is byte for byte ours: our DER is canonical. */
	assert_int_equal(shell("openssl x509 -in c.pem -outform DER -out again.der"), 0);
	assert_int_equal(read_file("again.der", again, sizeof again), len);
	assert_memory_equal(again, der, len);

	/* The subjectKeyIdentifier is RFC 7093's method 1: the first 20 bytes of the SHA-256 of
	 * the RSAPublicKey DER, computed here by the openssl CLI from the certificate. */
	char ours[256], theirs[256];
	capture(ours, sizeof ours, "openssl x509 -in c.pem -noout -ext subjectKeyIdentifier | "
		"sed -n 2p | tr -d ' :' | tr A-F a-f");
	capture(theirs, sizeof theirs, "openssl x509 -in c.pem -noout -pubkey | "
		"openssl rsa -pubin -RSAPublicKey_out -outform DER 2>/dev/null | "
		"openssl dgst -sha256 -r | cut -c1-40");
	assert_int_equal(strlen(ours), 40);
	assert_string_equal(ours, theirs);

	/* A flipped signature bit: openssl refuses it, which shows it checked the signature. */
	der[len - 1] ^= 0x01;
	assert_int_equal(jg_pem_write("CERTIFICATE", der, len, pem, sizeof pem, &pem_len, &err), JG_OK);
	write_file("bad.pem", pem, pem_len);
	assert_int_not_equal(
		shell("openssl verify -check_ss_sig -CAfile bad.pem bad.pem >/dev/null 2>&1"), 0);
}

/* A certificate holds the key whose modulus and exponent it carries, leading zeros aside. */
static void holds_rsa_key_compares_modulus_and_exponent(void **state)
{
	(void)state;
	static unsigned char der[JG_CERT_DER_MAX], ec_der[JG_CERT_DER_MAX];
	static unsigned char padded_n[513], padded_e[5];
	jg_cert_info info, ec;
	size_t len, ec_len;
	load_cert("oracle.pem", der, sizeof der, &len, &info);
	load_cert("ec.pem", ec_der, sizeof ec_der, &ec_len, &ec);
	assert_true(jg_cert_holds_rsa_key(&info, &key.pk));
	assert_false(jg_cert_holds_rsa_key(&info, &other_key.pk));
	assert_false(jg_cert_holds_rsa_key(&ec, &key.pk));
	memcpy(padded_n + 1, key.pk.n, key.pk.nlen);
	memcpy(padded_e + 1, key.pk.e, key.pk.elen);
	br_rsa_public_key padded = { padded_n, key.pk.nlen + 1, padded_e, key.pk.elen + 1 };
	assert_true(jg_cert_holds_rsa_key(&info, &padded));
	padded_e[key.pk.elen] ^= 0x02; /* 65537 becomes 65539: another key */
	assert_false(jg_cert_holds_rsa_key(&info, &padded));
}

static void written_cert_is_deterministic_and_verifies(void **state)
{
	(void)state;
	static unsigned char der[8192], again[8192];
	static jg_cert_info info;
	jg_cert_request req = request();
	size_t len, again_len;
	jg_error err;
	assert_int_equal(jg_cert_write_self_signed(&req, der, sizeof der, &len, &err), JG_OK);
	assert_int_equal(jg_cert_write_self_signed(&req, again, sizeof again, &again_len, &err), JG_OK);
	assert_int_equal(again_len, len);
	assert_memory_equal(again, der, len);

	assert_int_equal(jg_cert_parse(der, len, &info, &err), JG_OK);
	assert_int_equal(info.version, 3);
	assert_string_equal(info.subject, "CN=jwtgrant-ci, O=Acme Corp");
	assert_string_equal(info.issuer, info.subject);
	assert_true(info.not_before == 1700000000);
	assert_true(info.not_after == 2524608000);
	assert_hex_equal(info.serial.data, info.serial.len, "7102030405060708090A0B0C0D0E0F10");
	assert_int_equal(info.key_bits, 2048);
	assert_int_equal(jg_cert_verify_self_signed(&info, &err), JG_OK);

	unsigned char spki[JG_DER_RSA_SPKI_MAX];
	size_t spki_len;
	assert_int_equal(jg_der_rsa_spki(&key.pk, spki, sizeof spki, &spki_len, &err), JG_OK);
	assert_int_equal(info.spki.len, spki_len);
	assert_memory_equal(info.spki.data, spki, spki_len);

	/* A serial with leading zero bytes is written in its shortest form; without O, CN alone. */
	memset(req.serial, 0, sizeof req.serial);
	req.serial[15] = 0x80;
	req.organization = NULL;
	assert_int_equal(jg_cert_write_self_signed(&req, again, sizeof again, &again_len, &err), JG_OK);
	assert_int_equal(jg_cert_parse(again, again_len, &info, &err), JG_OK);
	assert_hex_equal(info.serial.data, info.serial.len, "0080");
	assert_string_equal(info.subject, "CN=jwtgrant-ci");

	/* A flipped bit in the signature, then in the subject: the signature no longer verifies. */
	der[len - 1] ^= 0x01;
	assert_int_equal(jg_cert_parse(der, len, &info, &err), JG_OK);
	assert_int_equal(jg_cert_verify_self_signed(&info, &err), JG_ERR_CHECK);
	der[len - 1] ^= 0x01;
	unsigned char *cn = memmem(der, len, "jwtgrant-ci", 11);
	assert_non_null(cn);
	cn[0] ^= 0x20;
	assert_int_equal(jg_cert_parse(der, len, &info, &err), JG_OK);
	assert_int_equal(jg_cert_verify_self_signed(&info, &err), JG_ERR_CHECK);
	assert_non_null(strstr(err.message, "does not verify"));
}

static void write_rejects_bad_requests(void **state)
{
	(void)state;
	static unsigned char der[8192];
	static const char long_name[] = "0123456789012345678901234567890123456789012345678901234567890123X";
	/* 64 two-byte characters: 128 bytes but 64 characters, allowed. */
	static char wide_name[129];
	for (size_t i = 0; i < 128; i += 2) {
		wide_name[i] = '\xC3';
		wide_name[i + 1] = '\xAB';
	}
	size_t len;
	jg_error err;
	jg_cert_request req = request();
	req.common_name = wide_name;
	assert_int_equal(jg_cert_write_self_signed(&req, der, sizeof der, &len, &err), JG_OK);

	static const struct {
		const char *cn, *o;
		int zero_serial;
		int64_t not_before, not_after;
		jg_status status;
	} cases[] = {
		{ "", NULL, 0, 0, 1, JG_ERR_USAGE },
		{ long_name, NULL, 0, 0, 1, JG_ERR_USAGE },
		{ "ok", "", 0, 0, 1, JG_ERR_USAGE },
		{ "bad\xC3", NULL, 0, 0, 1, JG_ERR_USAGE },        /* cut UTF-8 */
		{ "bad\xC0\xAF", NULL, 0, 0, 1, JG_ERR_USAGE },    /* overlong UTF-8 */
		{ "bad\nline", NULL, 0, 0, 1, JG_ERR_USAGE },
		{ "bad\xC2\x9B", NULL, 0, 0, 1, JG_ERR_USAGE },    /* C1 control (CSI) */
		{ "ok", NULL, 1, 0, 1, JG_ERR_USAGE },
		{ "ok", NULL, 0, 5, 5, JG_ERR_USAGE },
		{ "ok", NULL, 0, 6, 5, JG_ERR_USAGE },
		{ "ok", NULL, 0, 0, 253402300800, JG_ERR_USAGE },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		req = request();
		req.common_name = cases[i].cn;
		req.organization = cases[i].o;
		req.not_before = cases[i].not_before;
		req.not_after = cases[i].not_after;
		if (cases[i].zero_serial) {
			memset(req.serial, 0, sizeof req.serial);
			req.serial[0] = 0x80; /* zero once the top bit is cleared */
		}
		assert_int_equal(jg_cert_write_self_signed(&req, der, sizeof der, &len, &err),
			cases[i].status);
		assert_int_equal(len, 0);
	}

	/* The public key of another private key. */
	req = request();
	req.pk = &other_key.pk;
	assert_int_equal(jg_cert_write_self_signed(&req, der, sizeof der, &len, &err), JG_ERR_INPUT);
	assert_non_null(strstr(err.message, "does not match"));
}

static void write_respects_the_buffer(void **state)
{
	(void)state;
	static unsigned char der[8192];
	jg_cert_request req = request();
	size_t len, full;
	jg_error err;
	assert_int_equal(jg_cert_write_self_signed(&req, der, sizeof der, &full, &err), JG_OK);
	static const size_t caps[] = { 0, 1, 100, 300, 600 };
	for (size_t i = 0; i < sizeof caps / sizeof caps[0] + 2; i++) {
		size_t cap = i < sizeof caps / sizeof caps[0] ? caps[i] : full - (i - 4);
		memset(der, 0xEE, sizeof der);
		assert_int_equal(jg_cert_write_self_signed(&req, der, cap, &len, &err), JG_ERR_INPUT);
		assert_non_null(strstr(err.message, "does not fit"));
		for (size_t j = cap; j < sizeof der; j++)
			assert_int_equal(der[j], 0xEE);
	}
	assert_int_equal(jg_cert_write_self_signed(&req, der, full, &len, &err), JG_OK);
	assert_int_equal(len, full);
}

/* The walker finds every field by its tag; its partial form agrees with it on every start. */
static void walk_finds_fields_and_partial_starts_agree(void **state)
{
	(void)state;
	static unsigned char der[JG_CERT_DER_MAX];
	static jg_cert_info info;
	size_t len;
	load_cert("san.pem", der, sizeof der, &len, &info);
	jg_cert_fields f, part;
	assert_int_equal(jg_cert_walk(der, len, &f), JG_DER_OK);
	assert_int_equal(f.field[JG_CERT_VERSION].tag, JG_DER_CONTEXT(0));
	assert_int_equal(f.field[JG_CERT_SERIAL].tag, JG_DER_INTEGER);
	assert_null(f.field[JG_CERT_ISSUER_UID].whole.data);
	assert_null(f.field[JG_CERT_SUBJECT_UID].whole.data);
	assert_int_equal(f.field[JG_CERT_EXTENSIONS].tag, JG_DER_CONTEXT(3));
	assert_int_equal(f.signature_value.tag, JG_DER_BIT_STRING);
	/* Self-signed: issuer and subject are the same bytes; the SPKI is the one parsed. */
	assert_int_equal(f.field[JG_CERT_ISSUER].whole.len, f.field[JG_CERT_SUBJECT].whole.len);
	assert_memory_equal(f.field[JG_CERT_ISSUER].whole.data, f.field[JG_CERT_SUBJECT].whole.data,
		f.field[JG_CERT_ISSUER].whole.len);
	assert_ptr_equal(f.field[JG_CERT_SPKI].whole.data, info.spki.data);

	const jg_der_span *spki = &f.field[JG_CERT_SPKI].whole;
	size_t spki_end = (size_t)(spki->data - der) + spki->len;
	for (size_t k = 0; k <= len; k++) {
		int result = jg_cert_walk_start(der, k, JG_CERT_SPKI, &part);
		if (k < spki_end) {
			if (result != -2)
				fail_msg("first %zu bytes: got %d, want -2", k, result);
			continue;
		}
		assert_int_equal(result, 0);
		for (int i = 0; i <= JG_CERT_SPKI; i++) {
			assert_ptr_equal(part.field[i].whole.data, f.field[i].whole.data);
			assert_int_equal(part.field[i].whole.len, f.field[i].whole.len);
		}
	}
	/* Must fail: a byte after the certificate, a TBS that is not a SEQUENCE. */
	der[len] = 0;
	assert_int_equal(jg_cert_walk(der, len + 1, &f), JG_DER_TRAILING);
	assert_int_equal(f.stop, JG_CERT_AT_ENVELOPE);
	unsigned char tag = der[4];
	der[4] = JG_DER_SET;
	assert_int_equal(jg_cert_walk_start(der, len, JG_CERT_ISSUER, &part), -1);
	der[4] = tag;
}

/* The extension finder: by OID, with the critical flag; absent is JG_DER_END. */
static void find_extension_by_oid(void **state)
{
	(void)state;
	static const unsigned char san_oid[] = { 0x55, 0x1D, 0x11 }, key_usage_oid[] = { 0x55,
		0x1D, 0x0F }, policies_oid[] = { 0x55, 0x1D, 0x20 };
	static const unsigned char ip[] = { 0x87, 0x04, 127, 0, 0, 1 };
	static unsigned char der[JG_CERT_DER_MAX];
	static jg_cert_info info;
	size_t len;
	load_cert("san.pem", der, sizeof der, &len, &info);
	jg_cert_fields f;
	jg_cert_extension ext;
	assert_int_equal(jg_cert_walk(der, len, &f), JG_DER_OK);
	assert_int_equal(jg_cert_find_extension(&f, san_oid, sizeof san_oid, &ext), JG_DER_OK);
	assert_int_equal(ext.critical, 0);
	assert_true(ext.value.len > sizeof ip);
	assert_memory_equal(ext.value.data + ext.value.len - sizeof ip, ip, sizeof ip);
	assert_int_equal(jg_cert_find_extension(&f, policies_oid, sizeof policies_oid, &ext),
		JG_DER_END);

	/* keygen's certificate: keyUsage is critical, and there is no subjectAltName. */
	jg_cert_request req = request();
	assert_int_equal(jg_cert_write_self_signed(&req, der, sizeof der, &len, NULL), JG_OK);
	assert_int_equal(jg_cert_walk(der, len, &f), JG_DER_OK);
	assert_int_equal(jg_cert_find_extension(&f, key_usage_oid, sizeof key_usage_oid, &ext),
		JG_DER_OK);
	assert_int_equal(ext.critical, 1);
	assert_int_equal(jg_cert_find_extension(&f, san_oid, sizeof san_oid, &ext), JG_DER_END);
	/* A malformed extension before the one sought: its critical BOOLEAN made two bytes long. */
	unsigned char *boolean = memchr(f.field[JG_CERT_EXTENSIONS].value.data, JG_DER_BOOLEAN,
		f.field[JG_CERT_EXTENSIONS].value.len);
	assert_non_null(boolean);
	boolean[1] = 2;
	assert_int_not_equal(jg_cert_find_extension(&f, san_oid, sizeof san_oid, &ext), JG_DER_END);
}

static void pem_has_64_column_lines(void **state)
{
	(void)state;
	static unsigned char der[8192], back[8192];
	static char pem[12000];
	jg_cert_request req = request();
	size_t len, pem_len, back_len;
	jg_error err;
	assert_int_equal(jg_cert_write_self_signed(&req, der, sizeof der, &len, &err), JG_OK);
	assert_int_equal(jg_pem_write("CERTIFICATE", der, len, pem, sizeof pem, &pem_len, &err), JG_OK);
	assert_int_equal(strlen(pem), pem_len);
	assert_int_equal(strncmp(pem, "-----BEGIN CERTIFICATE-----\n", 28), 0);
	assert_string_equal(pem + pem_len - 26, "-----END CERTIFICATE-----\n");
	for (const char *line = pem; *line != '\0';) {
		const char *end = strchr(line, '\n');
		assert_non_null(end);
		assert_true(end - line <= 64);
		line = end + 1;
	}
	assert_int_equal(jg_cert_from_bytes((unsigned char *)pem, pem_len, back, sizeof back,
				 &back_len, &err), JG_OK);
	assert_int_equal(back_len, len);
	assert_memory_equal(back, der, len);
	assert_int_equal(jg_pem_write("CERTIFICATE", der, len, pem, pem_len, &back_len, &err),
		JG_ERR_INPUT);
	assert_int_equal(jg_pem_write("CERTIFICATE", der, len, pem, pem_len + 1, &back_len, &err),
		JG_OK);
}

static void fingerprint_formats(void **state)
{
	(void)state;
	char hex[65], colons[96];
	jg_sha256_hex((const unsigned char *)"abc", 3, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	jg_sha256_colon_hex((const unsigned char *)"abc", 3, colons);
	assert_string_equal(colons, "BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:"
				    "B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:15:AD");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(from_bytes_reads_pem_and_der),
		cmocka_unit_test(parse_matches_openssl),
		cmocka_unit_test(spki_and_fingerprints_match_openssl),
		cmocka_unit_test(holds_rsa_key_compares_modulus_and_exponent),
		cmocka_unit_test(parse_multivalued_rdn_and_ec_key),
		cmocka_unit_test(parse_rejects_malformed),
		cmocka_unit_test(names_are_escaped_and_bounded),
		cmocka_unit_test(written_cert_is_accepted_by_openssl),
		cmocka_unit_test(written_cert_is_deterministic_and_verifies),
		cmocka_unit_test(write_rejects_bad_requests),
		cmocka_unit_test(write_respects_the_buffer),
		cmocka_unit_test(walk_finds_fields_and_partial_starts_agree),
		cmocka_unit_test(find_extension_by_oid),
		cmocka_unit_test(pem_has_64_column_lines),
		cmocka_unit_test(fingerprint_formats),
	};
	return cmocka_run_group_tests_name("cert", tests, setup, teardown);
}
