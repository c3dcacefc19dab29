/*
 * The anchor index (src/tls/anchors.h) and its use by the TLS layer's x509 engine (src/tls/tls.c):
 * finding a certificate's issuer Name from its first bytes, building an index, looking a Name
 * up, chains validated through jg_x509_capture and BearSSL's minimal engine with anchors made
 * from an index, and the generated index of the Mozilla roots checked against the bundle it
 * came from, certificate by certificate. Test certificates come from the openssl CLI.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bearssl.h>

#include "tls/anchors.h"
#include "x509/cert.h"
#include "tls/tls.h"
#include "tls/trust.h"

/* The bundle the embedded index was made from (the Makefile passes the pinned roots.pem). */
#ifndef JG_ROOTS_PEM
#error "build with -DJG_ROOTS_PEM=<the roots the index was made from>, as the Makefile does"
#endif
#define ROOTS_BUNDLE JG_ROOTS_PEM

/* --- certificates made with openssl ------------------------------------------------------------ */

/* Files in dir/: CAs as PEM (name.pem, key name.pem.key), the others as DER (name.der). */
typedef struct fixture {
	char dir[32];
} fixture;

static fixture the_fixture;
static int fixture_state; /* 0 not tried, 1 ready, -1 openssl missing or failing */

static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int run(const char *fmt, ...)
{
	char command[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(command, sizeof command, fmt, ap);
	va_end(ap);
	return system(command);
}

static void remove_fixture(void)
{
	if (run("rm -rf '%s'", the_fixture.dir) != 0)
		fprintf(stderr, "# could not remove %s\n", the_fixture.dir);
}

/* A self-signed CA dir/name.pem with the key spec and subject given. */
static int make_ca(const char *name, const char *key_spec, const char *subject)
{
	const char *d = the_fixture.dir;
	return run("openssl req -x509 -newkey %s -nodes -keyout '%s/%s.pem.key' -out '%s/%s.pem' "
		   "-subj '%s' -days 30 -addext 'basicConstraints=critical,CA:TRUE' >/dev/null 2>&1",
		key_spec, d, name, d, name, subject);
}

/* dir/name.der, issued by the CA dir/ca.pem: a CA itself when `ca`, else a server for
 * localhost. Its own key (P-256) is dir/name.der.key. */
static int make_issued(const char *name, const char *ca, const char *subject, int is_ca)
{
	const char *d = the_fixture.dir;
	return run("printf '%s\\n' > '%s/%s.ext' && "
		   "openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
		   "-keyout '%s/%s.der.key' -subj '%s' 2>/dev/null | "
		   "openssl x509 -req -CA '%s/%s.pem' -CAkey '%s/%s.pem.key' -set_serial 7 -days 30 "
		   "-extfile '%s/%s.ext' -outform DER -out '%s/%s.der' >/dev/null 2>&1",
		is_ca ? "basicConstraints=critical,CA:TRUE" : "subjectAltName=DNS:localhost", d,
		name, d, name, subject, d, ca, d, ca, d, name, d, name);
}

/* A subject of 36 OU attributes of 60 characters: a DN of about 2.5 KB. */
static void long_subject(char *out, size_t cap)
{
	size_t len = 0;
	for (int i = 0; i < 36 && len + 80 < cap; i++)
		len += (size_t)snprintf(out + len, cap - len, "/OU=%02d%058d", i, 0);
	snprintf(out + len, cap - len, "/CN=jg-anchor-long");
}

/*
 * a.pem (P-256, CN=jg-anchor-a), a2.pem (another P-256 key, the same subject), b.pem
 * (RSA-2048, CN=jg-anchor-b), r.pem (P-256, CN=jg-anchor-root), long.pem (P-256, a 2.5 KB
 * subject); issued: leaf_a, leaf_a2, leaf_b (servers), inter (a CA under r), leaf_i (a server
 * under inter; inter.der is also written as inter.pem to sign with), leaf_long; plain.der, a
 * self-signed certificate that is not a CA.
 */
static int make_certificates(void)
{
	char subject[4096];
	long_subject(subject, sizeof subject);
	const char *d = the_fixture.dir;
	return make_ca("a", "ec -pkeyopt ec_paramgen_curve:P-256", "/CN=jg-anchor-a") ||
	       make_ca("a2", "ec -pkeyopt ec_paramgen_curve:P-256", "/CN=jg-anchor-a") ||
	       make_ca("b", "rsa:2048", "/CN=jg-anchor-b") ||
	       make_ca("r", "ec -pkeyopt ec_paramgen_curve:P-256", "/CN=jg-anchor-root") ||
	       make_ca("long", "ec -pkeyopt ec_paramgen_curve:P-256", subject) ||
	       make_issued("leaf_a", "a", "/CN=localhost", 0) ||
	       make_issued("leaf_a2", "a2", "/CN=localhost", 0) ||
	       make_issued("leaf_b", "b", "/CN=localhost", 0) ||
	       make_issued("inter", "r", "/CN=jg-anchor-intermediate", 1) ||
	       run("openssl x509 -inform DER -in '%s/inter.der' -out '%s/inter.pem' && "
		   "cp '%s/inter.der.key' '%s/inter.pem.key'", d, d, d, d) ||
	       make_issued("leaf_i", "inter", "/CN=localhost", 0) ||
	       make_issued("leaf_long", "long", "/CN=localhost", 0) ||
	       run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
		   "-keyout '%s/plain.key' -subj /CN=jg-anchor-plain -days 30 -outform DER "
		   "-out '%s/plain.der' -addext 'basicConstraints=critical,CA:FALSE' >/dev/null 2>&1",
		       d, d);
}

static const fixture *get_fixture(void)
{
	if (fixture_state != 0)
		return fixture_state > 0 ? &the_fixture : NULL;
	fixture_state = -1;
	if (run("openssl version >/dev/null 2>&1") != 0)
		return NULL;
	snprintf(the_fixture.dir, sizeof the_fixture.dir, "%s", "/tmp/jg-anchors.XXXXXX");
	if (mkdtemp(the_fixture.dir) == NULL)
		return NULL;
	atexit(remove_fixture);
	if (make_certificates() != 0)
		return NULL;
	fixture_state = 1;
	return &the_fixture;
}

#define NEED_FIXTURE(f)                                                                     \
	const fixture *f = get_fixture();                                                   \
	if (f == NULL) {                                                                    \
		print_message("# openssl CLI unavailable: skipped\n");                      \
		skip();                                                                     \
	}

/* A DER file of the fixture. */
typedef struct der_file {
	unsigned char data[8192];
	size_t len;
} der_file;

static void read_der(const fixture *f, const char *name, der_file *out)
{
	char path[128];
	snprintf(path, sizeof path, "%s/%s.der", f->dir, name);
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	out->len = fread(out->data, 1, sizeof out->data, fp);
	assert_true(out->len > 0 && out->len < sizeof out->data);
	fclose(fp);
}

/* Load the fixture's CAs named, in order, into a fresh set. */
static void load_cas(const fixture *f, jg_trust *t, const char *const *names, size_t n)
{
	jg_error err;
	jg_trust_init(t);
	for (size_t i = 0; i < n; i++) {
		char path[128];
		snprintf(path, sizeof path, "%s/%s.pem", f->dir, names[i]);
		assert_int_equal(jg_trust_add_file(t, path, &err), JG_OK);
	}
}

/* An index with its storage. */
typedef struct test_index {
	jg_anchor_index index;
	jg_anchor_entry entries[16];
	unsigned char keys[8192];
} test_index;

static void index_cas(const fixture *f, test_index *ti, const char *const *names, size_t n)
{
	jg_trust t;
	jg_error err;
	size_t skipped = 99;
	load_cas(f, &t, names, n);
	assert_true(t.count <= 16);
	assert_int_equal(jg_anchors_build(&ti->index, ti->entries, ti->keys, sizeof ti->keys,
				 t.anchors, t.count, &skipped, &err), JG_OK);
	assert_int_equal(skipped, 0);
	assert_int_equal(ti->index.count, n);
	jg_trust_free(&t);
}

/* --- the chain through jg_x509_capture and br_x509_minimal -------------------------------------- */

static jg_x509_capture capture; /* 13 KB: not on the stack */

/*
 * Validate a chain (certs[0] the server's) with anchors from `index`, at epoch time `now`, the
 * bytes of each certificate appended `chunk` at a time (0: whole). SHA-1 and SHA-224 are added
 * to the engine's hashes so that old roots' self-signatures can be checked.
 */
static int validate(const jg_anchor_index *index, const der_file *const *certs, size_t n,
	size_t chunk, int64_t now, const char *server_name)
{
	jg_trust t;
	jg_trust_init(&t);
	jg_trust_use_index(&t, index);
	jg_x509_capture_init(&capture, &t, now);
	br_x509_minimal_set_hash(&capture.minimal, br_sha1_ID, &br_sha1_vtable);
	br_x509_minimal_set_hash(&capture.minimal, br_sha224_ID, &br_sha224_vtable);
	const br_x509_class **x = &capture.vtable;
	(*x)->start_chain(x, server_name);
	for (size_t i = 0; i < n; i++) {
		(*x)->start_cert(x, (uint32_t)certs[i]->len);
		for (size_t at = 0; at < certs[i]->len;) {
			size_t step = chunk == 0 ? certs[i]->len - at : chunk;
			if (step > certs[i]->len - at)
				step = certs[i]->len - at;
			(*x)->append(x, certs[i]->data + at, step);
			at += step;
		}
		(*x)->end_cert(x);
	}
	int result = (int)(*x)->end_chain(x);
	jg_trust_free(&t);
	return result;
}

static int validate_one(const jg_anchor_index *index, const der_file *cert, size_t chunk)
{
	const der_file *chain[] = { cert };
	return validate(index, chain, 1, chunk, (int64_t)time(NULL), "localhost");
}

static void server_under_indexed_ca_validates(void **state)
{
	(void)state;
	NEED_FIXTURE(f);
	static const char *const cas[] = { "b", "a" };
	static test_index ti;
	static der_file leaf_a, leaf_b;
	index_cas(f, &ti, cas, 2);
	read_der(f, "leaf_a", &leaf_a);
	read_der(f, "leaf_b", &leaf_b);
	/* Whole, byte by byte, and in pieces that split the headers and the issuer. */
	static const size_t chunks[] = { 0, 1, 3, 7, 64 };
	for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
		assert_int_equal(validate_one(&ti.index, &leaf_a, chunks[i]), BR_ERR_OK);
		assert_int_equal(validate_one(&ti.index, &leaf_b, chunks[i]), BR_ERR_OK);
	}
	/* The engine still checks the name. */
	const der_file *chain[] = { &leaf_a };
	assert_int_equal(validate(&ti.index, chain, 1, 0, (int64_t)time(NULL), "example.com"),
		BR_ERR_X509_BAD_SERVER_NAME);
}

static void server_under_other_ca_is_not_trusted(void **state)
{
	(void)state;
	NEED_FIXTURE(f);
	static const char *const cas[] = { "b" };
	static test_index ti;
	static der_file leaf_a;
	index_cas(f, &ti, cas, 1);
	read_der(f, "leaf_a", &leaf_a);
	assert_int_equal(validate_one(&ti.index, &leaf_a, 0), BR_ERR_X509_NOT_TRUSTED);
	assert_int_equal(validate_one(&ti.index, &leaf_a, 5), BR_ERR_X509_NOT_TRUSTED);
	/* An empty index trusts nothing. */
	const jg_anchor_index none = { NULL, 0, NULL, 0 };
	assert_int_equal(validate_one(&none, &leaf_a, 0), BR_ERR_X509_NOT_TRUSTED);
}

/* The issuer of each certificate is looked up, not only the first one's: the server's
 * certificate is issued by an intermediate the index lacks, the intermediate by its root. */
static void intermediate_found_through_its_root(void **state)
{
	(void)state;
	NEED_FIXTURE(f);
	static const char *const cas[] = { "r" };
	static test_index ti;
	static der_file leaf_i, inter, leaf_a;
	index_cas(f, &ti, cas, 1);
	read_der(f, "leaf_i", &leaf_i);
	read_der(f, "inter", &inter);
	read_der(f, "leaf_a", &leaf_a);
	const der_file *chain[] = { &leaf_i, &inter };
	int64_t now = (int64_t)time(NULL);
	assert_int_equal(validate(&ti.index, chain, 2, 0, now, "localhost"), BR_ERR_OK);
	assert_int_equal(validate(&ti.index, chain, 2, 11, now, "localhost"), BR_ERR_OK);
	/* Without the intermediate, nothing links the server to the root. */
	assert_int_equal(validate(&ti.index, chain, 1, 0, now, "localhost"),
		BR_ERR_X509_NOT_TRUSTED);
	/* A chain whose second certificate does not issue the first: the capture leaves it out
	 * (BearSSL alone said BR_ERR_X509_DN_MISMATCH), and the leaf alone is not trusted. */
	const der_file *wrong[] = { &leaf_a, &inter };
	assert_int_equal(validate(&ti.index, wrong, 2, 0, now, "localhost"),
		BR_ERR_X509_NOT_TRUSTED);
	/* A stranger between the leaf and its issuer is left out; the path is found after it. */
	const der_file *extra[] = { &leaf_i, &leaf_a, &inter };
	assert_int_equal(validate(&ti.index, extra, 3, 7, now, "localhost"), BR_ERR_OK);
}

/* Two roots with one name (a re-keyed root): both keys are tried, the right one verifies. */
static void roots_sharing_a_name(void **state)
{
	(void)state;
	NEED_FIXTURE(f);
	static const char *const both[] = { "a", "a2" };
	static const char *const first[] = { "a" };
	static test_index ti_both, ti_first;
	static der_file leaf_a, leaf_a2;
	index_cas(f, &ti_both, both, 2);
	index_cas(f, &ti_first, first, 1);
	assert_memory_equal(ti_both.entries[0].dn_hash, ti_both.entries[1].dn_hash,
		JG_ANCHORS_HASH_LEN);
	read_der(f, "leaf_a", &leaf_a);
	read_der(f, "leaf_a2", &leaf_a2);
	assert_int_equal(validate_one(&ti_both.index, &leaf_a, 0), BR_ERR_OK);
	assert_int_equal(validate_one(&ti_both.index, &leaf_a2, 0), BR_ERR_OK);
	/* The name matches but the key does not: not trusted. */
	assert_int_equal(validate_one(&ti_first.index, &leaf_a2, 0), BR_ERR_X509_NOT_TRUSTED);
}

/*
 * Two different names whose hashes collide (made by copying one entry's hash onto the other:
 * a true 64-bit collision is too costly to find here). The lookup hands BearSSL both keys; the
 * signature decides. And the entry whose hash was overwritten no longer finds its own name.
 */
static void colliding_hashes_leave_it_to_the_signature(void **state)
{
	(void)state;
	NEED_FIXTURE(f);
	static const char *const cas[] = { "b", "a" };
	static test_index ti;
	static der_file leaf_a, leaf_b;
	index_cas(f, &ti, cas, 2);
	memcpy(ti.entries[0].dn_hash, ti.entries[1].dn_hash, JG_ANCHORS_HASH_LEN);
	read_der(f, "leaf_a", &leaf_a);
	read_der(f, "leaf_b", &leaf_b);
	assert_int_equal(validate_one(&ti.index, &leaf_a, 0), BR_ERR_OK);
	assert_int_equal(validate_one(&ti.index, &leaf_b, 0), BR_ERR_X509_NOT_TRUSTED);
}

/* Fetch the public key of a certificate with BearSSL's decoder, ignoring its DN. */
static void ignore_dn(void *ctx, const void *buf, size_t len)
{
	(void)ctx;
	(void)buf;
	(void)len;
}

/*
 * An issuer Name that ends past JG_TLS_ISSUER_PREFIX_MAX bytes is never looked up: with an
 * index holding exactly that Name and the right key, the chain is not trusted, while BearSSL
 * given the same anchor directly trusts it (so nothing else is wrong with the chain).
 */
static void issuer_beyond_the_prefix_is_not_trusted(void **state)
{
	(void)state;
	NEED_FIXTURE(f);
	static der_file ca, leaf;
	read_der(f, "leaf_long", &leaf);
	char path[128];
	snprintf(path, sizeof path, "%s/long.der", f->dir);
	assert_int_equal(run("openssl x509 -in '%s/long.pem' -outform DER -out '%s'", f->dir, path),
		0);
	read_der(f, "long", &ca);

	const unsigned char *issuer;
	size_t issuer_len;
	assert_int_equal(jg_anchors_find_issuer(leaf.data, leaf.len, &issuer, &issuer_len),
		JG_ISSUER_FOUND);
	assert_true((size_t)(issuer - leaf.data) + issuer_len > JG_TLS_ISSUER_PREFIX_MAX);

	static br_x509_decoder_context dc;
	br_x509_decoder_init(&dc, ignore_dn, NULL);
	br_x509_decoder_push(&dc, ca.data, ca.len);
	const br_x509_pkey *pkey = br_x509_decoder_get_pkey(&dc);
	assert_non_null(pkey);
	br_x509_trust_anchor anchor = { { (unsigned char *)issuer, issuer_len }, BR_X509_TA_CA,
		*pkey };

	static test_index ti;
	size_t skipped;
	jg_error err;
	assert_int_equal(jg_anchors_build(&ti.index, ti.entries, ti.keys, sizeof ti.keys, &anchor, 1,
				 &skipped, &err), JG_OK);
	assert_int_equal(validate_one(&ti.index, &leaf, 0), BR_ERR_X509_NOT_TRUSTED);

	br_x509_minimal_context xc;
	br_x509_minimal_init(&xc, &br_sha256_vtable, &anchor, 1);
	br_x509_minimal_set_hash(&xc, br_sha256_ID, &br_sha256_vtable);
	br_x509_minimal_set_ecdsa(&xc, br_ec_get_default(), br_ecdsa_vrfy_asn1_get_default());
	xc.vtable->start_chain(&xc.vtable, "localhost");
	xc.vtable->start_cert(&xc.vtable, (uint32_t)leaf.len);
	xc.vtable->append(&xc.vtable, leaf.data, leaf.len);
	xc.vtable->end_cert(&xc.vtable);
	assert_int_equal(xc.vtable->end_chain(&xc.vtable), BR_ERR_OK);
}

/* --- finding the issuer -------------------------------------------------------------------------- */

/* The issuer of a self-signed CA is its subject: the same bytes the loader took as its DN (from
 * BearSSL's decoder); a server certificate's issuer is its CA's subject. Every shorter prefix
 * asks for more. */
static void issuer_is_the_loaders_dn(void **state)
{
	(void)state;
	NEED_FIXTURE(f);
	static const char *const cas[] = { "b" };
	static der_file ca, leaf;
	char path[128];
	snprintf(path, sizeof path, "%s/b.der", f->dir);
	assert_int_equal(run("openssl x509 -in '%s/b.pem' -outform DER -out '%s'", f->dir, path), 0);
	read_der(f, "b", &ca);
	read_der(f, "leaf_b", &leaf);
	jg_trust t;
	load_cas(f, &t, cas, 1);
	const der_file *certs[] = { &ca, &leaf };
	for (size_t c = 0; c < 2; c++) {
		const unsigned char *issuer;
		size_t issuer_len;
		assert_int_equal(jg_anchors_find_issuer(certs[c]->data, certs[c]->len, &issuer,
					 &issuer_len), JG_ISSUER_FOUND);
		assert_int_equal(issuer_len, t.anchors[0].dn.len);
		assert_memory_equal(issuer, t.anchors[0].dn.data, issuer_len);
		size_t end = (size_t)(issuer - certs[c]->data) + issuer_len;
		for (size_t k = 0; k < end; k++)
			assert_int_equal(jg_anchors_find_issuer(certs[c]->data, k, &issuer,
						 &issuer_len), JG_ISSUER_MORE);
	}
	jg_trust_free(&t);
}

/* Hand-made certificate starts: Certificate and TBS headers (lengths of the whole, which the
 * bytes do not reach), then the fields up to the issuer. */
static const struct {
	const char *what;
	unsigned char der[40];
	size_t len;
	int result;
	size_t issuer_at, issuer_len;
} starts[] = {
	{ "v3", { 0x30, 0x82, 0x01, 0x00, 0x30, 0x81, 0xF0, 0xA0, 0x03, 0x02, 0x01, 0x02, 0x02, 0x01,
		  0x07, 0x30, 0x03, 0x06, 0x01, 0x2A, 0x30, 0x02, 0x31, 0x00, 0x30 },
	  25, JG_ISSUER_FOUND, 20, 4 },
	{ "v1, no version", { 0x30, 0x81, 0x90, 0x30, 0x81, 0x80, 0x02, 0x01, 0x07, 0x30, 0x00,
		  0x30, 0x03, 0x31, 0x01, 0x00 },
	  16, JG_ISSUER_FOUND, 11, 5 },
	{ "4-byte lengths", { 0x30, 0x84, 0x01, 0x00, 0x00, 0x10, 0x30, 0x84, 0x01, 0x00, 0x00, 0x00,
		  0x02, 0x01, 0x07, 0x30, 0x00, 0x30, 0x00 },
	  19, JG_ISSUER_FOUND, 17, 2 },
	/* BER's longer-than-needed lengths are not DER: the one header reader refuses them. */
	{ "length not in its shortest form", { 0x30, 0x84, 0x00, 0x00, 0x01, 0x00, 0x30, 0x84, 0x00,
		  0x00, 0x00, 0xF0, 0x02, 0x01, 0x07, 0x30, 0x00, 0x30, 0x00 },
	  19, JG_ISSUER_BAD, 0, 0 },
	{ "not a SEQUENCE", { 0x31, 0x03, 0x30, 0x01, 0x00 }, 5, JG_ISSUER_BAD, 0, 0 },
	{ "indefinite length", { 0x30, 0x80, 0x30, 0x80 }, 4, JG_ISSUER_BAD, 0, 0 },
	{ "5-byte length", { 0x30, 0x85, 0x00, 0x00, 0x00, 0x01, 0x00 }, 7, JG_ISSUER_BAD, 0, 0 },
	{ "TBS longer than the certificate", { 0x30, 0x10, 0x30, 0x20, 0x02, 0x01, 0x07 }, 7,
	  JG_ISSUER_BAD, 0, 0 },
	{ "serial not an INTEGER", { 0x30, 0x20, 0x30, 0x1E, 0x03, 0x01, 0x07 }, 7, JG_ISSUER_BAD,
	  0, 0 },
	{ "issuer not a SEQUENCE", { 0x30, 0x20, 0x30, 0x1E, 0x02, 0x01, 0x07, 0x30, 0x00, 0x31,
		  0x00 },
	  11, JG_ISSUER_BAD, 0, 0 },
	{ "issuer past the TBS", { 0x30, 0x20, 0x30, 0x09, 0x02, 0x01, 0x07, 0x30, 0x00, 0x30, 0x05,
		  0x31, 0x03, 0x30, 0x01, 0x00 },
	  16, JG_ISSUER_BAD, 0, 0 },
	{ "version past the TBS", { 0x30, 0x20, 0x30, 0x02, 0xA0, 0x03, 0x02, 0x01, 0x02 }, 9,
	  JG_ISSUER_BAD, 0, 0 },
	{ "empty", { 0 }, 0, JG_ISSUER_MORE, 0, 0 },
};

static void issuer_from_handmade_starts(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++) {
		print_message("# %s\n", starts[i].what);
		const unsigned char *issuer = NULL;
		size_t issuer_len = 0;
		/* Exactly the bytes, in a heap block of that size, so ASan sees any over-read. */
		unsigned char *der = malloc(starts[i].len + 1);
		assert_non_null(der);
		memcpy(der, starts[i].der, starts[i].len);
		assert_int_equal(jg_anchors_find_issuer(der, starts[i].len, &issuer, &issuer_len),
			starts[i].result);
		if (starts[i].result == JG_ISSUER_FOUND) {
			assert_ptr_equal(issuer, der + starts[i].issuer_at);
			assert_int_equal(issuer_len, starts[i].issuer_len);
			/* Any shorter start asks for more (or is already bad, never found). */
			for (size_t k = 0; k < starts[i].len - 1; k++)
				assert_int_equal(jg_anchors_find_issuer(der, k, &issuer, &issuer_len),
					JG_ISSUER_MORE);
		}
		free(der);
	}
}

/* --- building and looking up ------------------------------------------------------------------- */

static void lookup_gives_the_anchor_with_the_callers_dn(void **state)
{
	(void)state;
	NEED_FIXTURE(f);
	static const char *const cas[] = { "b", "a" };
	static test_index ti;
	jg_trust t;
	load_cas(f, &t, cas, 2);
	index_cas(f, &ti, cas, 2);
	assert_int_equal(ti.index.keys_len, jg_anchors_key_bytes(t.anchors, t.count));
	for (size_t i = 0; i < 2; i++) {
		br_x509_trust_anchor found[JG_ANCHORS_MATCH_MAX];
		/* The caller's copy of the Name: the anchor's DN points at it. */
		unsigned char dn[512];
		memcpy(dn, t.anchors[i].dn.data, t.anchors[i].dn.len);
		assert_int_equal(jg_anchors_lookup(&ti.index, dn, t.anchors[i].dn.len, found,
					 JG_ANCHORS_MATCH_MAX), 1);
		assert_ptr_equal(found[0].dn.data, dn);
		assert_int_equal(found[0].dn.len, t.anchors[i].dn.len);
		assert_int_equal(found[0].flags, BR_X509_TA_CA);
		assert_int_equal(found[0].pkey.key_type, t.anchors[i].pkey.key_type);
		/* No room: nothing written. */
		assert_int_equal(jg_anchors_lookup(&ti.index, dn, t.anchors[i].dn.len, found, 0), 0);
		/* One byte off: no match. */
		dn[t.anchors[i].dn.len - 1] ^= 1;
		assert_int_equal(jg_anchors_lookup(&ti.index, dn, t.anchors[i].dn.len, found,
					 JG_ANCHORS_MATCH_MAX), 0);
	}
	const br_rsa_public_key *rsa = &t.anchors[0].pkey.key.rsa;
	br_x509_trust_anchor found[1];
	assert_int_equal(jg_anchors_lookup(&ti.index, t.anchors[0].dn.data, t.anchors[0].dn.len,
				 found, 1), 1);
	assert_int_equal(found[0].pkey.key.rsa.nlen, rsa->nlen);
	assert_memory_equal(found[0].pkey.key.rsa.n, rsa->n, rsa->nlen);
	assert_int_equal(found[0].pkey.key.rsa.elen, rsa->elen);
	assert_memory_equal(found[0].pkey.key.rsa.e, rsa->e, rsa->elen);
	/* An index whose keys array is shorter than its entries say returns nothing past it. */
	jg_anchor_index cut = ti.index;
	cut.keys_len = ti.entries[0].key_len; /* not even the first key's exponent */
	assert_int_equal(jg_anchors_lookup(&cut, t.anchors[1].dn.data, t.anchors[1].dn.len, found,
				 1), 0);
	jg_trust_free(&t);
}

static void build_leaves_out_non_ca(void **state)
{
	(void)state;
	NEED_FIXTURE(f);
	static test_index ti;
	static der_file plain;
	jg_trust t;
	jg_error err;
	char path[128];
	snprintf(path, sizeof path, "%s/plain.pem", f->dir);
	assert_int_equal(run("openssl x509 -inform DER -in '%s/plain.der' -out '%s'", f->dir, path),
		0);
	static const char *const cas[] = { "plain", "a" };
	load_cas(f, &t, cas, 2);
	assert_int_equal(t.anchors[0].flags, 0);
	size_t skipped = 0;
	assert_int_equal(jg_anchors_build(&ti.index, ti.entries, ti.keys, sizeof ti.keys, t.anchors,
				 t.count, &skipped, &err), JG_OK);
	assert_int_equal(skipped, 1);
	assert_int_equal(ti.index.count, 1);
	assert_int_equal(ti.entries[0].curve, BR_EC_secp256r1);
	assert_int_equal(ti.index.keys_len, 65);
	assert_int_equal(jg_anchors_key_bytes(t.anchors, t.count), 65);
	/* The plain certificate is its own issuer, but it is no CA: not trusted. */
	read_der(f, "plain", &plain);
	const der_file *chain[] = { &plain };
	assert_int_equal(validate(&ti.index, chain, 1, 0, (int64_t)time(NULL), NULL),
		BR_ERR_X509_NOT_TRUSTED);
	jg_trust_free(&t);
}

/* Anchors made up in memory: DN "name", an EC key whose point is filled with `fill`. */
static void fake_anchor(br_x509_trust_anchor *ta, unsigned char *point, unsigned char fill)
{
	static unsigned char name[] = { 0x30, 0x03, 0x31, 0x01, 0x00 };
	memset(point, fill, 65);
	*ta = (br_x509_trust_anchor){ { name, sizeof name }, BR_X509_TA_CA,
		{ BR_KEYTYPE_EC, { .ec = { BR_EC_secp256r1, point, 65 } } } };
}

static void build_refuses_what_it_cannot_hold(void **state)
{
	(void)state;
	static test_index ti;
	static unsigned char points[JG_ANCHORS_MATCH_MAX + 1][65];
	static unsigned char exponent[256];
	br_x509_trust_anchor anchors[JG_ANCHORS_MATCH_MAX + 1];
	jg_error err;
	for (size_t i = 0; i <= JG_ANCHORS_MATCH_MAX; i++)
		fake_anchor(&anchors[i], points[i], (unsigned char)i);
	/* JG_ANCHORS_MATCH_MAX with one name is the most; one more is refused. */
	assert_int_equal(jg_anchors_build(&ti.index, ti.entries, ti.keys, sizeof ti.keys, anchors,
				 JG_ANCHORS_MATCH_MAX, NULL, &err), JG_OK);
	br_x509_trust_anchor found[JG_ANCHORS_MATCH_MAX];
	assert_int_equal(jg_anchors_lookup(&ti.index, anchors[0].dn.data, anchors[0].dn.len, found,
				 JG_ANCHORS_MATCH_MAX), JG_ANCHORS_MATCH_MAX);
	assert_int_equal(found[3].pkey.key.ec.q[0], 3);
	assert_int_equal(jg_anchors_build(&ti.index, ti.entries, ti.keys, sizeof ti.keys, anchors,
				 JG_ANCHORS_MATCH_MAX + 1, NULL, &err), JG_ERR_INPUT);
	assert_non_null(strstr(err.message, "share one DN hash"));
	/* No room for the keys. */
	assert_int_equal(jg_anchors_build(&ti.index, ti.entries, ti.keys, 64, anchors, 1, NULL,
				 &err), JG_ERR_INPUT);
	/* An RSA exponent of 256 bytes does not fit the format. */
	br_x509_trust_anchor rsa = anchors[0];
	rsa.pkey.key_type = BR_KEYTYPE_RSA;
	rsa.pkey.key.rsa = (br_rsa_public_key){ points[0], 65, exponent, sizeof exponent };
	assert_int_equal(jg_anchors_build(&ti.index, ti.entries, ti.keys, sizeof ti.keys, &rsa, 1,
				 NULL, &err), JG_ERR_INPUT);
	assert_non_null(strstr(err.message, "does not fit"));
	/* Nor does one over 520 bytes (BearSSL's key buffer): 521, and 776, which the entry's byte
	 * would hold as 8, are refused before anything is narrowed, and nothing is indexed. */
	static unsigned char big_exponent[776];
	size_t sizes[] = { 521, sizeof big_exponent };
	for (size_t i = 0; i < 2; i++) {
		rsa.pkey.key.rsa = (br_rsa_public_key){ points[0], 65, big_exponent, sizes[i] };
		ti.index.count = 99;
		assert_int_equal(jg_anchors_build(&ti.index, ti.entries, ti.keys, sizeof ti.keys, &rsa,
					 1, NULL, &err), JG_ERR_INPUT);
		assert_non_null(strstr(err.message, "does not fit"));
		assert_int_equal(ti.index.count, 0);
	}
	/* Nor does a key type other than RSA and EC. */
	br_x509_trust_anchor other = anchors[0];
	other.pkey.key_type = 7;
	assert_int_equal(jg_anchors_build(&ti.index, ti.entries, ti.keys, sizeof ti.keys, &other, 1,
				 NULL, &err), JG_ERR_INPUT);
}

/* --- the embedded index against the bundle it came from ------------------------------------------ */

/* Collects the DER of each "CERTIFICATE" object of a PEM text. */
typedef struct pem_certs {
	br_pem_decoder_context pem;
	unsigned char der[JG_CERT_DER_MAX];
	size_t len;
	int overflow;
} pem_certs;

static void collect_der(void *ctx, const void *buf, size_t len)
{
	pem_certs *pc = ctx;
	if (len > sizeof pc->der - pc->len) {
		pc->overflow = 1;
		return;
	}
	memcpy(pc->der + pc->len, buf, len);
	pc->len += len;
}

/* The verdict on one root: validated as a one-certificate chain at the middle of its validity. */
static int check_root(const unsigned char *der, size_t len, size_t number)
{
	jg_cert_info info;
	jg_error err;
	if (jg_cert_parse(der, len, &info, &err) != JG_OK) {
		print_message("# certificate %zu: %s\n", number, err.message);
		return -1;
	}
	static der_file cert;
	memcpy(cert.data, der, len);
	cert.len = len;
	const der_file *chain[] = { &cert };
	int64_t middle = info.not_before + (info.not_after - info.not_before) / 2;
	int result = validate(&jg_anchors_embedded, chain, 1, 0, middle, NULL);
	if (result != BR_ERR_OK)
		print_message("# certificate %zu (%s): BearSSL error %d\n", number, info.subject,
			result);
	/* The same chain with no anchor at all, as a control: the index did the trusting. */
	const jg_anchor_index none = { NULL, 0, NULL, 0 };
	if (result == BR_ERR_OK && validate(&none, chain, 1, 0, middle, NULL) !=
			BR_ERR_X509_NOT_TRUSTED)
		return -1;
	return result;
}

static void every_bundle_root_validates_with_the_index(void **state)
{
	(void)state;
	assert_int_equal(access(ROOTS_BUNDLE, R_OK), 0);
	FILE *fp = fopen(ROOTS_BUNDLE, "rb");
	assert_non_null(fp);
	static pem_certs pc;
	br_pem_decoder_init(&pc.pem);
	size_t certificates = 0, failed = 0, in_cert = 0;
	unsigned char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0) {
		for (size_t at = 0; at < n;) {
			at += br_pem_decoder_push(&pc.pem, buf + at, n - at);
			switch (br_pem_decoder_event(&pc.pem)) {
			case BR_PEM_BEGIN_OBJ:
				in_cert = strcmp(br_pem_decoder_name(&pc.pem), "CERTIFICATE") == 0;
				pc.len = 0;
				pc.overflow = 0;
				br_pem_decoder_setdest(&pc.pem, in_cert ? collect_der : NULL, &pc);
				break;
			case BR_PEM_END_OBJ:
				if (!in_cert)
					break;
				certificates++;
				assert_false(pc.overflow);
				failed += check_root(pc.der, pc.len, certificates) != BR_ERR_OK;
				break;
			case BR_PEM_ERROR:
				fail_msg("the bundle is not PEM");
				break;
			default:
				break;
			}
		}
	}
	fclose(fp);
	print_message("# %zu certificates of %s checked through the embedded index, %zu failed\n",
		certificates, ROOTS_BUNDLE, failed);
	assert_true(certificates > 0);
	assert_int_equal(failed, 0);
}

/* The index holds what the loader reads from the bundle: one entry per distinct anchor, in the
 * loader's order, each with the hash of the anchor's DN and the anchor's key. */
static void embedded_index_matches_the_loader(void **state)
{
	(void)state;
	assert_int_equal(access(ROOTS_BUNDLE, R_OK), 0);
	jg_trust bundle;
	jg_error err;
	jg_trust_init(&bundle);
	assert_int_equal(jg_trust_add_file(&bundle, ROOTS_BUNDLE, &err), JG_OK);
	const jg_anchor_index *index = &jg_anchors_embedded;
	assert_int_equal(index->count, bundle.count);
	size_t offset = 0;
	for (size_t i = 0; i < bundle.count; i++) {
		const br_x509_trust_anchor *ta = &bundle.anchors[i];
		const jg_anchor_entry *e = &index->entries[i];
		unsigned char hash[JG_ANCHORS_HASH_LEN];
		jg_anchors_hash_dn(ta->dn.data, ta->dn.len, hash);
		assert_memory_equal(e->dn_hash, hash, sizeof hash);
		assert_int_equal(ta->flags, BR_X509_TA_CA);
		const unsigned char *key = index->keys + offset;
		if (ta->pkey.key_type == BR_KEYTYPE_RSA) {
			const br_rsa_public_key *rsa = &ta->pkey.key.rsa;
			assert_int_equal(e->curve, 0);
			assert_int_equal(e->key_len, rsa->nlen);
			assert_int_equal(e->exponent_len, rsa->elen);
			assert_memory_equal(key, rsa->n, rsa->nlen);
			assert_memory_equal(key + rsa->nlen, rsa->e, rsa->elen);
		} else {
			const br_ec_public_key *ec = &ta->pkey.key.ec;
			assert_int_equal(e->curve, ec->curve);
			assert_int_equal(e->key_len, ec->qlen);
			assert_int_equal(e->exponent_len, 0);
			assert_memory_equal(key, ec->q, ec->qlen);
		}
		offset += (size_t)e->key_len + e->exponent_len;
	}
	assert_int_equal(offset, index->keys_len);
	jg_trust_free(&bundle);
}

/* --- generated C ----------------------------------------------------------------------------- */

/* The repository root: the nearest directory above the test binary holding src/tls/anchors.h. */
static int find_top(char *out, size_t cap)
{
	char path[PATH_MAX - 64];
	ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
	if (n <= 0)
		return -1;
	path[n] = '\0';
	for (char *slash = strrchr(path, '/'); slash != NULL; slash = strrchr(path, '/')) {
		*slash = '\0';
		snprintf(out, cap, "%s", path);
		char header[PATH_MAX + 64];
		snprintf(header, sizeof header, "%s/src/tls/anchors.h", out);
		if (access(header, R_OK) == 0)
			return 0;
	}
	return -1;
}

static void written_c_compiles(void **state)
{
	(void)state;
	NEED_FIXTURE(f);
	static const char *const cas[] = { "b", "a" };
	static test_index ti;
	jg_error err;
	const jg_anchor_index empty = { NULL, 0, NULL, 0 };
	assert_int_equal(jg_anchors_write_c(&empty, stdout, &err), JG_ERR_INPUT);
	index_cas(f, &ti, cas, 2);
	char source[128], object[128];
	snprintf(source, sizeof source, "%s/anchors.c", f->dir);
	snprintf(object, sizeof object, "%s/anchors.o", f->dir);
	FILE *out = fopen(source, "w");
	assert_non_null(out);
	assert_int_equal(jg_anchors_write_c(&ti.index, out, &err), JG_OK);
	assert_int_equal(fclose(out), 0);

	FILE *in = fopen(source, "r");
	assert_non_null(in);
	static char text[65536];
	text[fread(text, 1, sizeof text - 1, in)] = '\0';
	fclose(in);
	assert_non_null(strstr(text, "const jg_anchor_index jg_anchors_embedded = {"));
	assert_non_null(strstr(text, "anchor_entries, 2, anchor_keys, sizeof anchor_keys"));
	/* The EC entry: its hash, a 65-byte point, no exponent, curve 23 (P-256). */
	char entry[128];
	int len = snprintf(entry, sizeof entry, "\t{ { ");
	for (size_t i = 0; i < JG_ANCHORS_HASH_LEN; i++)
		len += snprintf(entry + len, sizeof entry - (size_t)len, "0x%02X, ",
			ti.entries[1].dn_hash[i]);
	snprintf(entry + len, sizeof entry - (size_t)len, "}, 65, 0, 23 },\n");
	assert_non_null(strstr(text, entry));

	char top[PATH_MAX];
	if (find_top(top, sizeof top) != 0 || run("command -v cc >/dev/null 2>&1") != 0) {
		print_message("# sources or cc not found: compile check skipped\n");
		skip();
	}
	assert_int_equal(run("cc -std=c11 -Wall -Wextra -Wconversion -Werror -I '%s/src' "
			     "-isystem '%s/vendor/src/bearssl-0.6/inc' -c '%s' -o '%s'",
				 top, top, source, object), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(issuer_from_handmade_starts),
		cmocka_unit_test(issuer_is_the_loaders_dn),
		cmocka_unit_test(lookup_gives_the_anchor_with_the_callers_dn),
		cmocka_unit_test(build_leaves_out_non_ca),
		cmocka_unit_test(build_refuses_what_it_cannot_hold),
		cmocka_unit_test(server_under_indexed_ca_validates),
		cmocka_unit_test(server_under_other_ca_is_not_trusted),
		cmocka_unit_test(intermediate_found_through_its_root),
		cmocka_unit_test(roots_sharing_a_name),
		cmocka_unit_test(colliding_hashes_leave_it_to_the_signature),
		cmocka_unit_test(issuer_beyond_the_prefix_is_not_trusted),
		cmocka_unit_test(embedded_index_matches_the_loader),
		cmocka_unit_test(every_bundle_root_validates_with_the_index),
		cmocka_unit_test(written_c_compiles),
	};
	return cmocka_run_group_tests_name("anchors", tests, NULL, NULL);
}
