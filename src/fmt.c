#include "fmt.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "wipe.h"

/* %zd reads the signed type of size_t's width, which is ptrdiff_t on every target we build. */
_Static_assert(sizeof(ptrdiff_t) == sizeof(size_t), "ptrdiff_t and size_t differ in size");

/* The stream functions stage this much output on the stack before each fwrite. */
#define STAGING_SIZE 512

enum { FLAG_LEFT = 1, FLAG_ZERO = 2 };

typedef enum length { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_J, LEN_T } length;

typedef enum spec_status { SPEC_OK, SPEC_UNSUPPORTED, SPEC_OVERFLOW } spec_status;

/* One conversion specification, parsed; widths and precisions are at most INT_MAX. */
typedef struct spec {
	unsigned flags;
	size_t width;      /* 0 when none was given */
	int width_star;    /* the width is an argument */
	int has_precision;
	size_t precision;
	int precision_star;
	length length;
	char conversion;
	const char *end;   /* the format byte after the specification */
} spec;

/* --- the sink ----------------------------------------------------------------------------- */

/* The bytes a buffer sink can still store before its NUL. */
static size_t buffer_room(const jg_sink *s)
{
	return s->cap > s->used + 1 ? s->cap - 1 - s->used : 0;
}

static void sink_flush(jg_sink *s)
{
	if (s->file == NULL || s->used == 0)
		return;
	if (!s->failed && fwrite(s->buf, 1, s->used, s->file) != s->used)
		s->failed = 1;
	s->used = 0;
}

/* Append p[0..n): stored as far as it fits (buffer) or staged (stream); always counted. */
static void sink_put(jg_sink *s, const char *p, size_t n)
{
	s->total += n;
	if (s->file == NULL) {
		size_t k = n < buffer_room(s) ? n : buffer_room(s);
		if (k > 0)
			memcpy(s->buf + s->used, p, k);
		s->used += k;
		return;
	}
	while (n > 0) {
		if (s->used == s->cap)
			sink_flush(s);
		size_t k = n < s->cap - s->used ? n : s->cap - s->used;
		memcpy(s->buf + s->used, p, k);
		s->used += k;
		p += k;
		n -= k;
	}
}

/* Append n copies of byte c (padding); a full buffer only counts them. */
static void sink_repeat(jg_sink *s, char c, size_t n)
{
	char run[16];
	if (s->file == NULL && buffer_room(s) == 0) {
		s->total += n;
		return;
	}
	memset(run, c, sizeof run);
	while (n > 0) {
		size_t k = n < sizeof run ? n : sizeof run;
		sink_put(s, run, k);
		n -= k;
	}
}

/* Flush, terminate, and give the return value of the printf contract. */
static int sink_finish(jg_sink *s, int overflow)
{
	sink_flush(s);
	if (s->file == NULL && s->cap > 0)
		s->buf[s->used] = '\0';
	if (overflow || s->total > INT_MAX) {
		errno = EOVERFLOW;
		return -1;
	}
	return s->failed ? -1 : (int)s->total;
}

/* --- parsing a specification ------------------------------------------------------------ */

/* Decimal digits at *p; stops growing above INT_MAX (the caller refuses such a value). */
static size_t parse_count(const char **p)
{
	size_t n = 0;
	for (; **p >= '0' && **p <= '9'; (*p)++) {
		if (n <= INT_MAX)
			n = n * 10 + (size_t)(**p - '0');
	}
	return n;
}

static const char *parse_flags(const char *p, spec *sp)
{
	for (;; p++) {
		if (*p == '-')
			sp->flags |= FLAG_LEFT;
		else if (*p == '0')
			sp->flags |= FLAG_ZERO;
		else
			return p;
	}
}

/* Width: digits, or '*' for an int argument (read later, by read_stars). */
static const char *parse_width(const char *p, spec *sp)
{
	if (*p == '*') {
		sp->width_star = 1;
		return p + 1;
	}
	sp->width = parse_count(&p);
	return p;
}

/* Precision, p after the '.': digits (none: 0), or '*' for an int argument (read later). */
static const char *parse_precision(const char *p, spec *sp)
{
	sp->has_precision = 1;
	if (*p == '*') {
		sp->precision_star = 1;
		return p + 1;
	}
	sp->precision = parse_count(&p);
	return p;
}

/* The '*' arguments of a supported specification: a negative width is the '-' flag and its
 * size, a negative precision none at all. */
static void read_stars(spec *sp, va_list *ap)
{
	if (sp->width_star) {
		int w = va_arg(*ap, int);
		if (w < 0)
			sp->flags |= FLAG_LEFT;
		sp->width = w < 0 ? (size_t)-(long long)w : (size_t)w;
	}
	if (sp->precision_star) {
		int v = va_arg(*ap, int);
		sp->has_precision = v >= 0;
		sp->precision = v >= 0 ? (size_t)v : 0;
	}
}

static const char *parse_length(const char *p, length *len)
{
	switch (*p) {
	case 'h':
		*len = p[1] == 'h' ? LEN_HH : LEN_H;
		return p[1] == 'h' ? p + 2 : p + 1;
	case 'l':
		*len = p[1] == 'l' ? LEN_LL : LEN_L;
		return p[1] == 'l' ? p + 2 : p + 1;
	case 'z': *len = LEN_Z; return p + 1;
	case 'j': *len = LEN_J; return p + 1;
	case 't': *len = LEN_T; return p + 1;
	default: *len = LEN_NONE; return p;
	}
}

static int conversion_supported(const spec *sp)
{
	switch (sp->conversion) {
	case 'd': case 'i': case 'u': case 'x': case 'X': case 'o': return 1;
	case 'c': case 's': return sp->length == LEN_NONE;
	default: return 0;
	}
}

/* Parse the specification that starts after a '%' at p. Its '*' arguments are read from ap
 * only once it is known to be supported. */
static spec_status parse_spec(const char *p, spec *sp, va_list *ap)
{
	memset(sp, 0, sizeof *sp);
	p = parse_flags(p, sp);
	p = parse_width(p, sp);
	if (*p == '.')
		p = parse_precision(p + 1, sp);
	p = parse_length(p, &sp->length);
	sp->conversion = *p;
	sp->end = p + 1;
	if (!conversion_supported(sp))
		return SPEC_UNSUPPORTED;
	read_stars(sp, ap);
	if (sp->width > INT_MAX || sp->precision > INT_MAX)
		return SPEC_OVERFLOW;
	return SPEC_OK;
}

/* --- conversions ------------------------------------------------------------------------ */

/* Each case reads the type C gives its length; on LP64 some of them are the same type. */
static uintmax_t read_unsigned(length len, va_list *ap)
{
	switch (len) {
	case LEN_HH: return (unsigned char)va_arg(*ap, int);
	case LEN_H: return (unsigned short)va_arg(*ap, int);
	case LEN_L: return va_arg(*ap, unsigned long);
	case LEN_LL: return va_arg(*ap, unsigned long long);
	// NOLINTNEXTLINE(bugprone-branch-clone): size_t and uintmax_t differ on 32-bit targets
	case LEN_Z: return va_arg(*ap, size_t);
	case LEN_J: return va_arg(*ap, uintmax_t);
	case LEN_T: return (size_t)va_arg(*ap, ptrdiff_t);
	default: return va_arg(*ap, unsigned int);
	}
}

static intmax_t read_signed(length len, va_list *ap)
{
	switch (len) {
	case LEN_HH: return (signed char)va_arg(*ap, int);
	case LEN_H: return (short)va_arg(*ap, int);
	case LEN_L: return va_arg(*ap, long);
	case LEN_LL: return va_arg(*ap, long long);
	// NOLINTNEXTLINE(bugprone-branch-clone): ptrdiff_t and intmax_t differ on 32-bit targets
	case LEN_Z: /* the signed type of size_t's width */
	case LEN_T: return va_arg(*ap, ptrdiff_t);
	case LEN_J: return va_arg(*ap, intmax_t);
	default: return va_arg(*ap, int);
	}
}

/* The digits of v in base 8, 10 or 16, written backwards ending at end; returns their start. */
static char *write_digits(uintmax_t v, unsigned base, int upper, char *end)
{
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char *p = end;
	do {
		*--p = set[v % base];
		v /= base;
	} while (v != 0);
	return p;
}

/* Spaces to fill the field width around len bytes, before them or after them ('-'). */
static void pad(jg_sink *s, const spec *sp, size_t len, int left)
{
	if (sp->width > len && (left != 0) == ((sp->flags & FLAG_LEFT) != 0))
		sink_repeat(s, ' ', sp->width - len);
}

/* sign, zeros up to the precision (or, with '0', up to the width), digits; padded. */
static void put_number(jg_sink *s, const spec *sp, const char *sign, const char *digits, size_t n)
{
	size_t sign_len = strlen(sign);
	size_t zeros = sp->has_precision && sp->precision > n ? sp->precision - n : 0;
	size_t len = sign_len + zeros + n;
	if ((sp->flags & (FLAG_LEFT | FLAG_ZERO)) == FLAG_ZERO && !sp->has_precision &&
		sp->width > len) {
		zeros += sp->width - len;
		len = sp->width;
	}
	pad(s, sp, len, 0);
	sink_put(s, sign, sign_len);
	sink_repeat(s, '0', zeros);
	sink_put(s, digits, n);
	pad(s, sp, len, 1);
}

static void format_integer(jg_sink *s, const spec *sp, va_list *ap)
{
	char buf[sizeof(uintmax_t) * 3]; /* 22 octal digits for 64 bits */
	char *end = buf + sizeof buf;
	const char *sign = "";
	uintmax_t magnitude;
	if (sp->conversion == 'd' || sp->conversion == 'i') {
		intmax_t v = read_signed(sp->length, ap);
		sign = v < 0 ? "-" : "";
		magnitude = v < 0 ? (uintmax_t)0 - (uintmax_t)v : (uintmax_t)v;
	} else {
		magnitude = read_unsigned(sp->length, ap);
	}
	unsigned base = sp->conversion == 'o' ? 8 : 10;
	if (sp->conversion == 'x' || sp->conversion == 'X')
		base = 16;
	char *digits = write_digits(magnitude, base, sp->conversion == 'X', end);
	size_t n = (size_t)(end - digits);
	if (sp->has_precision && sp->precision == 0 && magnitude == 0)
		n = 0;
	put_number(s, sp, sign, digits, n);
}

static void put_padded(jg_sink *s, const spec *sp, const char *p, size_t len)
{
	pad(s, sp, len, 0);
	sink_put(s, p, len);
	pad(s, sp, len, 1);
}

static void format_string(jg_sink *s, const spec *sp, va_list *ap)
{
	const char *str = va_arg(*ap, const char *);
	if (str == NULL)
		str = sp->has_precision && sp->precision < 6 ? "" : "(null)";
	put_padded(s, sp, str, sp->has_precision ? strnlen(str, sp->precision) : strlen(str));
}

static void format_char(jg_sink *s, const spec *sp, va_list *ap)
{
	char c = (char)va_arg(*ap, int);
	put_padded(s, sp, &c, 1);
}

static void format_one(jg_sink *s, const spec *sp, va_list *ap)
{
	if (sp->conversion == 's')
		format_string(s, sp, ap);
	else if (sp->conversion == 'c')
		format_char(s, sp, ap);
	else
		format_integer(s, sp, ap);
}

/* --- the entry points ------------------------------------------------------------------- */

int jg_vformat(jg_sink *sink, const char *fmt, va_list ap)
{
	va_list args;
	const char *p = fmt;
	int overflow = 0;
	va_copy(args, ap);
	for (;;) {
		const char *percent = strchr(p, '%');
		if (percent == NULL) {
			sink_put(sink, p, strlen(p));
			break;
		}
		sink_put(sink, p, (size_t)(percent - p));
		if (percent[1] == '%') {
			sink_put(sink, "%", 1);
			p = percent + 2;
			continue;
		}
		spec sp;
		spec_status st = parse_spec(percent + 1, &sp, &args);
		if (st == SPEC_UNSUPPORTED)
			sink_put(sink, percent, strlen(percent)); /* no argument is read from here on */
		overflow = st == SPEC_OVERFLOW;
		if (st != SPEC_OK)
			break;
		format_one(sink, &sp, &args);
		p = sp.end;
	}
	va_end(args);
	return sink_finish(sink, overflow);
}

int jg_vsnprintf(char *out, size_t cap, const char *fmt, va_list ap)
{
	jg_sink sink = { .buf = out, .cap = cap };
	return jg_vformat(&sink, fmt, ap);
}

int jg_snprintf(char *out, size_t cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = jg_vsnprintf(out, cap, fmt, ap);
	va_end(ap);
	return n;
}

/* The staging buffer may hold a token or a key's text: wiped before it goes out of scope. */
int jg_vfprintf(FILE *file, const char *fmt, va_list ap)
{
	char staging[STAGING_SIZE];
	jg_sink sink = { .buf = staging, .cap = sizeof staging, .file = file };
	int n = jg_vformat(&sink, fmt, ap);
	jg_wipe(staging, sizeof staging);
	return n;
}

int jg_fprintf(FILE *file, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = jg_vfprintf(file, fmt, ap);
	va_end(ap);
	return n;
}

int jg_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = jg_vfprintf(stdout, fmt, ap);
	va_end(ap);
	return n;
}
