/*
 * Trust anchors: the set of CA roots that the TLS client checks the server's chain against.
 *
 * A set is built from PEM text (a CA bundle, a --capath directory of PEM files), or is the index
 * compiled into the binary (the Mozilla roots of the build machine, read by src/tools/gen_anchors
 * with this same loader and kept as DN hashes and keys, src/tls/anchors.h). Each loaded anchor is a
 * br_x509_trust_anchor: the subject DN in DER, the BR_X509_TA_CA flag when the certificate's
 * Basic Constraints say CA, and the RSA or EC public key. Only "CERTIFICATE" objects count; other
 * PEM objects ("TRUSTED CERTIFICATE", keys, ...) and text between objects are ignored. A
 * certificate that BearSSL cannot decode (unsupported key type, malformed DER) is skipped and
 * counted, not fatal. The same anchor (same DN and key) is kept once.
 *
 * Memory: the anchor array and each anchor's bytes are on the heap, capped at
 * JG_TRUST_ANCHORS_MAX anchors and JG_TRUST_FILE_MAX bytes per file; jg_trust_free releases
 * all of it. CA certificates are public, so nothing here is wiped.
 */
#ifndef JG_TRUST_H
#define JG_TRUST_H

#include <stddef.h>
#include <stdio.h>

#include <bearssl_x509.h>

#include "base/error.h"
#include "tls/anchors.h"

/* Largest CA file (and largest file in a CA directory) we read. */
#define JG_TRUST_FILE_MAX ((size_t)4 << 20)
/* Most anchors one set may hold (the Mozilla set has about 150). */
#define JG_TRUST_ANCHORS_MAX 1000
/* Room for the description of where a set came from (see jg_trust_select). */
#define JG_TRUST_ORIGIN_MAX 512

typedef struct jg_trust {
	/* A loaded set, ready for br_x509_minimal_init: `count` anchors in `owned`. */
	const br_x509_trust_anchor *anchors;
	size_t count;
	/* The embedded set instead (anchors NULL, count 0): an index from which the TLS layer
	 * makes the anchors for each certificate (src/tls/anchors.h). NULL for a loaded set. */
	const jg_anchor_index *index;
	/* Heap storage when the set was loaded: `capacity` slots, the first `count` in use; each
	 * anchor's DN, key modulus/exponent or point live in one allocation that starts at
	 * dn.data. NULL for an empty set or an index. */
	br_x509_trust_anchor *owned;
	size_t capacity;
	size_t skipped;    /* certificates seen but not decodable, over every load */
	size_t duplicates; /* certificates whose anchor was already in the set */
	/* The files read so far (device and inode): a file reached again, by a hash link of a CA
	 * directory or as the bundle SSL_CERT_FILE names inside SSL_CERT_DIR, is not read twice. */
	struct jg_trust_file *files;
	size_t files_count, files_capacity;
	char origin[JG_TRUST_ORIGIN_MAX]; /* filled by jg_trust_select */
} jg_trust;

/* Make t an empty set that owns nothing. Call it before any other jg_trust_* function. */
void jg_trust_init(jg_trust *t);

/*
 * Make t (initialised, empty) the set of a constant anchor index: nothing is copied and
 * jg_trust_free will not release the index. Such a set cannot be added to.
 */
void jg_trust_use_index(jg_trust *t, const jg_anchor_index *index);

/*
 * Add every "CERTIFICATE" object of the PEM text pem[0..len) to t. Any line endings (LF or
 * CRLF), text around the objects, and a missing final newline are accepted. `origin` names the
 * text in messages ("CA file /etc/ssl/cert.pem"). *added (when not NULL) receives the number
 * of anchors new to the set. Certificates that cannot be decoded are skipped and counted in
 * t->skipped; those already present are counted in t->duplicates. Errors (JG_ERR_INPUT): no
 * decodable certificate at all, more than JG_TRUST_ANCHORS_MAX anchors, out of memory; t then
 * keeps what it held before plus any anchors added before the failure.
 */
jg_status jg_trust_add_pem(jg_trust *t, const unsigned char *pem, size_t len, const char *origin,
	size_t *added, jg_error *err);

/*
 * Add the certificates of the PEM file at `path` (symlinks followed; "/dev/stdin" and other
 * non-regular files work too). Errors (JG_ERR_INPUT, naming the path): missing or unreadable,
 * a directory, larger than JG_TRUST_FILE_MAX, no decodable certificate, and those of
 * jg_trust_add_pem.
 */
jg_status jg_trust_add_file(jg_trust *t, const char *path, jg_error *err);

/*
 * Add the certificates of every regular file in the directory `dir` (symlinks followed, as
 * /etc/ssl/certs is made of them; subdirectories, FIFOs, devices, broken links, unreadable
 * files and files without a certificate are passed over, so both a c_rehash directory and
 * /etc/ssl/certs itself work). Errors (JG_ERR_INPUT, naming the directory): missing or not a
 * directory, no decodable certificate in any file, a file larger than JG_TRUST_FILE_MAX, and
 * those of jg_trust_add_pem.
 */
jg_status jg_trust_add_dir(jg_trust *t, const char *dir, jg_error *err);

/* Release everything t owns and make it an empty set again (an index is simply forgotten). */
void jg_trust_free(jg_trust *t);

/* --- src/tls/trust_default.c: the run-time choice ----------------------------------------------- */

/*
 * Build the trust set the command line and environment ask for (cli.md, "Trust"):
 *   1. --cacert FILE and/or --capath DIR (cacert, capath; NULL when not given) form the whole
 *      set;
 *   2. otherwise SSL_CERT_FILE and/or SSL_CERT_DIR do (a variable set to "" counts as unset);
 *   3. otherwise the embedded set, as its index (jg_anchors_embedded, no copy).
 * t is initialised here; release it with jg_trust_free whatever the result. *origin (when not
 * NULL) points at t->origin, a line for the -v trace such as "--cacert ca.pem (1 root)",
 * "SSL_CERT_FILE=/etc/ssl/cert.pem (144 roots)" or "embedded Mozilla set (144 roots)". A named
 * file or directory that fails is an error (JG_ERR_INPUT), never a silent fall-back to the next
 * source; the message says which option or variable named it.
 */
jg_status jg_trust_select(jg_trust *t, const char *cacert, const char *capath, const char **origin,
	jg_error *err);

#endif
