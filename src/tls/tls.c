#include "tls/tls.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/random.h>

#include "base/clock.h"
#include "base/trace.h"
#include "base/wipe.h"
#include "net/net.h"
#include "tls/tls_error.h"
#include "x509/cert.h"

/* --- the client certificate we do not have ----------------------------------------------------- */

static void auth_no_name_list(const br_ssl_client_certificate_class **ctx)
{
	(void)ctx;
}

static void auth_no_name(const br_ssl_client_certificate_class **ctx, size_t len)
{
	(void)ctx;
	(void)len;
}

static void auth_no_name_bytes(const br_ssl_client_certificate_class **ctx,
	const unsigned char *data, size_t len)
{
	(void)ctx;
	(void)data;
	(void)len;
}

/* The server sent a CertificateRequest: note it, and offer no certificate (an empty chain). */
static void auth_choose(const br_ssl_client_certificate_class **ctx,
	const br_ssl_client_context *cc, uint32_t auth_types, br_ssl_client_certificate *choices)
{
	(void)cc;
	(void)auth_types;
	((jg_tls_client_auth *)(void *)ctx)->requested = 1;
	memset(choices, 0, sizeof *choices);
}

/* Never called: with an empty chain the engine neither signs nor does static ECDH. */
static uint32_t auth_no_keyx(const br_ssl_client_certificate_class **ctx, unsigned char *data,
	size_t *len)
{
	(void)ctx;
	(void)data;
	(void)len;
	return 0;
}

static size_t auth_no_sign(const br_ssl_client_certificate_class **ctx, int hash_id,
	size_t hv_len, unsigned char *data, size_t len)
{
	(void)ctx;
	(void)hash_id;
	(void)hv_len;
	(void)data;
	(void)len;
	return 0;
}

static const br_ssl_client_certificate_class client_auth_vtable = {
	sizeof(jg_tls_client_auth),
	auth_no_name_list,
	auth_no_name,
	auth_no_name_bytes,
	auth_no_name_list,
	auth_no_name_list,
	auth_choose,
	auth_no_keyx,
	auth_no_sign,
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
	t->client_auth.vtable = &client_auth_vtable;
	t->client_auth.requested = 0;
	br_ssl_client_set_client_certificate(cc, &t->client_auth.vtable);
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

/*
 * A fatal alert, by its name. protocol_version and handshake_failure / insufficient_security
 * before any certificate are what servers send when they want TLS 1.3 or have no suite in
 * common; the rest name the alert, its number and who sent it.
 */
static jg_status explain_alert(int alert, int received, const jg_tls *t, jg_error *err)
{
	const char *name = jg_tls_error_alert_name(alert);
	if (received && alert == 70)
		return jg_fail(err, JG_ERR_TLS, "TLS handshake with %s refused (protocol_version): the server "
			"requires TLS 1.3, and jwtgrant speaks TLS 1.2 (BearSSL's highest)", t->host);
	if (received && (alert == 40 || alert == 71))
		return jg_fail(err, JG_ERR_TLS, "TLS handshake with %s refused (%s, alert %d): no common TLS "
			"1.2 cipher suite (jwtgrant offers ECDHE with ChaCha20-Poly1305, AES-GCM or AES-CBC); the "
			"server may require TLS 1.3", t->host, name, alert);
	if (name == NULL)
		name = "an alert no standard defines";
	if (received)
		return jg_fail(err, JG_ERR_TLS, "TLS with %s failed: the server sent the fatal alert %s "
			"(%d)", t->host, name, alert);
	return jg_fail(err, JG_ERR_TLS, "TLS with %s failed: jwtgrant ended the handshake with the fatal "
		"alert %s (%d)", t->host, name, alert);
}

/* A code of the error table: "<what> <host> <verb>: <meaning> (<name>, <code>)[; <fix>]". */
static jg_status explain_code(const char *what, const char *verb, int code, const jg_tls *t,
	jg_error *err)
{
	const jg_tls_error_entry *e = jg_tls_error_find(code);
	if (e == NULL)
		return jg_fail(err, JG_ERR_TLS, "%s %s %s: BearSSL error %d, which BearSSL 0.6 does not "
			"define", what, t->host, verb, code);
	return jg_fail(err, JG_ERR_TLS, "%s %s %s: %s (%s, %d)%s%s", what, t->host, verb, e->meaning,
		e->name, code, e->fix != NULL ? "; " : "", e->fix != NULL ? e->fix : "");
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
	case JG_X509_ERR_NOT_FOR_SERVER:
		return jg_fail(err, JG_ERR_TLS, "server certificate of %s is not for TLS servers: its "
			"extendedKeyUsage lacks serverAuth (it is for other purposes, such as client "
			"authentication); the server needs a certificate issued for TLS server use", t->host);
	case JG_X509_ERR_CHAIN_TOO_LARGE:
		return jg_fail(err, JG_ERR_TLS, "server certificate chain of %s is too large: over %d "
			"certificates or %d bytes", t->host, JG_X509_CHAIN_CERTS_MAX, JG_X509_CHAIN_MAX);
	default:
		return explain_code("server certificate of", "refused", code, t, err);
	}
}

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
	return explain_code("TLS with", "failed", code, t, err);
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

/*
 * t->host: the name the certificate must carry and SNI sends, without the final dot of a fully
 * qualified "sf.test." (RFC 6066 3: no trailing dot in SNI; certificates never have one). An IP
 * literal goes into t->x509.ip for the capture's iPAddress check.
 */
static void set_server_name(jg_tls *t, const char *host)
{
	(void)snprintf(t->host, sizeof t->host, "%s", host);
	size_t n = strlen(t->host);
	if (n > 1 && t->host[n - 1] == '.') {
		t->host[n - 1] = '\0';
		jg_trace("host %s: the certificate name check and SNI use %s", host, t->host);
	}
	t->x509.ip_len = 0;
	if (inet_pton(AF_INET, t->host, t->x509.ip) == 1)
		t->x509.ip_len = 4;
	else if (inet_pton(AF_INET6, t->host, t->x509.ip) == 1)
		t->x509.ip_len = 16;
	if (t->x509.ip_len > 0)
		jg_trace("%s is an IP address: no SNI; the certificate must name it as an iPAddress SAN",
			t->host);
}

/*
 * A server that asked for a client certificate and got none ends the handshake its own way: an
 * alert (handshake_failure, certificate_required, bad_certificate), or a close that we see as
 * a broken pipe, a reset or an early end, depending on timing. Whichever it was, the cause is
 * the certificate we do not have.
 */
static jg_status explain_client_auth(const jg_tls *t, jg_error *err)
{
	return jg_fail(err, JG_ERR_TLS, "TLS handshake with %s failed: the server requires a client "
		"certificate (mutual TLS), which jwtgrant does not send; use an endpoint that does not ask "
		"for one", t->host);
}

static jg_status finish_handshake(jg_tls *t, jg_error *err)
{
	jg_status st = run_engine(t, BR_SSL_SENDAPP, err);
	unsigned state = br_ssl_engine_current_state(&t->client.eng);
	if (st == JG_OK && (state & BR_SSL_SENDAPP) && !(state & BR_SSL_CLOSED))
		return JG_OK;
	if (t->client_auth.requested)
		return explain_client_auth(t, err);
	if (st != JG_OK)
		return st;
	if (state & BR_SSL_CLOSED)
		return explain_engine_error(t, err);
	return jg_fail(err, JG_ERR_TLS, "%s closed the connection during the TLS handshake "
		"(it may require TLS 1.3, or refuse our cipher suites)", t->host);
}

jg_status jg_tls_handshake(jg_tls *t, int fd, const char *host, const jg_trust *trust,
	int64_t now, int64_t deadline_ms, jg_error *err)
{
	t->fd = fd;
	t->deadline_ms = deadline_ms;
	t->peer_closed = 0;
	t->now = now;
	init_client(t, trust);
	set_server_name(t, host);
	jg_status st = inject_entropy(t, err);
	if (st != JG_OK)
		return st;
	/* No server name for an IP literal: BearSSL then sends no SNI and matches no DNS name. */
	if (!br_ssl_client_reset(&t->client, t->x509.ip_len > 0 ? NULL : t->host, 0))
		return explain_engine_error(t, err);
	return finish_handshake(t, err);
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
	size_t leaf_len = 0;
	const unsigned char *leaf = jg_x509_capture_leaf(&t->x509, &leaf_len);
	if (leaf == NULL || jg_cert_parse(leaf, leaf_len, &info, &ignored) != JG_OK) {
		jg_trace("server certificate: (not shown: %zu bytes, not parsed)", leaf_len);
		return;
	}
	char until[32];
	jg_clock_iso8601(info.not_after, until);
	jg_trace("server certificate subject: %s", info.subject);
	jg_trace("server certificate issuer: %s", info.issuer);
	jg_trace("server certificate expires: %s", until);
}
