#include "tls/x509_capture.h"

#include <stdio.h>
#include <string.h>

#include "base/trace.h"
#include "x509/cert.h"
#include "x509/der.h"

static jg_x509_capture *capture_of(const br_x509_class **ctx)
{
	return (jg_x509_capture *)(void *)ctx;
}

/* With the embedded index: no anchor for a certificate until its issuer is known. */
static void forget_issuer(jg_x509_capture *c)
{
	c->prefix_len = 0;
	c->issuer_done = 0;
	if (c->index != NULL) {
		c->minimal.trust_anchors = c->issuer_anchors;
		c->minimal.trust_anchors_num = 0;
	}
}

/*
 * Keep the certificate's first bytes until they hold its issuer Name, then give the minimal
 * engine the index's anchors for that Name (usually one; several for roots sharing a name). A
 * prefix that fills up first, or bytes that do not start a certificate, leave it none: the
 * chain is then not trusted, as it would not be with the whole table (no root's DN is that
 * long). The engine still verifies the certificate's signature with the anchor's key.
 */
static void find_issuer_anchors(jg_x509_capture *c, const unsigned char *buf, size_t len)
{
	size_t room = sizeof c->prefix - c->prefix_len;
	size_t n = len < room ? len : room;
	memcpy(c->prefix + c->prefix_len, buf, n);
	c->prefix_len += n;
	const unsigned char *issuer = NULL;
	size_t issuer_len = 0;
	jg_issuer_result found = jg_anchors_find_issuer(c->prefix, c->prefix_len, &issuer,
		&issuer_len);
	if (found == JG_ISSUER_MORE && c->prefix_len < sizeof c->prefix)
		return;
	c->issuer_done = 1;
	if (found == JG_ISSUER_FOUND)
		c->minimal.trust_anchors_num = jg_anchors_lookup(c->index, issuer, issuer_len,
			c->issuer_anchors, JG_ANCHORS_MATCH_MAX);
}

/* --- keeping the chain as it arrives ------------------------------------------------------------ */

static void capture_start_chain(const br_x509_class **ctx, const char *server_name)
{
	jg_x509_capture *c = capture_of(ctx);
	c->server_name = server_name;
	c->cert_count = 0;
	c->chain_len = 0;
	c->overflow = 0;
	c->path_len = 0;
}

static void capture_start_cert(const br_x509_class **ctx, uint32_t length)
{
	jg_x509_capture *c = capture_of(ctx);
	(void)length; /* what arrives is counted instead */
	if (c->cert_count == JG_X509_CHAIN_CERTS_MAX) {
		c->overflow = 1;
		return;
	}
	c->cert_start[c->cert_count] = c->chain_len;
	c->cert_len[c->cert_count] = 0;
	c->cert_count++;
}

static void capture_append(const br_x509_class **ctx, const unsigned char *buf, size_t len)
{
	jg_x509_capture *c = capture_of(ctx);
	if (c->overflow || c->cert_count == 0)
		return;
	if (len > sizeof c->chain - c->chain_len) {
		c->overflow = 1;
		return;
	}
	memcpy(c->chain + c->chain_len, buf, len);
	c->chain_len += len;
	c->cert_len[c->cert_count - 1] += len;
}

static void capture_end_cert(const br_x509_class **ctx)
{
	(void)ctx;
}

/* --- putting it in order --------------------------------------------------------------------- */

/* The whole issuer and subject Name TLVs of certificate i; 0 when its start is malformed. */
static int cert_names(const jg_x509_capture *c, size_t i, jg_der_span *issuer, jg_der_span *subject)
{
	jg_cert_fields f;
	if (jg_cert_walk_start(c->chain + c->cert_start[i], c->cert_len[i], JG_CERT_SUBJECT, &f) != 0)
		return 0;
	*issuer = f.field[JG_CERT_ISSUER].whole;
	*subject = f.field[JG_CERT_SUBJECT].whole;
	return 1;
}

static int same_name(jg_der_span a, jg_der_span b)
{
	return a.len == b.len && memcmp(a.data, b.data, a.len) == 0;
}

/*
 * The unused certificate whose subject is `issuer`, or cert_count when none is. When several
 * are (a cross-signed CA sent twice), the first sent is taken.
 */
static size_t find_issuer_cert(const jg_x509_capture *c, jg_der_span issuer, const int *used)
{
	for (size_t j = 0; j < c->cert_count; j++) {
		jg_der_span j_issuer, j_subject;
		if (!used[j] && cert_names(c, j, &j_issuer, &j_subject) && same_name(j_subject, issuer))
			return j;
	}
	return c->cert_count;
}

/* c->path: the leaf, then each certificate's issuer among those sent, until a self-issued one
 * or an issuer that was not sent. */
static void order_path(jg_x509_capture *c)
{
	int used[JG_X509_CHAIN_CERTS_MAX] = { 0 };
	size_t at = 0;
	c->path[0] = 0;
	c->path_len = 1;
	used[0] = 1;
	for (;;) {
		jg_der_span issuer, subject;
		if (!cert_names(c, at, &issuer, &subject) || same_name(issuer, subject))
			return;
		size_t next = find_issuer_cert(c, issuer, used);
		if (next == c->cert_count)
			return;
		used[next] = 1;
		c->path[c->path_len++] = next;
		at = next;
	}
}

static void trace_path(const jg_x509_capture *c)
{
	int in_order = c->path_len == c->cert_count;
	for (size_t i = 0; i < c->path_len; i++)
		in_order = in_order && c->path[i] == i;
	if (in_order || !jg_trace_enabled())
		return;
	char text[64] = "";
	size_t n = 0;
	for (size_t i = 0; i < c->path_len && n < sizeof text - 4; i++)
		n += (size_t)snprintf(text + n, sizeof text - n, "%s%zu", i > 0 ? ", " : "", c->path[i] + 1);
	jg_trace("server sent %zu certificates; validating certificates %s of them, in that order",
		c->cert_count, text);
}

/* Hand certificate i to the minimal engine as the TLS engine would, whole. */
static void feed_cert(jg_x509_capture *c, size_t i)
{
	const br_x509_class **minimal = &c->minimal.vtable;
	const unsigned char *der = c->chain + c->cert_start[i];
	forget_issuer(c);
	(*minimal)->start_cert(minimal, (uint32_t)c->cert_len[i]);
	if (c->index != NULL)
		find_issuer_anchors(c, der, c->cert_len[i]);
	(*minimal)->append(minimal, der, c->cert_len[i]);
	(*minimal)->end_cert(minimal);
}

/* --- the checks after BearSSL's ----------------------------------------------------------------- */

/*
 * Whether the subjectAltName extension value (GeneralNames ::= SEQUENCE OF GeneralName) lists
 * the address ip[0..ip_len): iPAddress is [7] IMPLICIT OCTET STRING of 4 or 16 bytes.
 */
static int names_ip(const jg_der_span *ext_value, const unsigned char *ip, size_t ip_len)
{
	jg_der_reader outer, names;
	jg_der_tlv name;
	jg_der_reader_init(&outer, ext_value->data, ext_value->len);
	if (jg_der_enter(&outer, JG_DER_SEQUENCE, &names) != JG_DER_OK)
		return 0;
	while (jg_der_read(&names, &name) == JG_DER_OK) {
		if (name.tag == JG_DER_CONTEXT_PRIMITIVE(7) && name.value.len == ip_len &&
			memcmp(name.value.data, ip, ip_len) == 0)
			return 1;
	}
	return 0;
}

/* Whether the certificate der[0..len) lists the address ip[0..ip_len) in its subjectAltName
 * (2.5.29.17). */
static int cert_has_ip(const unsigned char *der, size_t len, const unsigned char *ip, size_t ip_len)
{
	static const unsigned char san_oid[] = { 0x55, 0x1D, 0x11 };
	jg_cert_fields fields;
	jg_cert_extension san;
	return jg_cert_walk(der, len, &fields) == JG_DER_OK &&
		jg_cert_find_extension(&fields, san_oid, sizeof san_oid, &san) == JG_DER_OK &&
		names_ip(&san.value, ip, ip_len);
}

/* ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId (an OID): whether it holds
 * serverAuth or anyExtendedKeyUsage. */
static int purposes_allow_server(const jg_der_span *ext_value)
{
	static const unsigned char server_auth[] = { 0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01 };
	static const unsigned char any_purpose[] = { 0x55, 0x1D, 0x25, 0x00 };
	jg_der_reader outer, purposes;
	jg_der_tlv purpose;
	jg_der_reader_init(&outer, ext_value->data, ext_value->len);
	if (jg_der_enter(&outer, JG_DER_SEQUENCE, &purposes) != JG_DER_OK ||
		jg_der_expect_end(&outer) != JG_DER_OK)
		return 0;
	while (jg_der_read_expect(&purposes, JG_DER_OID, &purpose) == JG_DER_OK) {
		if (jg_der_span_equals(purpose.value, server_auth, sizeof server_auth) ||
			jg_der_span_equals(purpose.value, any_purpose, sizeof any_purpose))
			return 1;
	}
	return 0;
}

int jg_x509_capture_allows_server(const unsigned char *der, size_t len)
{
	static const unsigned char eku_oid[] = { 0x55, 0x1D, 0x25 };
	jg_cert_fields fields;
	jg_cert_extension eku;
	if (jg_cert_walk(der, len, &fields) != JG_DER_OK)
		return 0;
	int found = jg_cert_find_extension(&fields, eku_oid, sizeof eku_oid, &eku);
	if (found == JG_DER_END)
		return 1;
	return found == JG_DER_OK && purposes_allow_server(&eku.value);
}

static unsigned capture_end_chain(const br_x509_class **ctx)
{
	jg_x509_capture *c = capture_of(ctx);
	const br_x509_class **minimal = &c->minimal.vtable;
	if (c->overflow)
		return JG_X509_ERR_CHAIN_TOO_LARGE;
	(*minimal)->start_chain(minimal, c->server_name);
	if (c->cert_count > 0) {
		order_path(c);
		trace_path(c);
	}
	for (size_t i = 0; i < c->path_len; i++)
		feed_cert(c, c->path[i]);
	unsigned result = (*minimal)->end_chain(minimal);
	if (result != BR_ERR_OK)
		return result;
	const unsigned char *leaf = c->chain + c->cert_start[0];
	if (!jg_x509_capture_allows_server(leaf, c->cert_len[0]))
		return JG_X509_ERR_NOT_FOR_SERVER;
	if (c->ip_len > 0 && !cert_has_ip(leaf, c->cert_len[0], c->ip, c->ip_len))
		return BR_ERR_X509_BAD_SERVER_NAME;
	return BR_ERR_OK;
}

static const br_x509_pkey *capture_get_pkey(const br_x509_class *const *ctx, unsigned *usages)
{
	const jg_x509_capture *c = (const jg_x509_capture *)(const void *)ctx;
	return c->minimal.vtable->get_pkey(&c->minimal.vtable, usages);
}

static const br_x509_class capture_vtable = {
	sizeof(jg_x509_capture),
	capture_start_chain,
	capture_start_cert,
	capture_append,
	capture_end_cert,
	capture_end_chain,
	capture_get_pkey,
};

/*
 * Certificates: signatures with SHA-256/384/512 only (a SHA-1 signature is refused as an
 * unsupported algorithm); RSA and ECDSA with the code BearSSL picks for this machine.
 */
void jg_x509_capture_init(jg_x509_capture *c, const jg_trust *trust, int64_t now)
{
	br_x509_minimal_context *xc = &c->minimal;
	br_x509_minimal_init(xc, &br_sha256_vtable, trust->anchors, trust->count);
	br_x509_minimal_set_hash(xc, br_sha256_ID, &br_sha256_vtable);
	br_x509_minimal_set_hash(xc, br_sha384_ID, &br_sha384_vtable);
	br_x509_minimal_set_hash(xc, br_sha512_ID, &br_sha512_vtable);
	br_x509_minimal_set_rsa(xc, br_rsa_pkcs1_vrfy_get_default());
	br_x509_minimal_set_ecdsa(xc, br_ec_get_default(), br_ecdsa_vrfy_asn1_get_default());
	/* Days since 0000-01-01 (719528 of them before the epoch) and seconds in the day. */
	br_x509_minimal_set_time(xc, (uint32_t)(719528 + now / 86400), (uint32_t)(now % 86400));
	c->index = trust->index;
	c->cert_count = 0;
	c->chain_len = 0;
	c->overflow = 0;
	c->path_len = 0;
	c->ip_len = 0;
	forget_issuer(c);
	c->vtable = &capture_vtable;
}

const unsigned char *jg_x509_capture_leaf(const jg_x509_capture *c, size_t *len)
{
	*len = 0;
	if (c->cert_count == 0 || c->overflow)
		return NULL;
	*len = c->cert_len[0];
	return c->chain + c->cert_start[0];
}
