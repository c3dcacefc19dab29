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

/* A decimal number as strtod writes one: [+] digits [. digits] [e [+-] digits], with at least
 * one digit before the exponent. The digits lie in text; the point is not among them. */
struct decimal_text {
	const char *whole, *fraction; /* the digits before and after the point */
	size_t whole_len, fraction_len;
	long exponent;                /* saturated at ±EXPONENT_CAP */
};

#define EXPONENT_CAP 100000L

static size_t count_digits(const char *s)
{
	size_t n = 0;
	while (s[n] >= '0' && s[n] <= '9')
		n++;
	return n;
}

/* Split text into d; 0, or -1 when it is not such a number from its first byte to its end. */
static int split_decimal(const char *text, struct decimal_text *d)
{
	const char *p = text;
	if (*p == '+')
		p++;
	d->whole = p;
	d->whole_len = count_digits(p);
	p += d->whole_len;
	d->fraction = p;
	d->fraction_len = 0;
	if (*p == '.') {
		d->fraction = ++p;
		d->fraction_len = count_digits(p);
		p += d->fraction_len;
	}
	d->exponent = 0;
	if (d->whole_len + d->fraction_len == 0)
		return -1;
	if (*p == 'e' || *p == 'E') {
		int negative = p[1] == '-';
		p += (p[1] == '-' || p[1] == '+') ? 2 : 1;
		if (count_digits(p) == 0)
			return -1;
		for (; *p >= '0' && *p <= '9'; p++) {
			if (d->exponent < EXPONENT_CAP)
				d->exponent = d->exponent * 10 + (*p - '0');
		}
		d->exponent = negative ? -d->exponent : d->exponent;
	}
	return *p == '\0' ? 0 : -1;
}

/*
 * The number in d, times 1000, rounded up to a whole number (0.0001 s is 1 ms, never 0), or
 * limit + 1 for anything above limit. Exact: the digits are walked as an integer whose point
 * sits `shift` places from its end once the exponent and the factor 1000 are applied.
 */
static long long milliseconds_up(const struct decimal_text *d, long long limit)
{
	size_t n = d->whole_len + d->fraction_len;
	long shift = d->exponent + 3 - (long)d->fraction_len;
	long long ms = 0;
	int rest = 0; /* a nonzero digit right of the point */
	for (size_t i = 0; i < n; i++) {
		int digit = (i < d->whole_len ? d->whole[i] : d->fraction[i - d->whole_len]) - '0';
		if ((long)(n - i) + shift > 0)
			ms = ms > limit ? ms : ms * 10 + digit;
		else
			rest |= digit != 0;
	}
	for (long k = 0; k < shift && ms > 0 && ms <= limit; k++)
		ms *= 10;
	ms += rest;
	return ms > limit ? limit + 1 : ms;
}

/*
 * Seconds with an optional fraction or exponent ("2", "0.25", "1.5e1", "+3"), read exactly
 * into milliseconds rounded up, in (0, max] seconds. White space before the number is skipped,
 * as strtod did; a sign other than '+', hexadecimal, "inf" and "nan" are refused.
 */
int jg_ascii_parse_seconds(const char *value, long max, long *out_ms)
{
	const char *p = value;
	while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		p++;
	struct decimal_text d;
	long long limit = (long long)max * 1000;
	long long ms = split_decimal(p, &d) == 0 ? milliseconds_up(&d, limit) : 0;
	if (ms < 1 || ms > limit)
		return 0;
	*out_ms = (long)ms;
	return 1;
}
