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

int jg_ascii_hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (unsigned char)jg_ascii_lower((char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int jg_ascii_hex_decode(const char *text, size_t len, unsigned char *out, size_t cap,
	size_t *out_len)
{
	*out_len = 0;
	if (len % 2 != 0 || len / 2 > cap)
		return -1;
	for (size_t i = 0; i < len; i += 2) {
		int high = jg_ascii_hex_value((unsigned char)text[i]);
		int low = jg_ascii_hex_value((unsigned char)text[i + 1]);
		if (high < 0 || low < 0) {
			memset(out, 0, cap);
			return -1;
		}
		out[i / 2] = (unsigned char)(high << 4 | low);
	}
	*out_len = len / 2;
	return 0;
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
