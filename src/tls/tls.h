/*
 * TLS: BearSSL's client engine driven over our own socket I/O, so that every read and write is
 * bounded by the command's deadline. TLS 1.2 only (BearSSL's highest), ECDHE with RSA or ECDSA
 * certificates, ChaCha20-Poly1305, AES-GCM or AES-CBC (HMAC-SHA-256/384), with the code BearSSL
 * picks for the CPU (AES-NI, PCLMUL, SSE2). Entropy comes from getrandom(), injected into
 * the engine (BearSSL 0.6 would look only for RDRAND and /dev/urandom). The server name is the
 * URL's host without a final dot: sent as SNI and matched against the certificate's DNS names.
 * For an IP-literal host no SNI is sent (RFC 6066) and the end-entity certificate must carry the
 * address as an iPAddress subjectAltName, which BearSSL never matches. The chain goes through
 * our X.509 engine (tls/x509_capture.h: chain order, extendedKeyUsage, IP names, anchors from the
 * embedded index); every BearSSL error and TLS alert is told in words (tls/tls_error.h).
 */
#ifndef JG_TLS_H
#define JG_TLS_H

#include <stddef.h>
#include <stdint.h>

#include <bearssl.h>

#include "base/error.h"
#include "tls/anchors.h"
#include "tls/trust.h"
#include "tls/x509_capture.h"

/*
 * A client-certificate handler that has no certificate: BearSSL calls its choose() when the
 * server sends a CertificateRequest, and it answers with an empty chain (the handshake goes on
 * as without a handler), remembering that a certificate was asked for.
 */
typedef struct jg_tls_client_auth {
	const br_ssl_client_certificate_class *vtable;
	int requested; /* the server sent a CertificateRequest */
} jg_tls_client_auth;

typedef struct jg_tls {
	br_ssl_client_context client;
	jg_x509_capture x509;
	jg_tls_client_auth client_auth;
	unsigned char iobuf[BR_SSL_BUFSIZE_MONO];
	int fd;
	int64_t deadline_ms;
	int peer_closed; /* the socket reached EOF */
	int64_t now;     /* epoch seconds used for certificate validity */
	char host[256];
} jg_tls;

/*
 * Run the handshake on the connected socket fd with `host` as server name (a final dot, as in
 * "sf.test.", is left out of SNI and the name check, as curl does), trusting `trust`,
 * checking certificate validity at epoch time `now`, until deadline_ms (monotonic). Errors:
 * JG_ERR_TLS with a sentence per cause (expired or not yet valid — with the local clock —,
 * another host's certificate, untrusted, handshake refused, server requires TLS 1.3, a fatal
 * alert by name, and — whatever then happened — a server that asked for a client certificate
 * (mutual TLS), which we never send);
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
