/*
 * UTF-8 as RFC 3629 defines it: one to four bytes a character, no overlong forms, no
 * surrogates (U+D800 to U+DFFF), nothing above U+10FFFF. The one UTF-8 reader: certificate
 * names, the claims we sign and the JSON answers we accept all go through it.
 */
#ifndef JG_UTF8_H
#define JG_UTF8_H

#include <stddef.h>

/* The code point of the character at s[0..len) (len > 0), with *used its length in bytes
 * (1 to 4); -1 when no valid character starts there (*used is then left alone). */
long jg_utf8_decode(const unsigned char *s, size_t len, size_t *used);

/* 1 when s[0..len) is valid UTF-8 throughout. */
int jg_utf8_valid(const char *s, size_t len);

#endif
