#include "base/ascii.h"

#include <limits.h>
#include <string.h>

char jg_ascii_lower(char c)
{
	static const char lower[] = "abcdefghijklmnopqrstuvwxyz";
	if (c >= 'A' && c <= 'Z')
		return lower[c - 'A'];
	return c;
}

int jg_ascii_equal_n(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (jg_ascii_lower(a[i]) != jg_ascii_lower(b[i]))
			return 0;
	}
	return 1;
}

int jg_ascii_equal_word(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && jg_ascii_equal_n(s, word, len);
}

int jg_ascii_parse_integer(const char *text, long long min, long long max, long long *out)
{
	int negative = text[0] == '-';
	const char *p = text + (text[0] == '-' || text[0] == '+');
	/* Accumulate as a negative number: its range reaches LLONG_MIN. */
	long long v = 0;
	if (*p == '\0')
		return 0;
	for (; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return 0;
		int digit = *p - '0';
		if (v < (LLONG_MIN + digit) / 10)
			return 0;
		v = v * 10 - digit;
	}
	if (!negative) {
		if (v == LLONG_MIN)
			return 0;
		v = -v;
	}
	if (v < min || v > max)
		return 0;
	*out = v;
	return 1;
}
