/*
 * Our printf subset (src/fmt.h) against the C library's printf.
 *
 * Input: a format, up to the first NUL, then value bytes. The format is first brought into the
 * supported grammar: each '%' keeps the flags, width, precision and length that follow it as far
 * as they fit the grammar (at most 3 digits each, so that outputs stay small), and the byte
 * after them becomes a conversion, one of "diuxXocs" when it is none of them; a length before
 * c or s is dropped, and '%' is kept only as the bare "%%". The result is cut after each
 * conversion, and each piece is formatted on its own, since the arguments of one call must
 * have types fixed when the target is compiled.
 *
 * The value bytes are read in order, as they are needed (zeros once used up): for each
 * conversion two bytes for a '*' width, two for a '*' precision (each a number in -999..999),
 * eight for the value (a string is picked from a table, NULL included, by its first byte), and
 * one that picks the capacity of the bounded buffer, from 0 to the length of the output + 1.
 *
 * Checked: jg_snprintf against snprintf at that capacity and at a capacity that holds all of it
 * (return value, bytes stored, and nothing written past the capacity), and jg_fprintf against
 * fprintf through memory streams.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "fmt.h"
#include "fuzz_util.h"

/* The formats are built at run time: neither compiler can check them. */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"

#define FORMAT_MAX 512
#define OUT_MAX 8192 /* > 512 bytes of format + 4 conversions of at most 999 + 22 bytes */

typedef enum arg_class {
	ARG_NONE, ARG_INT, ARG_LONG, ARG_LLONG, ARG_SIZE, ARG_INTMAX, ARG_PTRDIFF, ARG_STRING
} arg_class;

/* One piece of the format: literal text, then at most one conversion. */
typedef struct piece {
	char text[FORMAT_MAX + 1];
	arg_class arg;
	int width_star, precision_star;
} piece;

typedef struct values {
	const uint8_t *p;
	size_t left;
} values;

static uint8_t next_byte(values *v)
{
	if (v->left == 0)
		return 0;
	v->left--;
	return *v->p++;
}

static uint64_t next_bytes(values *v, int n)
{
	uint64_t x = 0;
	for (int i = 0; i < n; i++)
		x = x << 8 | next_byte(v);
	return x;
}

/* A '*' argument: -999..999. */
static int next_star(values *v)
{
	return (int)(next_bytes(v, 2) % 1999) - 999;
}

/* --- bringing the format into the grammar -------------------------------------------------- */

typedef struct cursor {
	const char *in;  /* the raw format, NUL-terminated */
	piece *out;
	size_t len;
} cursor;

static void emit(cursor *c, char ch)
{
	if (c->len < FORMAT_MAX)
		c->out->text[c->len++] = ch;
	c->out->text[c->len] = '\0';
}

static int is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* Up to 3 digits (the rest are skipped), or a '*'. Returns 1 for a '*'. */
static int copy_count(cursor *c)
{
	if (*c->in == '*') {
		emit(c, *c->in++);
		return 1;
	}
	for (int n = 0; is_digit(*c->in); c->in++) {
		if (n++ < 3)
			emit(c, *c->in);
	}
	return 0;
}

/* A length modifier, if one is there; returns its class (ARG_NONE for none). */
static arg_class copy_length(cursor *c)
{
	static const struct { const char *text; arg_class arg; } lengths[] = {
		{ "hh", ARG_INT }, { "h", ARG_INT }, { "ll", ARG_LLONG }, { "l", ARG_LONG },
		{ "z", ARG_SIZE }, { "j", ARG_INTMAX }, { "t", ARG_PTRDIFF },
	};
	for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
		size_t n = strlen(lengths[i].text);
		if (strncmp(c->in, lengths[i].text, n) == 0) {
			for (size_t k = 0; k < n; k++)
				emit(c, *c->in++);
			return lengths[i].arg;
		}
	}
	return ARG_NONE;
}

/* The specification after a '%' at c->in; fills the piece's argument description. */
static void copy_spec(cursor *c)
{
	static const char conversions[] = "diuxXocs";
	emit(c, '%');
	if (*c->in == '%') {
		emit(c, *c->in++);
		return;
	}
	for (int n = 0; *c->in == '-' || *c->in == '0'; c->in++) {
		if (n++ < 2)
			emit(c, *c->in);
	}
	c->out->width_star = copy_count(c);
	if (*c->in == '.') {
		emit(c, *c->in++);
		c->out->precision_star = copy_count(c);
	}
	size_t before_length = c->len;
	arg_class arg = copy_length(c);
	char conv = *c->in != '\0' ? *c->in++ : 'd';
	if (strchr(conversions, conv) == NULL)
		conv = conversions[(unsigned char)conv % 8];
	if (conv == 'c' || conv == 's') {
		c->len = before_length; /* no length on c or s */
		arg = conv == 's' ? ARG_STRING : ARG_INT;
	} else if (arg == ARG_NONE) {
		arg = ARG_INT;
	}
	emit(c, conv);
	c->out->arg = arg;
}

/* The next piece: literal bytes up to and with one conversion (or to the end). A piece stops
 * while there is room for a whole specification (at most 13 bytes), so none is ever cut. */
static void next_piece(cursor *c, piece *p)
{
	memset(p, 0, sizeof *p);
	c->out = p;
	c->len = 0;
	p->text[0] = '\0';
	while (*c->in != '\0' && p->arg == ARG_NONE && c->len < FORMAT_MAX - 16) {
		if (*c->in == '%') {
			c->in++;
			copy_spec(c);
		} else {
			emit(c, *c->in++);
		}
	}
}

/* --- formatting both ways ---------------------------------------------------------------- */

/* jg_vsnprintf against vsnprintf at capacity cap, in areas that start alike. */
static void compare_buffer(size_t cap, const char *fmt, va_list ap)
{
	static char want[OUT_MAX + 2], got[OUT_MAX + 2];
	FUZZ_CHECK(cap <= OUT_MAX);
	memset(want, 0x5A, sizeof want);
	memset(got, 0x5A, sizeof got);
	va_list a, b;
	va_copy(a, ap);
	va_copy(b, ap);
	int w = vsnprintf(want, cap, fmt, a);
	int g = jg_vsnprintf(got, cap, fmt, b);
	va_end(a);
	va_end(b);
	FUZZ_CHECK(g == w);
	FUZZ_CHECK(memcmp(got, want, sizeof want) == 0);
}

static void compare_stream(const char *fmt, va_list ap)
{
	char *want = NULL, *got = NULL;
	size_t want_len = 0, got_len = 0;
	FILE *fw = open_memstream(&want, &want_len);
	FILE *fg = open_memstream(&got, &got_len);
	FUZZ_CHECK(fw != NULL && fg != NULL);
	va_list a, b;
	va_copy(a, ap);
	va_copy(b, ap);
	int w = vfprintf(fw, fmt, a);
	int g = jg_vfprintf(fg, fmt, b);
	va_end(a);
	va_end(b);
	FUZZ_CHECK(fclose(fw) == 0 && fclose(fg) == 0);
	FUZZ_CHECK(g == w && got_len == want_len && memcmp(got, want, want_len) == 0);
	free(want);
	free(got);
}

/* Every check for one call; pick (0..255) chooses the small capacity. */
static void compare(unsigned pick, const char *fmt, ...)
{
	va_list ap, a;
	va_start(ap, fmt);
	va_copy(a, ap);
	int n = vsnprintf(NULL, 0, fmt, a);
	va_end(a);
	FUZZ_CHECK(n >= 0 && n < OUT_MAX);
	compare_buffer(pick % ((size_t)n + 2), fmt, ap);
	compare_buffer(OUT_MAX, fmt, ap);
	compare_stream(fmt, ap);
	va_end(ap);
}

/* The value of one conversion, with the '*' arguments before it, passed with its type. */
#define WITH_STARS(value)                                                                  \
	do {                                                                               \
		if (p->width_star && p->precision_star)                                    \
			compare(pick, p->text, w, pr, value);                              \
		else if (p->width_star)                                                    \
			compare(pick, p->text, w, value);                                  \
		else if (p->precision_star)                                                \
			compare(pick, p->text, pr, value);                                 \
		else                                                                       \
			compare(pick, p->text, value);                                     \
	} while (0)

static const char *pick_string(uint64_t x)
{
	static const char *const strings[] = {
		NULL, "", "a", "hello", "hello world!", "tab\there", "\xff\x80",
		"a somewhat longer string, more than forty bytes long, to cut",
	};
	return strings[x % (sizeof strings / sizeof strings[0])];
}

static void run_piece(const piece *p, values *v)
{
	int w = p->width_star ? next_star(v) : 0;
	int pr = p->precision_star ? next_star(v) : 0;
	uint64_t x = p->arg == ARG_NONE ? 0 : next_bytes(v, 8);
	unsigned pick = next_byte(v);
	switch (p->arg) {
	case ARG_NONE: compare(pick, p->text); break;
	case ARG_INT: WITH_STARS((int)x); break;
	case ARG_LONG: WITH_STARS((long)x); break;
	case ARG_LLONG: WITH_STARS((long long)x); break;
	case ARG_SIZE: WITH_STARS((size_t)x); break;
	case ARG_INTMAX: WITH_STARS((intmax_t)x); break;
	case ARG_PTRDIFF: WITH_STARS((ptrdiff_t)x); break;
	case ARG_STRING: WITH_STARS(pick_string(x)); break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static piece p;
	char *format = fuzz_strdup(data, size);
	size_t format_len = strlen(format);
	values v = { data + format_len, size - format_len };
	if (v.left > 0) { /* the NUL */
		v.p++;
		v.left--;
	}
	cursor c = { .in = format };
	do {
		next_piece(&c, &p);
		run_piece(&p, &v);
	} while (*c.in != '\0');
	free(format);
	return 0;
}
