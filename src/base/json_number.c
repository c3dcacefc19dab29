#include "base/json_number.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>

/* The first MANTISSA_DIGITS significant digits fit in 64 bits (10^19 < 2^64). */
#define MANTISSA_DIGITS 19
/* An exponent beyond this, written or implied, is an overflow or an underflow whatever the
 * digits: it only has to keep the arithmetic below from overflowing a long. */
#define EXPONENT_CAP 100000L
#define TWO_TO_53 9007199254740992ULL

/* A number as read: (-1)^negative × mantissa × 10^exponent, up to the digits dropped. */
struct decimal {
	int negative;
	uint64_t mantissa;   /* the first MANTISSA_DIGITS significant digits */
	int kept;            /* how many digits mantissa holds */
	long exponent;
};

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* One digit of the significand; `fraction` when it comes after the decimal point. */
static void add_digit(struct decimal *d, int digit, int fraction)
{
	if (d->kept == 0 && digit == 0) {
		/* A leading zero: before the point it is nothing, after it a power of ten. */
		d->exponent -= fraction;
		return;
	}
	if (d->kept < MANTISSA_DIGITS) {
		d->mantissa = d->mantissa * 10 + (uint64_t)digit;
		d->kept++;
		d->exponent -= fraction;
		return;
	}
	/* Past what the mantissa holds (a relative 10^-18 at most, far below a double's
	 * precision): dropped, but an integer digit still counts as a power of ten. */
	d->exponent += !fraction;
	if (d->exponent > EXPONENT_CAP)
		d->exponent = EXPONENT_CAP;
}

/* The digits at s[*i..n), before or after the point; returns how many there were. */
static size_t scan_digits(const char *s, size_t n, size_t *i, struct decimal *d, int fraction)
{
	size_t start = *i;
	for (; *i < n && is_digit(s[*i]); (*i)++)
		add_digit(d, s[*i] - '0', fraction);
	return *i - start;
}

/* "e-12" at s[*i..n): added to d->exponent and consumed when digits follow the sign. */
static void scan_exponent(const char *s, size_t n, size_t *i, struct decimal *d)
{
	size_t j = *i;
	if (j >= n || (s[j] != 'e' && s[j] != 'E'))
		return;
	j++;
	int negative = j < n && s[j] == '-';
	if (j < n && (s[j] == '-' || s[j] == '+'))
		j++;
	if (j >= n || !is_digit(s[j]))
		return;
	long e = 0;
	for (; j < n && is_digit(s[j]); j++) {
		if (e < EXPONENT_CAP)
			e = e * 10 + (s[j] - '0');
	}
	d->exponent += negative ? -e : e;
	*i = j;
}

/* Read the number at s[0..n) into d; returns the bytes read, 0 when there is no number. */
static size_t scan_decimal(const char *s, size_t n, struct decimal *d)
{
	*d = (struct decimal){ 0 };
	size_t i = 0;
	if (i < n && (s[i] == '+' || s[i] == '-')) {
		d->negative = s[i] == '-';
		i++;
	}
	size_t digits = scan_digits(s, n, &i, d, 0);
	if (i < n && s[i] == '.') {
		i++;
		digits += scan_digits(s, n, &i, d, 1);
	}
	if (digits == 0)
		return 0;
	scan_exponent(s, n, &i, d);
	return i;
}

size_t jg_json_number_length(const char *s, size_t n)
{
	struct decimal d;
	return scan_decimal(s, n, &d);
}

/* 10^0 to 10^22: every one an exact double. */
static const double exact_powers[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* 10^(16k) for k = 0 to 19, each rounded once by the compiler. */
static const double sixteenth_powers[] = {
	1e0, 1e16, 1e32, 1e48, 1e64, 1e80, 1e96, 1e112, 1e128, 1e144,
	1e160, 1e176, 1e192, 1e208, 1e224, 1e240, 1e256, 1e272, 1e288, 1e304,
};

/* 10^n for 0 <= n <= 308, within about one unit in the last place. */
static double power_of_ten(long n)
{
	return sixteenth_powers[n / 16] * exact_powers[n % 16];
}

/* Clinger's fast path: mantissa and 10^|exponent| both exact doubles, one rounding. Returns 1
 * and *out when it applies. */
static int convert_exactly(uint64_t mantissa, long exponent, double *out)
{
	if (mantissa > TWO_TO_53)
		return 0;
	if (exponent > 22 && exponent <= 22 + 15) {
		/* 12e30 is 12000000000 × 1e22: exact while the integer stays within 2^53. */
		for (; exponent > 22; exponent--) {
			if (mantissa > TWO_TO_53 / 10)
				return 0;
			mantissa *= 10;
		}
	}
	if (exponent < -22 || exponent > 22)
		return 0;
	double m = (double)mantissa;
	*out = exponent >= 0 ? m * exact_powers[exponent] : m / exact_powers[-exponent];
	return 1;
}

/* The nearest double, give or take a few units in the last place (json_number.h). */
static double convert(uint64_t mantissa, int kept, long exponent)
{
	double v = 0.0;
	if (convert_exactly(mantissa, exponent, &v))
		return v;
	/* The leading digit's power of ten is kept - 1 + exponent: from 10^309 up the number
	 * overflows, below 10^-324 it is less than half the smallest subnormal. */
	if (kept + exponent > 309) {
		errno = ERANGE;
		return HUGE_VAL;
	}
	if (kept + exponent < -324) {
		errno = ERANGE;
		return 0.0;
	}
	v = (double)mantissa;
	if (exponent >= 0)
		return v * power_of_ten(exponent);
	long n = -exponent; /* up to 324 + 19 */
	if (n > 300) {
		v /= 1e300; /* still a normal number: mantissa is at least 1 */
		n -= 300;
	}
	return v / power_of_ten(n);
}

double jg_json_strtod(const char *restrict text, char **restrict end)
{
	struct decimal d;
	/* The text ends at its NUL, which is no part of a number: no bound is needed. */
	size_t n = scan_decimal(text, SIZE_MAX, &d);
	if (end != NULL)
		*end = (char *)(text + n); /* strtod's signature drops the const */
	if (n == 0)
		return 0.0;
	if (d.mantissa == 0)
		return d.negative ? -0.0 : 0.0;
	while (d.mantissa % 10 == 0) {
		d.mantissa /= 10;
		d.kept--;
		d.exponent++;
	}
	double v = convert(d.mantissa, d.kept, d.exponent);
	if (v == 0.0 || isinf(v))
		errno = ERANGE;
	return d.negative ? -v : v;
}
