/*
 * The BearSSL error table (src/tls/tls_error.c): every BR_ERR_* code that BearSSL's own headers
 * define — read from bearssl_ssl.h and bearssl_x509.h when the test runs, so a code missing
 * from the table fails here — has an entry under its own name; alerts by name; and the
 * extendedKeyUsage rule of the capturing X.509 engine (src/tls/x509_capture.c) on certificates
 * made here with the DER writer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tls/tls_error.h"
#include "tls/x509_capture.h"
#include "x509/der.h"

#ifndef JG_BEARSSL_INC
#error "JG_BEARSSL_INC (BearSSL's inc/ directory) is set by the Makefile"
#endif

/* Not errors: success, and the bases of the alert ranges (code - base is the alert). */
static int is_not_an_error(const char *name)
{
	return strcmp(name, "BR_ERR_OK") == 0 || strcmp(name, "BR_ERR_X509_OK") == 0 ||
		strcmp(name, "BR_ERR_RECV_FATAL_ALERT") == 0 ||
		strcmp(name, "BR_ERR_SEND_FATAL_ALERT") == 0;
}

/* Check every "#define BR_ERR_NAME NUMBER" of one header; returns how many there were. */
static int check_header(const char *file)
{
	char path[512], line[512], name[128];
	int code, count = 0;
	(void)snprintf(path, sizeof path, "%s/%s", JG_BEARSSL_INC, file);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "#define %127s %d", name, &code) != 2 ||
			strncmp(name, "BR_ERR_", 7) != 0 || is_not_an_error(name))
			continue;
		const jg_tls_error_entry *e = jg_tls_error_find(code);
		if (e == NULL)
			fail_msg("%s (%d) of %s has no entry in the table", name, code, file);
		assert_string_equal(e->name, name);
		assert_true(strlen(e->meaning) > 10);
		assert_true(e->fix == NULL || strlen(e->fix) > 5);
		count++;
	}
	(void)fclose(f);
	return count;
}

static void every_bearssl_code_has_an_entry(void **state)
{
	(void)state;
	/* BearSSL 0.6: 29 engine codes, 29 X.509 ones; fewer means the headers were not read. */
	assert_true(check_header("bearssl_ssl.h") >= 29);
	assert_true(check_header("bearssl_x509.h") >= 29);
}

static void codes_bearssl_lacks_have_none(void **state)
{
	(void)state;
	assert_null(jg_tls_error_find(0));  /* BR_ERR_OK */
	assert_null(jg_tls_error_find(11)); /* gaps in BearSSL's numbering */
	assert_null(jg_tls_error_find(30));
	assert_null(jg_tls_error_find(32)); /* BR_ERR_X509_OK */
	assert_null(jg_tls_error_find(61));
	assert_null(jg_tls_error_find(256 + 40));
}

static void the_issue_s_codes_say_what_to_do(void **state)
{
	(void)state;
	const jg_tls_error_entry *e = jg_tls_error_find(49);
	assert_non_null(e);
	assert_non_null(strstr(e->meaning, "RSA-PSS"));
	assert_non_null(strstr(e->meaning, "SHA-1"));
	assert_non_null(e->fix);
	e = jg_tls_error_find(57);
	assert_non_null(e);
	assert_non_null(strstr(e->meaning, "nameConstraints"));
	e = jg_tls_error_find(55);
	assert_non_null(e);
	assert_string_equal(e->name, "BR_ERR_X509_DN_MISMATCH");
}

static void alerts_by_name(void **state)
{
	(void)state;
	assert_string_equal(jg_tls_error_alert_name(40), "handshake_failure");
	assert_string_equal(jg_tls_error_alert_name(48), "unknown_ca");
	assert_string_equal(jg_tls_error_alert_name(70), "protocol_version");
	assert_string_equal(jg_tls_error_alert_name(116), "certificate_required");
	assert_null(jg_tls_error_alert_name(1));
	assert_null(jg_tls_error_alert_name(255));
}

/* --- extendedKeyUsage ------------------------------------------------------------------------- */

static const unsigned char server_auth[] = { 0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01 };
static const unsigned char client_auth[] = { 0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02 };
static const unsigned char any_purpose[] = { 0x55, 0x1D, 0x25, 0x00 };

static void write_name(jg_der_writer *w, const char *cn)
{
	static const unsigned char cn_oid[] = { 0x55, 0x04, 0x03 };
	jg_der_begin(w, JG_DER_SEQUENCE);
	jg_der_begin(w, JG_DER_SET);
	jg_der_begin(w, JG_DER_SEQUENCE);
	jg_der_write_oid(w, cn_oid, sizeof cn_oid);
	jg_der_write_utf8_string(w, cn, strlen(cn));
	jg_der_end(w);
	jg_der_end(w);
	jg_der_end(w);
}

/*
 * A certificate with the structure jg_cert_walk reads (the key and signature are filler) and,
 * when n_purposes >= 0, an extendedKeyUsage of purposes[0..n_purposes) (raw: the extension's
 * value as is, when not NULL).
 */
static size_t make_cert(unsigned char *out, size_t cap, const unsigned char *const *purposes,
	const size_t *lens, int n_purposes, const unsigned char *raw, size_t raw_len)
{
	static const unsigned char sha256_rsa[] = { 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B };
	static const unsigned char eku_oid[] = { 0x55, 0x1D, 0x25 };
	static const unsigned char filler[] = { 1, 2, 3, 4 };
	unsigned char ext[256];
	jg_der_writer w;
	size_t ext_len = raw_len, len = 0;
	jg_error err;
	int with_eku = raw != NULL || n_purposes >= 0;
	if (raw == NULL && with_eku) {
		jg_der_writer_init(&w, ext, sizeof ext);
		jg_der_begin(&w, JG_DER_SEQUENCE);
		for (int i = 0; i < n_purposes; i++)
			jg_der_write_oid(&w, purposes[i], lens[i]);
		jg_der_end(&w);
		assert_int_equal(jg_der_writer_finish(&w, "eku", &ext_len, &err), JG_OK);
		raw = ext;
	}
	jg_der_writer_init(&w, out, cap);
	jg_der_begin(&w, JG_DER_SEQUENCE);
	jg_der_begin(&w, JG_DER_SEQUENCE);
	jg_der_begin(&w, JG_DER_CONTEXT(0));
	jg_der_write_small_integer(&w, 2);
	jg_der_end(&w);
	jg_der_write_small_integer(&w, 7);
	jg_der_begin(&w, JG_DER_SEQUENCE);
	jg_der_write_oid(&w, sha256_rsa, sizeof sha256_rsa);
	jg_der_end(&w);
	write_name(&w, "issuer");
	jg_der_begin(&w, JG_DER_SEQUENCE);
	jg_der_write_time(&w, 1577836800);
	jg_der_write_time(&w, 2524607999);
	jg_der_end(&w);
	write_name(&w, "localhost");
	jg_der_begin(&w, JG_DER_SEQUENCE);
	jg_der_begin(&w, JG_DER_SEQUENCE);
	jg_der_write_oid(&w, sha256_rsa, sizeof sha256_rsa);
	jg_der_end(&w);
	jg_der_write_bit_string(&w, 0, filler, sizeof filler);
	jg_der_end(&w);
	if (with_eku) {
		jg_der_begin(&w, JG_DER_CONTEXT(3));
		jg_der_begin(&w, JG_DER_SEQUENCE);
		jg_der_begin(&w, JG_DER_SEQUENCE);
		jg_der_write_oid(&w, eku_oid, sizeof eku_oid);
		jg_der_write_octet_string(&w, raw, ext_len);
		jg_der_end(&w);
		jg_der_end(&w);
		jg_der_end(&w);
	}
	jg_der_end(&w);
	jg_der_begin(&w, JG_DER_SEQUENCE);
	jg_der_write_oid(&w, sha256_rsa, sizeof sha256_rsa);
	jg_der_end(&w);
	jg_der_write_bit_string(&w, 0, filler, sizeof filler);
	jg_der_end(&w);
	assert_int_equal(jg_der_writer_finish(&w, "certificate", &len, &err), JG_OK);
	return len;
}

static int allows(const unsigned char *const *purposes, const size_t *lens, int n)
{
	unsigned char der[1024];
	size_t len = make_cert(der, sizeof der, purposes, lens, n, NULL, 0);
	return jg_x509_capture_allows_server(der, len);
}

static void extended_key_usage_decides_server_use(void **state)
{
	(void)state;
	const unsigned char *const both[] = { client_auth, server_auth };
	const size_t both_lens[] = { sizeof client_auth, sizeof server_auth };
	const unsigned char *const any[] = { any_purpose };
	const size_t any_lens[] = { sizeof any_purpose };
	assert_int_equal(allows(NULL, NULL, -1), 1);          /* no extendedKeyUsage */
	assert_int_equal(allows(both + 1, both_lens + 1, 1), 1); /* serverAuth */
	assert_int_equal(allows(both, both_lens, 2), 1);      /* clientAuth, serverAuth */
	assert_int_equal(allows(any, any_lens, 1), 1);        /* anyExtendedKeyUsage */
	assert_int_equal(allows(both, both_lens, 1), 0);      /* clientAuth only */
	assert_int_equal(allows(both, both_lens, 0), 0);      /* an empty list is no purpose */
}

static void a_malformed_extended_key_usage_is_refused(void **state)
{
	(void)state;
	static const unsigned char not_a_sequence[] = { 0x06, 0x08, 0x2B, 0x06, 0x01, 0x05, 0x05,
		0x07, 0x03, 0x01 };
	static const unsigned char not_oids[] = { 0x30, 0x03, 0x02, 0x01, 0x01 };
	unsigned char der[1024];
	size_t len = make_cert(der, sizeof der, NULL, NULL, -1, not_a_sequence, sizeof not_a_sequence);
	assert_int_equal(jg_x509_capture_allows_server(der, len), 0);
	len = make_cert(der, sizeof der, NULL, NULL, -1, not_oids, sizeof not_oids);
	assert_int_equal(jg_x509_capture_allows_server(der, len), 0);
	assert_int_equal(jg_x509_capture_allows_server(der, len - 1), 0); /* cut short */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_bearssl_code_has_an_entry),
		cmocka_unit_test(codes_bearssl_lacks_have_none),
		cmocka_unit_test(the_issue_s_codes_say_what_to_do),
		cmocka_unit_test(alerts_by_name),
		cmocka_unit_test(extended_key_usage_decides_server_use),
		cmocka_unit_test(a_malformed_extended_key_usage_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
