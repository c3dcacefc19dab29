/*
 * UTF-8 as RFC 3629 defines it: one to four bytes a character, no overlong forms, no
 * surrogates (U+D800 to U+DFFF), nothing above U+10FFFF.
 */
#ifndef JG_UTF8_H
#define JG_UTF8_H

#include <stddef.h>

/* The length of the valid UTF-8 character at s[0..len) (1 to 4), or 0 when there is none. */
size_t jg_utf8_char_length(const unsigned char *s, size_t len);

/* 1 when s[0..len) is valid UTF-8 throughout. */
int jg_utf8_valid(const char *s, size_t len);

#endif
