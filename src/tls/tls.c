#include "tls/tls.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/random.h>

#include "x509/cert.h"
#include "x509/der.h"
#include "base/clock.h"
#include <stdio.h>
#include "net/net.h"
#include "base/trace.h"
#include "base/wipe.h"

/* --- the certificate-capturing x509 engine ---------------------------------------------------- */

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

static void capture_start_chain(const br_x509_class **ctx, const char *server_name)
{
	jg_x509_capture *c = capture_of(ctx);
	c->cert_len = 0;
	c->cert_index = 0;
	c->cert_overflow = 0;
	forget_issuer(c);
	c->minimal.vtable->start_chain(&c->minimal.vtable, server_name);
}

static void capture_start_cert(const br_x509_class **ctx, uint32_t length)
{
	jg_x509_capture *c = capture_of(ctx);
	c->cert_index++;
	forget_issuer(c);
	c->minimal.vtable->start_cert(&c->minimal.vtable, length);
}

static void capture_append(const br_x509_class **ctx, const unsigned char *buf, size_t len)
{
	jg_x509_capture *c = capture_of(ctx);
	if (c->index != NULL && !c->issuer_done)
		find_issuer_anchors(c, buf, len);
	if (c->cert_index == 1) {
		if (len <= sizeof c->cert - c->cert_len) {
			memcpy(c->cert + c->cert_len, buf, len);
			c->cert_len += len;
		} else {
			c->cert_overflow = 1;
		}
	}
	c->minimal.vtable->append(&c->minimal.vtable, buf, len);
}

static void capture_end_cert(const br_x509_class **ctx)
{
	jg_x509_capture *c = capture_of(ctx);
	c->minimal.vtable->end_cert(&c->minimal.vtable);
}

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

static unsigned capture_end_chain(const br_x509_class **ctx)
{
	jg_x509_capture *c = capture_of(ctx);
	unsigned result = c->minimal.vtable->end_chain(&c->minimal.vtable);
	if (result == BR_ERR_OK && c->ip_len > 0 &&
		(c->cert_overflow || !cert_has_ip(c->cert, c->cert_len, c->ip, c->ip_len)))
		return BR_ERR_X509_BAD_SERVER_NAME;
	return result;
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

/* --- engine set-up ------------------------------------------------------------------------------- */

/*
 * The suites we offer: TLS 1.2, ECDHE (forward secrecy) with an RSA or an ECDSA certificate,
 * and an AEAD cipher, else AES-CBC with HMAC-SHA-256/384. The order is BearSSL's own
 * (br_ssl_client_init_full): ChaCha20-Poly1305, then AES-GCM, then CBC; AES-128 before AES-256.
 * Most servers pick by their own order anyway. Left out, though br_ssl_client_init_full offers
 * them: static RSA and static ECDH key exchange (no forward secrecy), 3DES (64-bit blocks) and
 * AES-CCM (made for small devices; servers that have it have GCM too). Left out as well: the
 * CBC suites with HMAC-SHA-1. They would need SHA-1 in the engine, and BearSSL announces every
 * hash of the engine in signature_algorithms, so the server could then sign its key exchange
 * with SHA-1. A server that speaks TLS 1.2 yet has only those suites runs a TLS 1.0 era set-up.
 * The names are OpenSSL's, as servers log them and `openssl s_client` shows them.
 */
enum jg_record_cipher { JG_CHACHA20_POLY1305, JG_AES_GCM, JG_AES_CBC };

static const struct {
	uint16_t id;
	enum jg_record_cipher cipher;
	const char *name;
} offered_suites[] = {
	{ BR_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, JG_CHACHA20_POLY1305,
		"ECDHE-ECDSA-CHACHA20-POLY1305" },
	{ BR_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, JG_CHACHA20_POLY1305,
		"ECDHE-RSA-CHACHA20-POLY1305" },
	{ BR_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, JG_AES_GCM, "ECDHE-ECDSA-AES128-GCM-SHA256" },
	{ BR_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, JG_AES_GCM, "ECDHE-RSA-AES128-GCM-SHA256" },
	{ BR_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, JG_AES_GCM, "ECDHE-ECDSA-AES256-GCM-SHA384" },
	{ BR_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, JG_AES_GCM, "ECDHE-RSA-AES256-GCM-SHA384" },
	{ BR_TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, JG_AES_CBC, "ECDHE-ECDSA-AES128-SHA256" },
	{ BR_TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256, JG_AES_CBC, "ECDHE-RSA-AES128-SHA256" },
	{ BR_TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384, JG_AES_CBC, "ECDHE-ECDSA-AES256-SHA384" },
	{ BR_TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384, JG_AES_CBC, "ECDHE-RSA-AES256-SHA384" },
};

#define JG_SUITES_OFFERED (sizeof offered_suites / sizeof offered_suites[0])

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
	forget_issuer(c);
	c->vtable = &capture_vtable;
}

/*
 * The client engine, set up as br_ssl_client_init_full does but for the suites above, and with
 * the implementations BearSSL's default selectors pick at run time: AES-NI and PCLMUL for AES
 * and GHASH where the CPU has them (else the portable constant-time ct64 and ctmul64 code),
 * SSE2 ChaCha20 and 64-bit-multiplication Poly1305, the i62 RSA code (i31 where the compiler has
 * no 128-bit multiplication), and the m31 elliptic-curve code: specialised P-256 and X25519,
 * generic i31 for P-384 and P-521. Hashes: SHA-256 and SHA-384 (the TLS 1.2 PRFs, the CBC
 * suites' HMAC, signatures; SHA-256 also seeds the engine's HMAC_DRBG) and SHA-512 (signatures).
 * No SHA-1 and no MD5: with TLS 1.2 and these suites the engine uses them for nothing but SHA-1
 * signatures, which we do not want; TLS 1.0/1.1 and the HMAC-SHA-1 suites, which would need
 * them, are not offered.
 */
static void init_client(jg_tls *t, const jg_trust *trust)
{
	br_ssl_client_context *cc = &t->client;
	br_ssl_engine_context *eng = &cc->eng;
	uint16_t suites[JG_SUITES_OFFERED];
	for (size_t i = 0; i < JG_SUITES_OFFERED; i++)
		suites[i] = offered_suites[i].id;
	br_ssl_client_zero(cc);
	br_ssl_engine_set_versions(eng, BR_TLS12, BR_TLS12);
	br_ssl_engine_set_suites(eng, suites, JG_SUITES_OFFERED);
	br_ssl_engine_set_default_rsavrfy(eng);
	br_ssl_engine_set_default_ecdsa(eng); /* sets the m31 curves for ECDHE as well */
	br_ssl_engine_set_hash(eng, br_sha256_ID, &br_sha256_vtable);
	br_ssl_engine_set_hash(eng, br_sha384_ID, &br_sha384_vtable);
	br_ssl_engine_set_hash(eng, br_sha512_ID, &br_sha512_vtable);
	br_ssl_engine_set_prf_sha256(eng, &br_tls12_sha256_prf);
	br_ssl_engine_set_prf_sha384(eng, &br_tls12_sha384_prf);
	br_ssl_engine_set_default_chapol(eng);
	br_ssl_engine_set_default_aes_gcm(eng);
	br_ssl_engine_set_default_aes_cbc(eng);
	jg_x509_capture_init(&t->x509, trust, t->now);
	br_ssl_engine_set_x509(eng, &t->x509.vtable);
	br_ssl_engine_set_buffer(eng, t->iobuf, sizeof t->iobuf, 0);
}

static jg_status inject_entropy(jg_tls *t, jg_error *err)
{
	unsigned char seed[32];
	size_t got = 0;
	while (got < sizeof seed) {
		ssize_t n = getrandom(seed + got, sizeof seed - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return jg_fail(err, JG_ERR_TLS, "no randomness for TLS: getrandom failed: %s",
				strerror(errno));
		got += (size_t)n;
	}
	br_ssl_engine_inject_entropy(&t->client.eng, seed, sizeof seed);
	jg_wipe(seed, sizeof seed);
	return JG_OK;
}

/* --- errors ----------------------------------------------------------------------------------------- */

static jg_status explain_alert(int alert, int received, const jg_tls *t, jg_error *err)
{
	if (received && alert == 70)
		return jg_fail(err, JG_ERR_TLS, "TLS handshake with %s refused (protocol_version): the server "
			"requires TLS 1.3, and jwtgrant speaks TLS 1.2 (BearSSL's highest)", t->host);
	if (received && (alert == 40 || alert == 71))
		return jg_fail(err, JG_ERR_TLS, "TLS handshake with %s refused (alert %d): no common TLS 1.2 "
			"cipher suite (jwtgrant offers ECDHE with ChaCha20-Poly1305, AES-GCM or AES-CBC); the "
			"server may require TLS 1.3", t->host, alert);
	return jg_fail(err, JG_ERR_TLS, "TLS with %s failed: %s fatal alert %d", t->host,
		received ? "the server sent" : "jwtgrant sent", alert);
}

static jg_status explain_x509(int code, const jg_tls *t, jg_error *err)
{
	char clock[32];
	jg_clock_iso8601(t->now, clock);
	switch (code) {
	case BR_ERR_X509_EXPIRED:
		return jg_fail(err, JG_ERR_TLS, "server certificate of %s is expired or not yet valid "
			"(local clock: %s); if the clock is wrong, fix it", t->host, clock);
	case BR_ERR_X509_BAD_SERVER_NAME:
		if (t->x509.ip_len > 0)
			return jg_fail(err, JG_ERR_TLS, "server certificate does not name the address %s "
				"(no iPAddress subjectAltName for it)", t->host);
		return jg_fail(err, JG_ERR_TLS, "server certificate is not for %s (another host's certificate)",
			t->host);
	case BR_ERR_X509_NOT_TRUSTED:
		return jg_fail(err, JG_ERR_TLS, "server certificate of %s is not trusted: its issuer is not "
			"in the trust set; behind a TLS-inspecting proxy, pass its CA with --cacert", t->host);
	case BR_ERR_X509_WEAK_PUBLIC_KEY:
		return jg_fail(err, JG_ERR_TLS, "server certificate of %s has a key too weak to trust", t->host);
	case BR_ERR_X509_FORBIDDEN_KEY_USAGE:
		return jg_fail(err, JG_ERR_TLS, "server certificate of %s does not allow TLS server use", t->host);
	default:
		return jg_fail(err, JG_ERR_TLS, "server certificate of %s was refused (BearSSL X.509 error %d)",
			t->host, code);
	}
}

/* BearSSL's SSL engine errors (bearssl_ssl.h), each with its name and what it means here. */
static const struct {
	int code;
	const char *name, *meaning;
} engine_errors[] = {
	{ BR_ERR_BAD_PARAM, "BR_ERR_BAD_PARAM", "bad parameter" },
	{ BR_ERR_BAD_STATE, "BR_ERR_BAD_STATE", "engine used in the wrong state" },
	{ BR_ERR_UNSUPPORTED_VERSION, "BR_ERR_UNSUPPORTED_VERSION", "the server chose a TLS version other than 1.2" },
	{ BR_ERR_BAD_VERSION, "BR_ERR_BAD_VERSION", "a record with an unexpected TLS version" },
	{ BR_ERR_BAD_LENGTH, "BR_ERR_BAD_LENGTH", "a record with an invalid length" },
	{ BR_ERR_TOO_LARGE, "BR_ERR_TOO_LARGE", "a record too large for the buffer" },
	{ BR_ERR_BAD_MAC, "BR_ERR_BAD_MAC", "a record failed its integrity check (corrupted or tampered)" },
	{ BR_ERR_NO_RANDOM, "BR_ERR_NO_RANDOM", "no source of randomness" },
	{ BR_ERR_UNKNOWN_TYPE, "BR_ERR_UNKNOWN_TYPE", "a record of unknown type" },
	{ BR_ERR_UNEXPECTED, "BR_ERR_UNEXPECTED", "an unexpected message from the server" },
	{ BR_ERR_BAD_CCS, "BR_ERR_BAD_CCS", "a malformed ChangeCipherSpec" },
	{ BR_ERR_BAD_ALERT, "BR_ERR_BAD_ALERT", "a malformed alert" },
	{ BR_ERR_BAD_HANDSHAKE, "BR_ERR_BAD_HANDSHAKE", "a malformed handshake message" },
	{ BR_ERR_OVERSIZED_ID, "BR_ERR_OVERSIZED_ID", "a session ID longer than 32 bytes" },
	{ BR_ERR_BAD_CIPHER_SUITE, "BR_ERR_BAD_CIPHER_SUITE", "the server chose a cipher suite we did not offer" },
	{ BR_ERR_BAD_COMPRESSION, "BR_ERR_BAD_COMPRESSION", "the server chose compression" },
	{ BR_ERR_BAD_FRAGLEN, "BR_ERR_BAD_FRAGLEN", "a bad maximum fragment length" },
	{ BR_ERR_BAD_SECRENEG, "BR_ERR_BAD_SECRENEG", "secure renegotiation failed" },
	{ BR_ERR_EXTRA_EXTENSION, "BR_ERR_EXTRA_EXTENSION", "an extension we did not ask for" },
	{ BR_ERR_BAD_SNI, "BR_ERR_BAD_SNI", "a malformed server name" },
	{ BR_ERR_BAD_HELLO_DONE, "BR_ERR_BAD_HELLO_DONE", "a malformed ServerHelloDone" },
	{ BR_ERR_LIMIT_EXCEEDED, "BR_ERR_LIMIT_EXCEEDED", "an internal limit was exceeded" },
	{ BR_ERR_BAD_FINISHED, "BR_ERR_BAD_FINISHED", "the Finished message did not match" },
	{ BR_ERR_RESUME_MISMATCH, "BR_ERR_RESUME_MISMATCH", "a session resumption mismatch" },
	{ BR_ERR_INVALID_ALGORITHM, "BR_ERR_INVALID_ALGORITHM", "an unsupported or invalid algorithm" },
	{ BR_ERR_BAD_SIGNATURE, "BR_ERR_BAD_SIGNATURE", "the server's key exchange signature does not verify" },
	{ BR_ERR_WRONG_KEY_USAGE, "BR_ERR_WRONG_KEY_USAGE", "the server key's usage forbids this key exchange" },
	{ BR_ERR_NO_CLIENT_AUTH, "BR_ERR_NO_CLIENT_AUTH", "the server asked for a client certificate" },
	{ BR_ERR_IO, "BR_ERR_IO", "the connection failed or closed during TLS" },
};

/* Turn the engine's last error into one sentence. */
static jg_status explain_engine_error(const jg_tls *t, jg_error *err)
{
	int code = br_ssl_engine_last_error(&t->client.eng);
	if (code >= BR_ERR_SEND_FATAL_ALERT)
		return explain_alert(code - BR_ERR_SEND_FATAL_ALERT, 0, t, err);
	if (code >= BR_ERR_RECV_FATAL_ALERT)
		return explain_alert(code - BR_ERR_RECV_FATAL_ALERT, 1, t, err);
	if (code >= BR_ERR_X509_OK)
		return explain_x509(code, t, err);
	if (code == BR_ERR_UNSUPPORTED_VERSION || code == BR_ERR_BAD_VERSION)
		return jg_fail(err, JG_ERR_TLS, "TLS with %s failed: the server does not speak TLS 1.2 "
			"(it may require TLS 1.3, which BearSSL lacks)", t->host);
	if (code == BR_ERR_NO_RANDOM)
		return jg_fail(err, JG_ERR_TLS, "TLS failed: no source of randomness");
	for (size_t i = 0; i < sizeof engine_errors / sizeof engine_errors[0]; i++) {
		if (engine_errors[i].code == code)
			return jg_fail(err, JG_ERR_TLS, "TLS with %s failed: %s (%s)", t->host,
				engine_errors[i].meaning, engine_errors[i].name);
	}
	return jg_fail(err, JG_ERR_TLS, "TLS with %s failed: BearSSL error %d", t->host, code);
}

/* --- the I/O loop ------------------------------------------------------------------------------------ */

static jg_status send_records(jg_tls *t, jg_error *err)
{
	size_t len = 0;
	unsigned char *buf = br_ssl_engine_sendrec_buf(&t->client.eng, &len);
	jg_status st = jg_net_write_all(t->fd, buf, len, t->deadline_ms, err);
	if (st == JG_OK)
		br_ssl_engine_sendrec_ack(&t->client.eng, len);
	return st;
}

static jg_status receive_records(jg_tls *t, jg_error *err)
{
	size_t len = 0, got = 0;
	unsigned char *buf = br_ssl_engine_recvrec_buf(&t->client.eng, &len);
	jg_status st = jg_net_read_some(t->fd, buf, len, &got, t->deadline_ms, err);
	if (st != JG_OK)
		return st;
	if (got == 0) {
		t->peer_closed = 1;
		return JG_OK;
	}
	br_ssl_engine_recvrec_ack(&t->client.eng, got);
	return JG_OK;
}

/*
 * Run the engine until one of the `wanted` states is reached (BR_SSL_SENDAPP, BR_SSL_RECVAPP),
 * the engine closes, or the peer closes the socket. Records to send always go first.
 */
static jg_status run_engine(jg_tls *t, unsigned wanted, jg_error *err)
{
	for (;;) {
		unsigned state = br_ssl_engine_current_state(&t->client.eng);
		if (state & BR_SSL_CLOSED)
			return br_ssl_engine_last_error(&t->client.eng) == BR_ERR_OK ? JG_OK :
				explain_engine_error(t, err);
		if (state & BR_SSL_SENDREC) {
			jg_status st = send_records(t, err);
			if (st != JG_OK)
				return st;
			continue;
		}
		if (state & wanted)
			return JG_OK;
		if (t->peer_closed)
			return JG_OK;
		if (state & BR_SSL_RECVREC) {
			jg_status st = receive_records(t, err);
			if (st != JG_OK)
				return st;
			continue;
		}
		return jg_fail(err, JG_ERR_TLS, "TLS engine stalled (state %u)", state);
	}
}

jg_status jg_tls_handshake(jg_tls *t, int fd, const char *host, const jg_trust *trust,
	int64_t now, int64_t deadline_ms, jg_error *err)
{
	t->fd = fd;
	t->deadline_ms = deadline_ms;
	t->peer_closed = 0;
	t->now = now;
	(void)snprintf(t->host, sizeof t->host, "%s", host);
	init_client(t, trust);
	jg_status st = inject_entropy(t, err);
	if (st != JG_OK)
		return st;
	t->x509.ip_len = 0;
	if (inet_pton(AF_INET, host, t->x509.ip) == 1)
		t->x509.ip_len = 4;
	else if (inet_pton(AF_INET6, host, t->x509.ip) == 1)
		t->x509.ip_len = 16;
	if (t->x509.ip_len > 0)
		jg_trace("%s is an IP address: no SNI; the certificate must name it as an iPAddress SAN", host);
	/* No server name for an IP literal: BearSSL then sends no SNI and matches no DNS name. */
	if (!br_ssl_client_reset(&t->client, t->x509.ip_len > 0 ? NULL : host, 0))
		return explain_engine_error(t, err);
	st = run_engine(t, BR_SSL_SENDAPP, err);
	if (st != JG_OK)
		return st;
	unsigned state = br_ssl_engine_current_state(&t->client.eng);
	if (state & BR_SSL_CLOSED)
		return explain_engine_error(t, err);
	if (!(state & BR_SSL_SENDAPP))
		return jg_fail(err, JG_ERR_TLS, "%s closed the connection during the TLS handshake "
			"(it may require TLS 1.3, or refuse our cipher suites)", host);
	return JG_OK;
}

jg_status jg_tls_write_all(jg_tls *t, const void *data, size_t len, jg_error *err)
{
	const unsigned char *p = data;
	br_ssl_engine_context *eng = &t->client.eng;
	while (len > 0) {
		jg_status st = run_engine(t, BR_SSL_SENDAPP, err);
		if (st != JG_OK)
			return st;
		if (!(br_ssl_engine_current_state(eng) & BR_SSL_SENDAPP))
			return jg_fail(err, JG_ERR_NETWORK, "%s closed the connection while we were sending", t->host);
		size_t room = 0;
		unsigned char *buf = br_ssl_engine_sendapp_buf(eng, &room);
		size_t n = len < room ? len : room;
		memcpy(buf, p, n);
		br_ssl_engine_sendapp_ack(eng, n);
		p += n;
		len -= n;
	}
	br_ssl_engine_flush(eng, 0);
	return run_engine(t, BR_SSL_SENDAPP | BR_SSL_RECVAPP, err);
}

jg_status jg_tls_read(jg_tls *t, void *buf, size_t cap, size_t *got, jg_error *err)
{
	br_ssl_engine_context *eng = &t->client.eng;
	*got = 0;
	jg_status st = run_engine(t, BR_SSL_RECVAPP, err);
	if (st != JG_OK)
		return st;
	if (!(br_ssl_engine_current_state(eng) & BR_SSL_RECVAPP))
		return JG_OK; /* closed: by close_notify, or the socket's end */
	size_t avail = 0;
	unsigned char *data = br_ssl_engine_recvapp_buf(eng, &avail);
	size_t n = avail < cap ? avail : cap;
	memcpy(buf, data, n);
	br_ssl_engine_recvapp_ack(eng, n);
	*got = n;
	return JG_OK;
}

void jg_tls_close(jg_tls *t)
{
	br_ssl_engine_context *eng = &t->client.eng;
	unsigned state = br_ssl_engine_current_state(eng);
	if (!(state & BR_SSL_CLOSED) && !t->peer_closed) {
		jg_error ignored;
		br_ssl_engine_close(eng);
		/* Send our close_notify if the socket takes it at once; never wait for the peer's. */
		int64_t saved = t->deadline_ms;
		t->deadline_ms = jg_net_now_ms();
		if (br_ssl_engine_current_state(eng) & BR_SSL_SENDREC)
			(void)send_records(t, &ignored);
		t->deadline_ms = saved;
	}
	jg_wipe(&t->client, sizeof t->client);
	jg_wipe(t->iobuf, sizeof t->iobuf);
}

static const char *suite_name(uint16_t suite)
{
	for (size_t i = 0; i < JG_SUITES_OFFERED; i++) {
		if (offered_suites[i].id == suite)
			return offered_suites[i].name;
	}
	return "unknown suite";
}

/* AES-GCM's two halves, each AES-NI / PCLMUL or BearSSL's portable code. */
static const char *gcm_code(const br_ssl_engine_context *eng)
{
	int aes_ni = eng->iaes_ctr == br_aes_x86ni_ctr_get_vtable();
	int pclmul = eng->ighash == br_ghash_pclmul_get();
	if (aes_ni)
		return pclmul ? "AES-NI and PCLMUL" : "AES-NI, portable GHASH";
	return pclmul ? "portable AES, PCLMUL" : "portable constant-time AES and GHASH";
}

/*
 * Which code runs the record cipher of `suite`: what BearSSL's default selectors put in the
 * engine (read from its fields, which bearssl_ssl.h declares but offers no getter for). The
 * x86 code is named; anything else is called portable.
 */
static const char *record_code(const br_ssl_engine_context *eng, uint16_t suite)
{
	for (size_t i = 0; i < JG_SUITES_OFFERED; i++) {
		if (offered_suites[i].id != suite)
			continue;
		switch (offered_suites[i].cipher) {
		case JG_CHACHA20_POLY1305:
			return eng->ichacha == br_chacha20_sse2_get() ? "SSE2 ChaCha20" : "portable ChaCha20";
		case JG_AES_GCM:
			return gcm_code(eng);
		case JG_AES_CBC:
			return eng->iaes_cbcenc == br_aes_x86ni_cbcenc_get_vtable() ? "AES-NI" :
				"portable constant-time AES";
		}
	}
	return "unknown";
}

void jg_tls_trace_session(const jg_tls *t)
{
	if (!jg_trace_enabled())
		return;
	br_ssl_session_parameters sp;
	br_ssl_engine_get_session_parameters(&t->client.eng, &sp);
	jg_trace("TLS 1.2 connection using %s (%s)", suite_name(sp.cipher_suite),
		record_code(&t->client.eng, sp.cipher_suite));
	jg_cert_info info;
	jg_error ignored;
	if (t->x509.cert_overflow || jg_cert_parse(t->x509.cert, t->x509.cert_len, &info, &ignored) != JG_OK) {
		jg_trace("server certificate: (not shown: %zu bytes, not parsed)", t->x509.cert_len);
		return;
	}
	char until[32];
	jg_clock_iso8601(info.not_after, until);
	jg_trace("server certificate subject: %s", info.subject);
	jg_trace("server certificate issuer: %s", info.issuer);
	jg_trace("server certificate expires: %s", until);
}
