/* ASCII text, whatever the locale: case for host names, URL schemes, HTTP field names and
 * NO_PROXY; hexadecimal digits; decimal integers; seconds. */
#ifndef JG_ASCII_H
#define JG_ASCII_H

#include <stddef.h>

/* c with A–Z lowered; every other byte unchanged. */
char jg_ascii_lower(char c);

/* 1 when a[0..n) and b[0..n) are equal ignoring ASCII case. */
int jg_ascii_equal_n(const char *a, const char *b, size_t n);

/* 1 when s[0..len) equals the NUL-terminated word ignoring ASCII case. */
int jg_ascii_equal_word(const char *s, size_t len, const char *word);

/* The value of a hexadecimal digit 0-9, a-f, A-F, or -1 for any other byte. */
int jg_ascii_hex_value(int c);

/*
 * text[0..len), an even number of hex digits, as bytes into out[0..cap), *out_len how many.
 * Returns 0, or -1 (out wiped) when a byte is not a hex digit, len is odd or the bytes do not fit.
 */
int jg_ascii_hex_decode(const char *text, size_t len, unsigned char *out, size_t cap,
	size_t *out_len);

/*
 * The whole of text as a decimal integer from min to max: an optional '-' or '+', then one or
 * more digits 0-9 and nothing else (no spaces, no hexadecimal). Returns 1 and sets *out, or 0
 * (out of range, empty, or anything else). strtoll alone would also take leading white space
 * and stop quietly at the first non-digit; option values and JWTGRANT_NOW must be all digits.
 */
int jg_ascii_parse_integer(const char *text, long long min, long long max, long long *out);

/*
 * Seconds with an optional fraction or exponent ("2", "0.25", "1.5e1", "+3"), read exactly into
 * milliseconds rounded up (0.0001 s is 1 ms), in (0, max] seconds: 1 and *out_ms set, or 0.
 * White space before the number is skipped, as strtod does; a sign other than '+',
 * hexadecimal, "inf" and "nan" are refused.
 */
int jg_ascii_parse_seconds(const char *text, long max, long *out_ms);

#endif
