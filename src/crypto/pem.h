/* PEM reading on top of BearSSL's decoder: walk every object of a text, any line endings, any
 * text between objects. */
#ifndef JG_PEM_H
#define JG_PEM_H

#include <stddef.h>

/*
 * Called once per complete object with its label ("PRIVATE KEY", "CERTIFICATE", ...) and its
 * decoded bytes (valid only during the call). Return 0 to go on, non-zero to stop the walk.
 */
typedef int (*jg_pem_visit)(void *ctx, const char *label, const unsigned char *der, size_t len);

/*
 * Decode the PEM objects of text[0..len) one by one into der (cap bytes, reused per object,
 * wiped afterwards) and hand each to visit. Returns the number of objects visited, or -1 when
 * an object is malformed or larger than cap. A final newline is supplied when the text lacks
 * one (BearSSL's decoder needs it to end the last object).
 */
int jg_pem_walk(const unsigned char *text, size_t len, unsigned char *der, size_t cap,
	jg_pem_visit visit, void *ctx);

/* Whether text[0..len) contains a PEM BEGIN line. */
int jg_pem_looks_like(const unsigned char *text, size_t len);

#endif
