/*
 * Decimal numbers as JSON writes them, read without libc's float scanner.
 *
 * cJSON reads a number by handing strtod the run of characters [0-9+-eE.] it starts with; the
 * build compiles cJSON.c with -Dstrtod=jg_json_strtod so that it calls ours instead, and musl's
 * strtod, its float scanner and the scanf family stay out of the static binary.
 *
 * The text read is strtod's decimal form without its extras:
 *
 *     [+-] digits [. [digits]] [(e|E) [+-] digits]       or       [+-] . digits [exponent]
 *
 * at least one digit before the exponent; an 'e' not followed by digits is not part of the
 * number (strtod's rule). No leading white space, no hexadecimal, "inf" or "nan" (cJSON never
 * hands them over): those read as no number at all, *end = text and 0.
 *
 * The value, compared with a correctly rounded strtod:
 *   - exact (the same double) for integers up to 2^53 (and to 10^19: one rounding of the
 *     integer), and for decimals of at most 15 significant digits whose power of ten, once
 *     the digits are read as an integer, lies within ±22 (Clinger's fast path: both factors are
 *     exact doubles and one multiplication or division rounds once);
 *   - otherwise within 3 units in the last place (typically 0 or 1): the first 19 significant
 *     digits as an integer, times or divided by a power of ten taken from a table of correctly
 *     rounded constants; tests/unit/test_json_number.c measures it against glibc's strtod;
 *   - always with the sign of the text (-0 is -0.0), and finite unless the magnitude is at
 *     least about 1.8e308, when it is ±HUGE_VAL with errno ERANGE; a nonzero number too small
 *     for a double reads as ±0 with errno ERANGE.
 * cJSON's values serve only the exp/iat/nbf lines of `decode`; nothing prints them back as
 * numbers (the JSON printer copies numbers as written).
 */
#ifndef JG_JSON_NUMBER_H
#define JG_JSON_NUMBER_H

#include <stddef.h>

/* The number at the start of text (NUL-terminated), as strtod reads it; *end (when end is not
 * NULL) points just past what was read, or at text when there is no number. */
double jg_json_strtod(const char *restrict text, char **restrict end);

/* How many bytes of s[0..n) jg_json_strtod would read: 0 when s does not start a number. */
size_t jg_json_number_length(const char *s, size_t n);

#endif
