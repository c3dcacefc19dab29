/*
 * The X.509 engine of our TLS client: a br_x509_class that wraps BearSSL's minimal engine and
 * sees the server's whole chain before the minimal engine does.
 *
 * - It keeps the chain (the Certificate message's list, leaf first) and, at its end, hands the
 *   minimal engine the certification path in order: the leaf, then the certificate whose
 *   subject Name is the leaf's issuer Name (byte for byte, as BearSSL compares Names), then that
 *   one's issuer, and so on until a self-issued certificate or one whose issuer was not sent.
 *   Certificates that are not on that path (sent out of order, twice, or unrelated) are left
 *   out, as curl and browsers effectively do; BearSSL alone wants the chain in order.
 * - With the embedded trust set (an index, src/tls/anchors.h) it gives the minimal engine, for
 *   each certificate, the anchors of that certificate's issuer: it reads the issuer Name from
 *   the certificate's first bytes, looks it up and points the engine's anchors at what it found,
 *   before the engine sees the rest (it uses CA anchors only at a certificate's end). The
 *   anchors' DN is the issuer Name in `prefix`, their keys are the index's.
 * - Once the minimal engine accepts the chain, it checks what BearSSL does not: the leaf's
 *   extendedKeyUsage must allow a TLS server (serverAuth or anyExtendedKeyUsage, or no such
 *   extension: RFC 5280 4.2.1.12, what curl and browsers ask), and for an IP-literal host the
 *   leaf must carry the address as an iPAddress subjectAltName (BearSSL matches DNS names only).
 */
#ifndef JG_X509_CAPTURE_H
#define JG_X509_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

#include <bearssl.h>

#include "tls/anchors.h"
#include "tls/trust.h"

/* The chain kept: at most this many certificates and bytes (real chains are 2 to 4
 * certificates and under 10 KB; a larger one is refused rather than cut). */
#define JG_X509_CHAIN_CERTS_MAX 10
#define JG_X509_CHAIN_MAX 32768

/* First bytes of each certificate kept to find its issuer Name when trusting the embedded index:
 * the longest Mozilla root DN is under 300 bytes, so an issuer that ends later matches no root. */
#define JG_TLS_ISSUER_PREFIX_MAX 2048

/*
 * end_chain results of our own, beside BearSSL's BR_ERR_X509_* (32 to 63) and below its alert
 * ranges (256 and up): the TLS engine keeps whatever non-zero value end_chain returns as its
 * last error.
 */
#define JG_X509_ERR_NOT_FOR_SERVER 96  /* the leaf's extendedKeyUsage excludes TLS servers */
#define JG_X509_ERR_CHAIN_TOO_LARGE 97 /* over JG_X509_CHAIN_CERTS_MAX or JG_X509_CHAIN_MAX */

typedef struct jg_x509_capture {
	const br_x509_class *vtable;
	br_x509_minimal_context minimal;
	const char *server_name;          /* as start_chain gave it, for the minimal engine */
	unsigned char chain[JG_X509_CHAIN_MAX];
	size_t cert_start[JG_X509_CHAIN_CERTS_MAX]; /* certificate i is chain[cert_start[i]..] */
	size_t cert_len[JG_X509_CHAIN_CERTS_MAX];
	size_t cert_count;
	size_t chain_len;
	int overflow;                     /* the chain did not fit */
	size_t path[JG_X509_CHAIN_CERTS_MAX]; /* the certificates given to the engine, in order */
	size_t path_len;
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
 * epoch time `now`. The caller may register more hashes on c->minimal, set c->ip / c->ip_len,
 * and then use &c->vtable as a br_x509_class (the TLS engine does; so do the tests).
 */
void jg_x509_capture_init(jg_x509_capture *c, const jg_trust *trust, int64_t now);

/* The server's certificate (the first of the chain) as received, or NULL when there was none;
 * its length in *len. */
const unsigned char *jg_x509_capture_leaf(const jg_x509_capture *c, size_t *len);

/*
 * Whether the certificate der[0..len) may serve TLS: 1 when its extendedKeyUsage lists
 * serverAuth (1.3.6.1.5.5.7.3.1) or anyExtendedKeyUsage (2.5.29.37.0), or when it has no
 * extendedKeyUsage; 0 when it lists only other purposes, and when the certificate or the
 * extension is malformed.
 */
int jg_x509_capture_allows_server(const unsigned char *der, size_t len);

#endif
