/*
 * PEM, the one walk over PEM text, on top of BearSSL's decoder (br_pem_decoder):
 *
 *   -----BEGIN <label>-----
 *   base64 of the object's bytes, in lines
 *   -----END <label>-----
 *
 * any number of objects, with any text between them, LF or CRLF line ends. The walk streams:
 * text may come in pieces of any size (a CA bundle is read in chunks). It reports to a visitor
 * the start of every object, and the end of each object whose label is wanted: its bytes
 * collected in a caller buffer, or why they are not there. Writing PEM is jg_pem_write().
 */
#ifndef JG_PEM_H
#define JG_PEM_H

#include <stddef.h>

#include <bearssl_pem.h>

#include "base/error.h"

/* What the walk tells its visitor. */
typedef enum jg_pem_event {
	JG_PEM_BEGIN,     /* an object starts (every label); no bytes */
	JG_PEM_OBJECT,    /* a wanted object ended well: der[0..len) holds its bytes */
	JG_PEM_TOO_LARGE, /* a wanted object ended well but did not fit in the buffer */
	JG_PEM_BROKEN     /* a wanted object ended in a decoding error (bad base64, a bad line) */
} jg_pem_event;

/*
 * The visitor: called with the event, the object's label ("CERTIFICATE", "PRIVATE KEY", ...),
 * and for JG_PEM_OBJECT its bytes (valid only during the call). Return 0 to go on, non-zero to
 * stop the walk: nothing more is read.
 */
typedef int (*jg_pem_visit)(void *ctx, jg_pem_event event, const char *label,
	const unsigned char *der, size_t len);

typedef struct jg_pem_reader {
	br_pem_decoder_context decoder;
	const char *wanted; /* the label collected, or NULL for every object */
	jg_pem_visit visit;
	void *ctx;
	unsigned char *buf; /* the caller's: each wanted object's bytes, in turn */
	size_t cap;
	size_t len;
	size_t used;        /* the most bytes buf ever held: what to wipe */
	int overflow;
	int inside;         /* inside a wanted object */
	int stopped;        /* the visitor stopped the walk */
} jg_pem_reader;

/* Start a walk: objects labelled `wanted` (every object when NULL) are collected in
 * buf[0..cap) one after the other. */
void jg_pem_reader_init(jg_pem_reader *r, const char *wanted, unsigned char *buf, size_t cap,
	jg_pem_visit visit, void *ctx);

/*
 * Walk on through text[0..len), reporting each event as it comes. Carriage returns are left
 * out: BearSSL 0.6 reads a "\r" in a BEGIN line as part of the label ("CERTIFICATE-----"), so
 * CRLF files would never match; elsewhere in PEM a CR is only white space. Returns non-zero once
 * the visitor has stopped the walk.
 */
int jg_pem_reader_push(jg_pem_reader *r, const unsigned char *text, size_t len);

/*
 * The end of the text: the final newline BearSSL's decoder needs to end the last object is
 * supplied, then the decoder state (which may have held a key's bytes) is wiped. Returns 1 when
 * the text ended inside a wanted object, which is dropped without an event, 0 otherwise. The
 * buffer is the caller's to wipe (r->used bytes).
 */
int jg_pem_reader_finish(jg_pem_reader *r);

/*
 * The whole walk over text[0..len) at once (init, push, finish), then buf wiped: for secrets.
 * Returns the number of objects delivered as JG_PEM_OBJECT.
 */
int jg_pem_walk(const unsigned char *text, size_t len, const char *wanted, unsigned char *buf,
	size_t cap, jg_pem_visit visit, void *ctx);

/* Whether text[0..len) contains a PEM BEGIN line. */
int jg_pem_looks_like(const unsigned char *text, size_t len);

/*
 * PEM: "-----BEGIN <label>-----\n", the base64 of der in lines of 64 characters, then
 * "-----END <label>-----\n". Writes out[0..cap) with a terminating NUL (which cap must have room
 * for), *out_len the length without it. JG_ERR_INPUT when it does not fit.
 */
jg_status jg_pem_write(const char *label, const unsigned char *der, size_t len, char *out,
	size_t cap, size_t *out_len, jg_error *err);

#endif
