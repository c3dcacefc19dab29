/*
 * TLS: BearSSL's client engine driven over our own socket I/O, so that every read and write is
 * bounded by the command's deadline. TLS 1.2 only (BearSSL's highest), ECDHE with RSA or ECDSA
 * certificates, ChaCha20-Poly1305, AES-GCM or AES-CBC (HMAC-SHA-256/384), with the code BearSSL
 * picks for the CPU (AES-NI, PCLMUL, SSE2). Entropy comes from getrandom(), injected into
 * the engine (BearSSL 0.6 would look only for RDRAND and /dev/urandom). The server name is the
 * URL's host: sent as SNI and matched against the certificate's DNS names. For an IP-literal
 * host no SNI is sent (RFC 6066) and we check ourselves that the end-entity certificate carries
 * the address as an iPAddress subjectAltName, which BearSSL never matches. The end-entity
 * certificate is kept for the -v trace. With the embedded trust set, the anchors BearSSL checks
 * each certificate against are made from the anchor index as the certificate arrives.
 */
#ifndef JG_TLS_H
#define JG_TLS_H

#include <stddef.h>
#include <stdint.h>

#include <bearssl.h>

#include "tls/anchors.h"
#include "base/error.h"
#include "tls/trust.h"

#define JG_TLS_PEER_CERT_MAX 8192
/* First bytes of each certificate kept to find its issuer Name when trusting the embedded index:
 * the longest Mozilla root DN is under 300 bytes, so an issuer that ends later matches no root. */
#define JG_TLS_ISSUER_PREFIX_MAX 2048

/*
 * An x509 engine that wraps BearSSL's minimal one and copies the first certificate. With the
 * embedded trust set (an index, src/tls/anchors.h) it also gives the minimal engine, for each
 * certificate, the anchors of that certificate's issuer: it keeps the certificate's first bytes
 * until they hold the issuer Name, looks the Name up and points the engine's anchors at what it
 * found, all before the engine sees those bytes (it uses CA anchors only at a certificate's
 * end). The anchors' DN is the issuer Name in `prefix`, their keys are the index's.
 */
typedef struct jg_x509_capture {
	const br_x509_class *vtable;
	br_x509_minimal_context minimal;
	unsigned char cert[JG_TLS_PEER_CERT_MAX];
	size_t cert_len;
	int cert_index;
	int cert_overflow;
	unsigned char ip[16]; /* an IP-literal host: the address its certificate must name */
	size_t ip_len;        /* 4 or 16; 0 for a DNS name (BearSSL checks those itself) */
	const jg_anchor_index *index; /* the embedded set; NULL when the anchors were loaded */
	unsigned char prefix[JG_TLS_ISSUER_PREFIX_MAX]; /* the current certificate's first bytes */
	size_t prefix_len;
	int issuer_done; /* this certificate's anchors are settled (found, or none can be) */
	br_x509_trust_anchor issuer_anchors[JG_ANCHORS_MATCH_MAX];
} jg_x509_capture;

/*
 * Set c up for a chain: BearSSL's minimal engine with SHA-256/384/512, RSA and ECDSA, the
 * anchors of `trust` (made per certificate when it is the embedded index), validity checked at
 * epoch time `now`. The caller may register more hashes on c->minimal and then use &c->vtable
 * as a br_x509_class (the TLS engine does; so do the tests).
 */
void jg_x509_capture_init(jg_x509_capture *c, const jg_trust *trust, int64_t now);

typedef struct jg_tls {
	br_ssl_client_context client;
	jg_x509_capture x509;
	unsigned char iobuf[BR_SSL_BUFSIZE_MONO];
	int fd;
	int64_t deadline_ms;
	int peer_closed; /* the socket reached EOF */
	int64_t now;     /* epoch seconds used for certificate validity */
	char host[256];
} jg_tls;

/*
 * Run the handshake on the connected socket fd with `host` as server name, trusting `trust`,
 * checking certificate validity at epoch time `now`, until deadline_ms (monotonic). Errors:
 * JG_ERR_TLS with a sentence per cause (expired or not yet valid — with the local clock —,
 * another host's certificate, untrusted, handshake refused, server requires TLS 1.3, ...);
 * JG_ERR_NETWORK for timeouts and a peer that closed during the handshake.
 */
jg_status jg_tls_handshake(jg_tls *t, int fd, const char *host, const jg_trust *trust,
	int64_t now, int64_t deadline_ms, jg_error *err);

/* Send all of data and flush it to the socket. */
jg_status jg_tls_write_all(jg_tls *t, const void *data, size_t len, jg_error *err);

/*
 * Receive up to cap bytes of application data; *got is 0 at the end of the stream — a
 * close_notify, or the peer closing the socket without one (many servers do; the HTTP framing
 * decides whether the answer was complete).
 */
jg_status jg_tls_read(jg_tls *t, void *buf, size_t cap, size_t *got, jg_error *err);

/* Send close_notify without waiting for the peer's, and wipe the engine state. The caller
 * closes the socket. */
void jg_tls_close(jg_tls *t);

/* Trace the negotiated version, suite and the server certificate (subject, issuer, expiry). */
void jg_tls_trace_session(const jg_tls *t);

#endif
