/*
 * The embedded trust anchors as an index: what the binary keeps of the Mozilla roots.
 *
 * BearSSL's X.509 engine (br_x509_minimal) uses a CA anchor in one place only: at the end of
 * each certificate of the chain it hashes every CA anchor's subject DN, compares that with the
 * hash of the certificate's issuer DN, and on a match verifies the certificate's signature with
 * the anchor's key. So a binary need not carry the roots' DNs: it keeps, per root, a short hash
 * of the DN and the key. While a certificate streams in, the TLS layer (src/tls/tls.c) reads the
 * certificate's issuer Name from its first bytes, looks it up here, and hands BearSSL only the
 * matching anchors, each with the issuer Name taken from the certificate as its DN and the
 * root's real key. BearSSL then checks the signature with that key as it always does.
 *
 * What the short hash changes: the full table matched the issuer against a root's exact DN
 * (through BearSSL's SHA-256 of it); the index matches the first 8 bytes of that SHA-256. The
 * signature check is unchanged and is what makes a certificate trusted: only the holder of a
 * root's private key can produce a certificate that verifies with the root's key. The hash is
 * an index that picks which keys to try, never a proof of anything.
 *
 * Format. An index is `count` entries of 12 bytes and one array of key bytes:
 *
 *   entry: dn_hash[8]   the first 8 bytes of SHA-256 over the subject Name's DER, tag and
 *                       length included (exactly the bytes of br_x509_trust_anchor.dn)
 *          key_len      RSA: modulus bytes; EC: public point bytes
 *          exponent_len RSA: public exponent bytes; EC: 0
 *          curve        0 for an RSA key; for an EC key, BearSSL's curve id (BR_EC_secp256r1, ...)
 *
 *   keys:  entry 0's key, entry 1's key, ... with no gap: an RSA key is its modulus then its
 *          exponent (big-endian, as BearSSL holds them), an EC key its point. An entry's key
 *          starts at the sum of the key sizes of the entries before it.
 *
 * Every entry is a CA anchor (BR_X509_TA_CA): the index cannot say otherwise, so building one
 * leaves out anchors that are not CAs (those BearSSL only uses for direct trust of a server
 * certificate, never for a chain). At most JG_ANCHORS_MATCH_MAX entries share a hash.
 */
#ifndef JG_ANCHORS_H
#define JG_ANCHORS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <bearssl_x509.h>

#include "base/error.h"

/* Bytes of SHA-256 kept per DN. */
#define JG_ANCHORS_HASH_LEN 8
/* Most entries one DN hash may have (roots re-keyed under the same name, or colliding names). */
#define JG_ANCHORS_MATCH_MAX 8

typedef struct jg_anchor_entry {
	unsigned char dn_hash[JG_ANCHORS_HASH_LEN];
	uint16_t key_len;
	unsigned char exponent_len;
	unsigned char curve;
} jg_anchor_entry;

typedef struct jg_anchor_index {
	const jg_anchor_entry *entries;
	size_t count;
	const unsigned char *keys;
	size_t keys_len; /* the sum of every entry's key size */
} jg_anchor_index;

/* The Mozilla roots of the build machine, generated at build time by src/tools/gen_anchors. */
extern const jg_anchor_index jg_anchors_embedded;

/* The first JG_ANCHORS_HASH_LEN bytes of SHA-256 over dn[0..len) into hash. */
void jg_anchors_hash_dn(const unsigned char *dn, size_t len, unsigned char *hash);

/*
 * The anchors of `index` whose DN hash is that of the Name dn[0..dn_len) (DER, tag and length
 * included), at most `cap` of them, into out[]; returns how many. Each is a CA anchor whose dn
 * points at dn (the caller keeps those bytes alive while BearSSL may use the anchors) and whose
 * key points into index->keys. Entries whose keys would run past index->keys_len are never
 * returned.
 */
size_t jg_anchors_lookup(const jg_anchor_index *index, const unsigned char *dn, size_t dn_len,
	br_x509_trust_anchor *out, size_t cap);

/* Bytes of key material the CA anchors among anchors[0..count) hold: how large the keys buffer
 * of jg_anchors_build must be. */
size_t jg_anchors_key_bytes(const br_x509_trust_anchor *anchors, size_t count);

/*
 * Make *index an index of the CA anchors among anchors[0..count), in their order: entries[]
 * (room for count) and keys[] (jg_anchors_key_bytes of them) are the caller's and receive its
 * contents; *index points at them. *skipped (when not NULL) receives the number of anchors left
 * out for not being CAs. Errors (JG_ERR_INPUT): a key the format cannot hold (exponent over 255
 * bytes, key over 65535, an unknown key type or curve), more than JG_ANCHORS_MATCH_MAX anchors
 * with one DN hash, keys_cap too small.
 */
jg_status jg_anchors_build(jg_anchor_index *index, jg_anchor_entry *entries,
	unsigned char *keys, size_t keys_cap, const br_x509_trust_anchor *anchors, size_t count,
	size_t *skipped, jg_error *err);

/*
 * Write C source that defines `const jg_anchor_index jg_anchors_embedded` holding the index:
 * one static array of entries and one of key bytes (hex, 16 a line). The text needs only
 * "anchors.h" and <bearssl_x509.h>. Errors (JG_ERR_INPUT): an empty index, a write error.
 */
jg_status jg_anchors_write_c(const jg_anchor_index *index, FILE *out, jg_error *err);

/* Where the issuer Name of a certificate is, judged from its first bytes. */
typedef enum jg_issuer_result {
	JG_ISSUER_FOUND = 0, /* *issuer spans the whole issuer Name (tag and length included) */
	JG_ISSUER_MORE = 1,  /* the bytes end before the issuer does: give more */
	JG_ISSUER_BAD = 2    /* not the start of a certificate as DER has it */
} jg_issuer_result;

/*
 * Find the issuer Name in the first len bytes of a certificate's DER:
 *
 *   Certificate ::= SEQUENCE { tbsCertificate TBSCertificate, ... }
 *   TBSCertificate ::= SEQUENCE { version [0] EXPLICIT INTEGER OPTIONAL, serialNumber INTEGER,
 *       signature AlgorithmIdentifier (a SEQUENCE), issuer Name (a SEQUENCE), ... }
 *
 * with the certificate walker's partial form (jg_cert_walk_start, src/x509/cert.h): the two
 * outer SEQUENCEs are read by their headers alone, since their contents run past what is there;
 * the elements before the issuer are stepped over, and must lie inside the TBS. Headers are
 * DER's (definite lengths of at most 4 bytes, in their shortest form).
 */
jg_issuer_result jg_anchors_find_issuer(const unsigned char *der, size_t len,
	const unsigned char **issuer, size_t *issuer_len);

#endif
