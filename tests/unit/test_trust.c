/*
 * Trust anchors: PEM bundles and directories into br_x509_trust_anchor sets, the precedence
 * of --cacert/--capath, SSL_CERT_FILE/SSL_CERT_DIR and the embedded set (its index is tested in
 * test_anchors.c).
 * Certificates come from the openssl CLI (an independent oracle), made once in a temporary
 * directory that is removed at exit.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bearssl.h>

#include "tls/trust.h"

#define SYSTEM_BUNDLE "/etc/ssl/certs/ca-certificates.crt"

/* The certificates every test may use, made on first use. */
typedef struct fixture {
	char dir[32];
	char ec_ca[64];  /* P-256 key, CA:TRUE, subject CN=jg-test-a */
	char rsa_ca[64]; /* RSA-2048 key, CA:TRUE, subject CN=jg-test-b */
	char leaf[64];   /* P-256 key, CA:FALSE */
} fixture;

static fixture the_fixture;
static int fixture_state; /* 0 not tried, 1 ready, -1 openssl missing */

static void remove_fixture(void)
{
	char command[256];
	snprintf(command, sizeof command, "rm -rf '%s'", the_fixture.dir);
	if (system(command) != 0)
		fprintf(stderr, "# could not remove %s\n", the_fixture.dir);
}

static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int run(const char *fmt, ...)
{
	char command[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(command, sizeof command, fmt, ap);
	va_end(ap);
	return system(command);
}

static int make_certificate(const char *path, const char *key_spec, const char *subject,
	const char *constraints)
{
	return run("openssl req -x509 -newkey %s -nodes -keyout '%s.key' -out '%s' -subj '%s' "
		   "-days 30 -addext 'basicConstraints=critical,%s' >/dev/null 2>&1",
		key_spec, path, path, subject, constraints);
}

static const fixture *get_fixture(void)
{
	if (fixture_state != 0)
		return fixture_state > 0 ? &the_fixture : NULL;
	fixture_state = -1;
	if (run("openssl version >/dev/null 2>&1") != 0)
		return NULL;
	fixture *f = &the_fixture;
	snprintf(f->dir, sizeof f->dir, "%s", "/tmp/jg-trust.XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return NULL;
	atexit(remove_fixture);
	snprintf(f->ec_ca, sizeof f->ec_ca, "%.*s/a.pem", (int)sizeof f->dir, f->dir);
	snprintf(f->rsa_ca, sizeof f->rsa_ca, "%.*s/b.pem", (int)sizeof f->dir, f->dir);
	snprintf(f->leaf, sizeof f->leaf, "%.*s/leaf.pem", (int)sizeof f->dir, f->dir);
	if (make_certificate(f->ec_ca, "ec -pkeyopt ec_paramgen_curve:P-256", "/CN=jg-test-a",
		    "CA:TRUE") != 0 ||
	    make_certificate(f->rsa_ca, "rsa:2048", "/CN=jg-test-b", "CA:TRUE") != 0 ||
	    make_certificate(f->leaf, "ec -pkeyopt ec_paramgen_curve:P-256", "/CN=leaf",
		    "CA:FALSE") != 0)
		return NULL;
	fixture_state = 1;
	return f;
}

#define NEED_FIXTURE(f)                                                                     \
	const fixture *f = get_fixture();                                                   \
	if (f == NULL) {                                                                    \
		print_message("# openssl CLI unavailable: skipped\n");                      \
		skip();                                                                     \
	}

/* The whole of a (small) file, NUL-terminated; the caller frees it. */
static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	char *buf = malloc(1 << 20);
	assert_non_null(buf);
	size_t n = fread(buf, 1, (1 << 20) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	if (len != NULL)
		*len = n;
	return buf;
}

static void write_text(const char *path, const char *text, size_t len)
{
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

/* What `grep -c '^-----BEGIN CERTIFICATE-----'` says. */
static size_t count_begin_lines(const char *text)
{
	static const char banner[] = "-----BEGIN CERTIFICATE-----";
	size_t n = 0;
	for (const char *p = text; p != NULL && *p != '\0'; p = strchr(p, '\n'), p = p ? p + 1 : p)
		if (strncmp(p, banner, sizeof banner - 1) == 0)
			n++;
	return n;
}

/* One line of output of a shell command, trailing newline removed. */
static void capture(char *out, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void capture(char *out, size_t cap, const char *fmt, ...)
{
	char command[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(command, sizeof command, fmt, ap);
	va_end(ap);
	FILE *pipe = popen(command, "r");
	assert_non_null(pipe);
	if (fgets(out, (int)cap, pipe) == NULL)
		out[0] = '\0';
	assert_int_equal(pclose(pipe), 0);
	out[strcspn(out, "\r\n")] = '\0';
}

static void to_hex(char *out, const unsigned char *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		sprintf(out + 2 * i, "%02X", p[i]);
	out[2 * len] = '\0';
}

/* --- bundles --------------------------------------------------------------------------------- */

static void system_bundle_gives_every_certificate(void **state)
{
	(void)state;
	if (access(SYSTEM_BUNDLE, R_OK) != 0)
		skip();
	char *text = slurp(SYSTEM_BUNDLE, NULL);
	size_t expected = count_begin_lines(text);
	free(text);
	jg_trust t;
	jg_error err;
	jg_trust_init(&t);
	assert_int_equal(jg_trust_add_file(&t, SYSTEM_BUNDLE, &err), JG_OK);
	print_message("# %s: %zu certificates, %zu anchors, %zu duplicates (same DN and key), "
		      "%zu not decodable\n", SYSTEM_BUNDLE, expected, t.count, t.duplicates, t.skipped);
	assert_true(expected > 0);
	assert_int_equal(t.count + t.duplicates + t.skipped, expected);
	assert_int_equal(t.skipped, 0);
	for (size_t i = 0; i < t.count; i++)
		assert_int_equal(t.anchors[i].flags, BR_X509_TA_CA);
	jg_trust_free(&t);
	assert_null(t.anchors);
	assert_int_equal(t.count, 0);
}

static void anchor_matches_openssl(void **state)
{
	(void)state;
	NEED_FIXTURE(f);
	jg_trust t;
	jg_error err;
	jg_trust_init(&t);
	assert_int_equal(jg_trust_add_file(&t, f->rsa_ca, &err), JG_OK);
	assert_int_equal(jg_trust_add_file(&t, f->ec_ca, &err), JG_OK);
	assert_int_equal(t.count, 2);

	/* RSA: the modulus as `openssl x509 -modulus` prints it, e = 65537. */
	const br_x509_trust_anchor *rsa = &t.anchors[0];
	assert_int_equal(rsa->pkey.key_type, BR_KEYTYPE_RSA);
	assert_int_equal(rsa->flags, BR_X509_TA_CA);
	char expected[2048], got[2048];
	capture(expected, sizeof expected, "openssl x509 -in '%s' -noout -modulus", f->rsa_ca);
	to_hex(got, rsa->pkey.key.rsa.n, rsa->pkey.key.rsa.nlen);
	assert_string_equal(got, expected + strlen("Modulus="));
	to_hex(got, rsa->pkey.key.rsa.e, rsa->pkey.key.rsa.elen);
	assert_string_equal(got, "010001");
	/* Subject "CN=jg-test-b" in DER: SEQUENCE { SET { SEQUENCE { OID 2.5.4.3, UTF8String } } } */
	static const unsigned char dn_b[] = { 0x30, 0x14, 0x31, 0x12, 0x30, 0x10, 0x06, 0x03, 0x55,
		0x04, 0x03, 0x0C, 0x09, 'j', 'g', '-', 't', 'e', 's', 't', '-', 'b' };
	assert_int_equal(rsa->dn.len, sizeof dn_b);
	assert_memory_equal(rsa->dn.data, dn_b, sizeof dn_b);

	/* EC: the point is the last 65 bytes of the SubjectPublicKeyInfo. */
	const br_x509_trust_anchor *ec = &t.anchors[1];
	assert_int_equal(ec->pkey.key_type, BR_KEYTYPE_EC);
	assert_int_equal(ec->pkey.key.ec.curve, BR_EC_secp256r1);
	assert_int_equal(ec->pkey.key.ec.qlen, 65);
	capture(expected, sizeof expected,
		"openssl x509 -in '%s' -noout -pubkey | openssl pkey -pubin -outform DER | "
		"tail -c 65 | od -An -tx1 -v | tr -d ' \\n' | tr a-f A-F", f->ec_ca);
	to_hex(got, ec->pkey.key.ec.q, ec->pkey.key.ec.qlen);
	assert_string_equal(got, expected);
	jg_trust_free(&t);
}

static void ca_flag_follows_basic_constraints(void **state)
{
	(void)state;
	NEED_FIXTURE(f);
	jg_trust t;
	jg_error err;
	jg_trust_init(&t);
	assert_int_equal(jg_trust_add_file(&t, f->leaf, &err), JG_OK);
	assert_int_equal(jg_trust_add_file(&t, f->ec_ca, &err), JG_OK);
	assert_int_equal(t.count, 2);
	assert_int_equal(t.anchors[0].flags, 0);
	assert_int_equal(t.anchors[1].flags, BR_X509_TA_CA);
	jg_trust_free(&t);
}

/* Text around the objects, CRLF line ends, another kind of object, no final newline. */
static void pem_with_text_and_crlf(void **state)
{
	(void)state;
	NEED_FIXTURE(f);
	char *a = slurp(f->ec_ca, NULL);
	char *b = slurp(f->rsa_ca, NULL);
	size_t cap = 3 * (strlen(a) + strlen(b)) + 512;
	char *text = malloc(cap);
	assert_non_null(text);
	size_t len = 0;
	len += (size_t)snprintf(text + len, cap - len, "Bag Attributes\r\n  friendlyName: a\r\n");
	for (const char *p = a; *p != '\0'; p++) {
		if (*p == '\n')
			text[len++] = '\r';
		text[len++] = *p;
	}
	len += (size_t)snprintf(text + len, cap - len,
		"between the two\r\n-----BEGIN PUBLIC KEY-----\r\nAAAA\r\n-----END PUBLIC KEY-----\r\n");
	for (const char *p = b; *p != '\0'; p++) {
		if (*p == '\n')
			text[len++] = '\r';
		text[len++] = *p;
	}
	len -= 2; /* no final CRLF */

	jg_trust t;
	jg_error err;
	size_t added = 99;
	jg_trust_init(&t);
	assert_int_equal(jg_trust_add_pem(&t, (const unsigned char *)text, len, "test", &added,
				 &err), JG_OK);
	assert_int_equal(added, 2);
	assert_int_equal(t.count, 2);
	assert_int_equal(t.skipped, 0);
	/* The same text again adds nothing new: both are duplicates. */
	assert_int_equal(jg_trust_add_pem(&t, (const unsigned char *)text, len, "test", &added,
				 &err), JG_OK);
	assert_int_equal(added, 0);
	assert_int_equal(t.count, 2);
	assert_int_equal(t.duplicates, 2);
	jg_trust_free(&t);
	free(text);
	free(a);
	free(b);
}

static void undecodable_certificate_is_skipped(void **state)
{
	(void)state;
	NEED_FIXTURE(f);
	/* Valid base64, but not a certificate's DER. */
	static const char junk[] = "-----BEGIN CERTIFICATE-----\n"
				   "aGVsbG8sIHdvcmxkOiB0aGlzIGlzIG5vdCBERVI=\n"
				   "-----END CERTIFICATE-----\n";
	char *good = slurp(f->ec_ca, NULL);
	size_t cap = strlen(junk) + strlen(good) + 1;
	char *text = malloc(cap);
	assert_non_null(text);
	snprintf(text, cap, "%s%s", junk, good);

	jg_trust t;
	jg_error err;
	size_t added = 0;
	jg_trust_init(&t);
	assert_int_equal(jg_trust_add_pem(&t, (const unsigned char *)text, strlen(text), "mixed",
				 &added, &err), JG_OK);
	assert_int_equal(added, 1);
	assert_int_equal(t.skipped, 1);
	/* Alone, it is an error that says why. */
	assert_int_equal(jg_trust_add_pem(&t, (const unsigned char *)junk, strlen(junk), "junk.pem",
				 &added, &err), JG_ERR_INPUT);
	assert_non_null(strstr(err.message, "junk.pem"));
	assert_non_null(strstr(err.message, "could be decoded"));
	/* Bad base64 inside the object: skipped the same way. */
	static const char bad64[] = "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n";
	assert_int_equal(jg_trust_add_pem(&t, (const unsigned char *)bad64, strlen(bad64), "bad",
				 &added, &err), JG_ERR_INPUT);
	assert_int_equal(t.skipped, 3);
	assert_int_equal(t.count, 1);
	jg_trust_free(&t);
	free(text);
	free(good);
}

/* --- must fail ------------------------------------------------------------------------------- */

static void file_without_certificate_is_input_error(void **state)
{
	(void)state;
	NEED_FIXTURE(f);
	char path[256];
	snprintf(path, sizeof path, "%s/notes.txt", f->dir);
	write_text(path, "no certificates here\n", 21);
	jg_trust t;
	jg_error err;
	jg_trust_init(&t);
	assert_int_equal(jg_trust_add_file(&t, path, &err), JG_ERR_INPUT);
	assert_non_null(strstr(err.message, path));
	assert_non_null(strstr(err.message, "BEGIN CERTIFICATE"));
	/* A private key alone is not a certificate either. */
	char key[256];
	snprintf(key, sizeof key, "%s.key", f->ec_ca);
	assert_int_equal(jg_trust_add_file(&t, key, &err), JG_ERR_INPUT);
	/* An empty file. */
	snprintf(path, sizeof path, "%s/empty.pem", f->dir);
	write_text(path, "", 0);
	assert_int_equal(jg_trust_add_file(&t, path, &err), JG_ERR_INPUT);
	assert_int_equal(t.count, 0);
	jg_trust_free(&t);
}

static void trusted_certificate_is_ignored(void **state)
{
	(void)state;
	NEED_FIXTURE(f);
	char path[256];
	snprintf(path, sizeof path, "%s/trusted.pem", f->dir);
	assert_int_equal(run("openssl x509 -in '%s' -trustout -out '%s'", f->ec_ca, path), 0);
	jg_trust t;
	jg_error err;
	jg_trust_init(&t);
	assert_int_equal(jg_trust_add_file(&t, path, &err), JG_ERR_INPUT);
	assert_non_null(strstr(err.message, "TRUSTED CERTIFICATE"));
	assert_int_equal(t.count, 0);
	jg_trust_free(&t);
}

static void missing_file_is_input_error(void **state)
{
	(void)state;
	jg_trust t;
	jg_error err;
	jg_trust_init(&t);
	assert_int_equal(jg_trust_add_file(&t, "/nonexistent/ca.pem", &err), JG_ERR_INPUT);
	assert_non_null(strstr(err.message, "/nonexistent/ca.pem"));
	assert_non_null(strstr(err.message, strerror(ENOENT)));
	assert_int_equal(jg_trust_add_file(&t, "/tmp", &err), JG_ERR_INPUT);
	assert_non_null(strstr(err.message, "is a directory"));
	assert_int_equal(jg_trust_add_dir(&t, "/nonexistent", &err), JG_ERR_INPUT);
	assert_non_null(strstr(err.message, "/nonexistent"));
	assert_int_equal(t.count, 0);
	jg_trust_free(&t);
}

static void oversized_file_is_input_error(void **state)
{
	(void)state;
	NEED_FIXTURE(f);
	char path[256];
	snprintf(path, sizeof path, "%s/huge.pem", f->dir);
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(ftruncate(fileno(fp), (off_t)JG_TRUST_FILE_MAX + 1), 0);
	fclose(fp);
	jg_trust t;
	jg_error err;
	jg_trust_init(&t);
	assert_int_equal(jg_trust_add_file(&t, path, &err), JG_ERR_INPUT);
	assert_non_null(strstr(err.message, "too large"));
	jg_trust_free(&t);
	unlink(path);
}

/* --- directories ----------------------------------------------------------------------------- */

/* dir/: a.pem -> ../a.pem, 1a2b3c4d.0 -> ../a.pem (as c_rehash makes), b.pem -> ../b.pem,
 * bundle.crt (a and b again), README, an empty subdirectory, a dangling link. */
static void make_cert_dir(const fixture *f, char *dir, size_t cap)
{
	snprintf(dir, cap, "%s/certs", f->dir);
	if (access(dir, F_OK) == 0)
		return;
	assert_int_equal(mkdir(dir, 0700), 0);
	char path[256];
	snprintf(path, sizeof path, "%s/a.pem", dir);
	assert_int_equal(symlink("../a.pem", path), 0);
	snprintf(path, sizeof path, "%s/1a2b3c4d.0", dir);
	assert_int_equal(symlink("../a.pem", path), 0);
	snprintf(path, sizeof path, "%s/b.pem", dir);
	assert_int_equal(symlink("../b.pem", path), 0);
	snprintf(path, sizeof path, "%s/dangling.pem", dir);
	assert_int_equal(symlink("../missing.pem", path), 0);
	snprintf(path, sizeof path, "%s/subdir", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof path, "%s/README", dir);
	write_text(path, "certificates for tests\n", 23);
	assert_int_equal(run("cat '%s' '%s' > '%s/bundle.crt'", f->ec_ca, f->rsa_ca, dir), 0);
}

static void directory_of_symlinks_deduplicated(void **state)
{
	(void)state;
	NEED_FIXTURE(f);
	char dir[256];
	make_cert_dir(f, dir, sizeof dir);
	jg_trust t;
	jg_error err;
	jg_trust_init(&t);
	assert_int_equal(jg_trust_add_dir(&t, dir, &err), JG_OK);
	/* a.pem is read once through its two links, b.pem once, and the bundle's copies of a and b
	 * are duplicates: two anchors, two duplicates, whatever the directory order. */
	assert_int_equal(t.count, 2);
	assert_int_equal(t.duplicates, 2);
	assert_int_equal(t.skipped, 0);
	jg_trust_free(&t);
}

/* A file read as the CA file is not read again from the directory (SSL_CERT_FILE is usually the
 * bundle inside SSL_CERT_DIR), and a directory whose only file was read already is no error. */
static void file_read_once_across_file_and_directory(void **state)
{
	(void)state;
	NEED_FIXTURE(f);
	char dir[256], only[300], link[340], file[300];
	make_cert_dir(f, dir, sizeof dir);
	snprintf(file, sizeof file, "%s/bundle.crt", dir);
	jg_trust t;
	jg_error err;
	jg_trust_init(&t);
	assert_int_equal(jg_trust_add_file(&t, file, &err), JG_OK);
	assert_int_equal(t.count, 2);
	assert_int_equal(jg_trust_add_dir(&t, dir, &err), JG_OK);
	/* The bundle is passed over; a.pem and b.pem each add a duplicate once. */
	assert_int_equal(t.count, 2);
	assert_int_equal(t.duplicates, 2);
	snprintf(only, sizeof only, "%s/only-read", f->dir);
	if (access(only, F_OK) != 0) {
		assert_int_equal(mkdir(only, 0700), 0);
		snprintf(link, sizeof link, "%s/bundle.crt", only);
		assert_int_equal(symlink(file, link), 0);
	}
	assert_int_equal(jg_trust_add_dir(&t, only, &err), JG_OK);
	assert_int_equal(t.duplicates, 2);
	jg_trust_free(&t);
}

static void directory_without_certificate_is_input_error(void **state)
{
	(void)state;
	NEED_FIXTURE(f);
	char dir[256], path[300];
	snprintf(dir, sizeof dir, "%s/nocerts", f->dir);
	if (access(dir, F_OK) != 0)
		assert_int_equal(mkdir(dir, 0700), 0);
	jg_trust t;
	jg_error err;
	jg_trust_init(&t);
	assert_int_equal(jg_trust_add_dir(&t, dir, &err), JG_ERR_INPUT); /* empty */
	assert_non_null(strstr(err.message, dir));
	snprintf(path, sizeof path, "%s/README", dir);
	write_text(path, "nothing\n", 8);
	assert_int_equal(jg_trust_add_dir(&t, dir, &err), JG_ERR_INPUT);
	assert_int_equal(jg_trust_add_dir(&t, f->ec_ca, &err), JG_ERR_INPUT); /* a file */
	jg_trust_free(&t);
}

static void system_cert_directory_matches_bundle(void **state)
{
	(void)state;
	if (access("/etc/ssl/certs", R_OK) != 0 || access(SYSTEM_BUNDLE, R_OK) != 0)
		skip();
	jg_trust from_dir, from_bundle;
	jg_error err;
	jg_trust_init(&from_dir);
	jg_trust_init(&from_bundle);
	assert_int_equal(jg_trust_add_dir(&from_dir, "/etc/ssl/certs", &err), JG_OK);
	assert_int_equal(jg_trust_add_file(&from_bundle, SYSTEM_BUNDLE, &err), JG_OK);
	print_message("# /etc/ssl/certs: %zu anchors, %zu duplicates\n", from_dir.count,
		      from_dir.duplicates);
	assert_true(from_dir.count >= from_bundle.count);
	jg_trust_free(&from_dir);
	jg_trust_free(&from_bundle);
}

/* --- selection ------------------------------------------------------------------------------- */

static void clear_environment(void)
{
	unsetenv("SSL_CERT_FILE");
	unsetenv("SSL_CERT_DIR");
}

static void embedded_set_is_the_index(void **state)
{
	(void)state;
	clear_environment();
	jg_trust t;
	jg_error err;
	const char *origin = NULL;
	assert_int_equal(jg_trust_select(&t, NULL, NULL, &origin, &err), JG_OK);
	assert_ptr_equal(t.index, &jg_anchors_embedded);
	assert_null(t.anchors);
	assert_null(t.owned);
	assert_int_equal(t.count, 0);
	char expected[128];
	snprintf(expected, sizeof expected, "embedded Mozilla set (%zu roots)",
		jg_anchors_embedded.count);
	assert_string_equal(origin, expected);
	print_message("# %s\n", origin);
	jg_trust_free(&t);
	assert_null(t.index);
}

static void select_precedence(void **state)
{
	(void)state;
	NEED_FIXTURE(f);
	char dir[128];
	make_cert_dir(f, dir, sizeof dir);
	jg_trust t;
	jg_error err;
	const char *origin;

	/* An empty variable counts as unset. */
	clear_environment();
	setenv("SSL_CERT_FILE", "", 1);
	setenv("SSL_CERT_DIR", "", 1);
	assert_int_equal(jg_trust_select(&t, NULL, NULL, &origin, &err), JG_OK);
	assert_ptr_equal(t.index, &jg_anchors_embedded);
	jg_trust_free(&t);

	/* SSL_CERT_FILE alone. */
	setenv("SSL_CERT_FILE", f->ec_ca, 1);
	assert_int_equal(jg_trust_select(&t, NULL, NULL, &origin, &err), JG_OK);
	assert_null(t.index);
	assert_int_equal(t.count, 1);
	assert_int_equal(strncmp(origin, "SSL_CERT_FILE=", 14), 0);
	assert_non_null(strstr(origin, "(1 root)"));
	jg_trust_free(&t);

	/* SSL_CERT_FILE and SSL_CERT_DIR together form the set. */
	setenv("SSL_CERT_FILE", f->leaf, 1);
	setenv("SSL_CERT_DIR", dir, 1);
	assert_int_equal(jg_trust_select(&t, NULL, NULL, &origin, &err), JG_OK);
	assert_int_equal(t.count, 3);
	assert_non_null(strstr(origin, "SSL_CERT_DIR="));
	jg_trust_free(&t);

	/* --cacert wins over both variables, and is the whole set. */
	assert_int_equal(jg_trust_select(&t, f->rsa_ca, NULL, &origin, &err), JG_OK);
	assert_int_equal(t.count, 1);
	assert_int_equal(t.anchors[0].pkey.key_type, BR_KEYTYPE_RSA);
	char expected[300];
	snprintf(expected, sizeof expected, "--cacert %s (1 root)", f->rsa_ca);
	assert_string_equal(origin, expected);
	jg_trust_free(&t);

	/* --capath alone, then both options. */
	assert_int_equal(jg_trust_select(&t, NULL, dir, &origin, &err), JG_OK);
	assert_int_equal(t.count, 2);
	jg_trust_free(&t);
	assert_int_equal(jg_trust_select(&t, f->leaf, dir, &origin, &err), JG_OK);
	assert_int_equal(t.count, 3);
	snprintf(expected, sizeof expected, "--cacert %s, --capath %s (3 roots)", f->leaf, dir);
	assert_string_equal(origin, expected);
	jg_trust_free(&t);

	/* A named source that fails is an error, never a fall-back. */
	assert_int_equal(jg_trust_select(&t, "/nonexistent/ca.pem", NULL, &origin, &err),
		JG_ERR_INPUT);
	assert_int_equal(strncmp(err.message, "--cacert: ", 10), 0);
	jg_trust_free(&t);
	setenv("SSL_CERT_FILE", "/nonexistent/ca.pem", 1);
	unsetenv("SSL_CERT_DIR");
	assert_int_equal(jg_trust_select(&t, NULL, NULL, &origin, &err), JG_ERR_INPUT);
	assert_int_equal(strncmp(err.message, "SSL_CERT_FILE: ", 15), 0);
	assert_non_null(strstr(err.message, "unset SSL_CERT_FILE"));
	jg_trust_free(&t);
	setenv("SSL_CERT_FILE", f->ec_ca, 1);
	setenv("SSL_CERT_DIR", "/nonexistent", 1);
	assert_int_equal(jg_trust_select(&t, NULL, NULL, &origin, &err), JG_ERR_INPUT);
	assert_int_equal(strncmp(err.message, "SSL_CERT_DIR: ", 14), 0);
	jg_trust_free(&t);
	clear_environment();
}

static void index_cannot_be_added_to(void **state)
{
	(void)state;
	jg_trust t;
	jg_error err;
	jg_trust_init(&t);
	jg_trust_use_index(&t, &jg_anchors_embedded);
	if (access(SYSTEM_BUNDLE, R_OK) == 0)
		assert_int_equal(jg_trust_add_file(&t, SYSTEM_BUNDLE, &err), JG_ERR_INPUT);
	assert_int_equal(jg_trust_add_dir(&t, "/etc/ssl/certs", &err), JG_ERR_INPUT);
	assert_non_null(strstr(err.message, "cannot add to a constant trust set"));
	assert_ptr_equal(t.index, &jg_anchors_embedded);
	assert_int_equal(t.count, 0);
	jg_trust_free(&t);
	assert_null(t.index);
}

/* --- the anchors at work ---------------------------------------------------------------------- */

/* Run BearSSL's X.509 engine over a one-certificate chain (DER) with the anchors of t. */
static int validate_chain(const jg_trust *t, const unsigned char *der, size_t len)
{
	br_x509_minimal_context xc;
	br_x509_minimal_init(&xc, &br_sha256_vtable, t->anchors, t->count);
	br_x509_minimal_set_hash(&xc, br_sha256_ID, &br_sha256_vtable);
	br_x509_minimal_set_rsa(&xc, br_rsa_pkcs1_vrfy_get_default());
	br_x509_minimal_set_ecdsa(&xc, br_ec_get_default(), br_ecdsa_vrfy_asn1_get_default());
	xc.vtable->start_chain(&xc.vtable, "localhost");
	xc.vtable->start_cert(&xc.vtable, (uint32_t)len);
	xc.vtable->append(&xc.vtable, der, len);
	xc.vtable->end_cert(&xc.vtable);
	return (int)xc.vtable->end_chain(&xc.vtable);
}

/* A server certificate issued by the test CA validates against a set holding that CA, and
 * not against one that lacks it. */
static void anchors_validate_a_chain(void **state)
{
	(void)state;
	NEED_FIXTURE(f);
	char ext[256], der_path[256];
	snprintf(ext, sizeof ext, "%s/server.ext", f->dir);
	snprintf(der_path, sizeof der_path, "%s/server.der", f->dir);
	write_text(ext, "subjectAltName=DNS:localhost\n", 29);
	assert_int_equal(run("openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
			     "-keyout '%s/server.key' -subj /CN=localhost 2>/dev/null | "
			     "openssl x509 -req -CA '%s' -CAkey '%s.key' -set_serial 7 -days 30 "
			     "-extfile '%s' -outform DER -out '%s' 2>/dev/null",
				 f->dir, f->ec_ca, f->ec_ca, ext, der_path), 0);
	size_t len;
	char *der = slurp(der_path, &len);

	jg_trust t;
	jg_error err;
	jg_trust_init(&t);
	assert_int_equal(jg_trust_add_file(&t, f->rsa_ca, &err), JG_OK);
	assert_int_equal(validate_chain(&t, (const unsigned char *)der, len),
		BR_ERR_X509_NOT_TRUSTED);
	assert_int_equal(jg_trust_add_file(&t, f->ec_ca, &err), JG_OK);
	assert_int_equal(validate_chain(&t, (const unsigned char *)der, len), 0);
	jg_trust_free(&t);
	free(der);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(system_bundle_gives_every_certificate),
		cmocka_unit_test(anchor_matches_openssl),
		cmocka_unit_test(ca_flag_follows_basic_constraints),
		cmocka_unit_test(pem_with_text_and_crlf),
		cmocka_unit_test(undecodable_certificate_is_skipped),
		cmocka_unit_test(file_without_certificate_is_input_error),
		cmocka_unit_test(trusted_certificate_is_ignored),
		cmocka_unit_test(missing_file_is_input_error),
		cmocka_unit_test(oversized_file_is_input_error),
		cmocka_unit_test(directory_of_symlinks_deduplicated),
		cmocka_unit_test(file_read_once_across_file_and_directory),
		cmocka_unit_test(directory_without_certificate_is_input_error),
		cmocka_unit_test(system_cert_directory_matches_bundle),
		cmocka_unit_test(embedded_set_is_the_index),
		cmocka_unit_test(select_precedence),
		cmocka_unit_test(index_cannot_be_added_to),
		cmocka_unit_test(anchors_validate_a_chain),
	};
	return cmocka_run_group_tests_name("trust", tests, NULL, NULL);
}
