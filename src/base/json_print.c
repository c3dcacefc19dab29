#include "base/json_print.h"

#include <string.h>

#include "base/json_number.h"

/* The text not read yet. */
struct reader {
	const unsigned char *p, *end;
};

static void skip_space(struct reader *r)
{
	while (r->p < r->end && *r->p <= 0x20)
		r->p++;
}

static void skip_byte_order_mark(struct reader *r)
{
	/* cJSON looks for it only when more than three bytes follow (its length counts the NUL). */
	if (r->end - r->p > 3 && memcmp(r->p, "\xEF\xBB\xBF", 3) == 0)
		r->p += 3;
}

/* Whether the next byte is c; if so it is consumed. */
static int take(struct reader *r, unsigned char c)
{
	if (r->p >= r->end || *r->p != c)
		return 0;
	r->p++;
	return 1;
}

/* --- strings ---------------------------------------------------------------------------------- */

/* The closing quote of the string whose opening quote is at p: cJSON's scan, in which a
 * backslash takes the byte after it along. NULL when the text ends first. */
static const unsigned char *string_close(const unsigned char *p, const unsigned char *end)
{
	for (p++; p < end && *p != '"'; p++) {
		if (*p == '\\' && ++p >= end)
			return NULL;
	}
	return p < end ? p : NULL;
}

/* Four hexadecimal digits; 0 when one is not (cJSON's parse_hex4 says the same). */
static unsigned hex4(const unsigned char *p)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		unsigned char c = p[i];
		unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0') :
			c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10) :
			c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 16;
		if (d == 16)
			return 0;
		v = v << 4 | d;
	}
	return v;
}

/* \uXXXX at p, or a surrogate pair \uD8XX\uDCXX, as cJSON decodes it: *cp and the bytes taken,
 * or 0 when cJSON refuses it (a lone or reversed surrogate, the text too short). */
static size_t read_utf16_escape(const unsigned char *p, const unsigned char *close, unsigned *cp)
{
	if (close - p < 6)
		return 0;
	unsigned first = hex4(p + 2);
	if (first >= 0xDC00 && first <= 0xDFFF)
		return 0;
	if (first < 0xD800 || first > 0xDBFF) {
		*cp = first;
		return 6;
	}
	if (close - p < 12 || p[6] != '\\' || p[7] != 'u')
		return 0;
	unsigned second = hex4(p + 8);
	if (second < 0xDC00 || second > 0xDFFF)
		return 0;
	*cp = 0x10000 + ((first & 0x3FF) << 10 | (second & 0x3FF));
	return 12;
}

/*
 * One character of a string at *p (before close): a code point from an escape or from a raw
 * UTF-8 C1 control (0xC2 0x80–0x9F), *raw = 0; or any other byte as it is, *raw = 1.
 * Returns 0, or -1 for an escape cJSON refuses.
 */
static int read_char(const unsigned char **p, const unsigned char *close, unsigned *cp, int *raw)
{
	const unsigned char *s = *p;
	*raw = 0;
	if (s[0] == 0xC2 && close - s >= 2 && s[1] >= 0x80 && s[1] <= 0x9F) {
		*cp = s[1];
		*p = s + 2;
		return 0;
	}
	if (s[0] != '\\') {
		*cp = s[0];
		*raw = 1;
		*p = s + 1;
		return 0;
	}
	static const char letters[] = "bfnrt\"\\/";
	static const unsigned char values[] = { '\b', '\f', '\n', '\r', '\t', '"', '\\', '/' };
	const char *letter = s[1] != '\0' ? strchr(letters, s[1]) : NULL;
	if (letter != NULL) {
		*cp = values[letter - letters];
		*p = s + 2;
		return 0;
	}
	size_t n = s[1] == 'u' ? read_utf16_escape(s, close, cp) : 0;
	*p = s + n;
	return n > 0 ? 0 : -1;
}

/* The UTF-8 bytes of a code point (up to 0x10FFFF) into out[4]; returns how many. */
static size_t utf8_encode(unsigned cp, unsigned char out[4])
{
	if (cp < 0x80) {
		out[0] = (unsigned char)cp;
		return 1;
	}
	size_t n = cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
	static const unsigned char lead[] = { 0, 0, 0xC0, 0xE0, 0xF0 };
	for (size_t i = n - 1; i > 0; i--) {
		out[i] = (unsigned char)(0x80 | (cp & 0x3F));
		cp >>= 6;
	}
	out[0] = (unsigned char)(lead[n] | cp);
	return n;
}

static int is_control(unsigned cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

/* One character of a string, escaped as json_print.h says. */
static void put_char(jg_out *out, unsigned cp, int raw)
{
	unsigned char bytes[4];
	if (raw ? cp < 0x20 || cp == 0x7F : is_control(cp)) {
		jg_json_put_control(out, cp);
	} else if (cp == '"' || cp == '\\') {
		/* escaped; or bare, after a \u escape with a bad digit took its backslash along */
		jg_out_put(out, cp == '"' ? "\\\"" : "\\\\", 2);
	} else if (raw) {
		bytes[0] = (unsigned char)cp;
		jg_out_put(out, (const char *)bytes, 1);
	} else {
		jg_out_put(out, (const char *)bytes, utf8_encode(cp, bytes));
	}
}

static int write_string(struct reader *r, jg_out *out)
{
	const unsigned char *close = string_close(r->p, r->end);
	if (close == NULL)
		return -1;
	const unsigned char *p = r->p + 1;
	jg_out_put(out, "\"", 1);
	while (p < close) {
		unsigned cp = 0;
		int raw = 0;
		if (read_char(&p, close, &cp, &raw) != 0)
			return -1;
		put_char(out, cp, raw);
	}
	jg_out_put(out, "\"", 1);
	r->p = close + 1;
	return 0;
}

/* Whether the string at r->p, decoded as cJSON decodes it and cut at a NUL as a C string is,
 * is `name`: *match. Returns 0, or -1 when it is not a string. */
static int read_name(struct reader *r, const char *name, int *match)
{
	const unsigned char *close = r->p < r->end && *r->p == '"' ? string_close(r->p, r->end) : NULL;
	if (close == NULL)
		return -1;
	const unsigned char *p = r->p + 1;
	size_t i = 0;
	int same = 1, ended = 0;
	while (p < close) {
		unsigned cp = 0;
		int raw = 0;
		unsigned char bytes[4] = { (unsigned char)0 };
		if (read_char(&p, close, &cp, &raw) != 0)
			return -1;
		size_t n = 1;
		if (raw)
			bytes[0] = (unsigned char)cp;
		else
			n = utf8_encode(cp, bytes);
		for (size_t k = 0; k < n && same && !ended; k++) {
			if (bytes[k] == 0)
				ended = 1;
			else if ((unsigned char)name[i] == bytes[k])
				i++;
			else
				same = 0;
		}
	}
	*match = same && name[i] == '\0';
	r->p = close + 1;
	return 0;
}

/* --- numbers and literals ------------------------------------------------------------------ */

static int is_number_char(unsigned char c)
{
	return (c >= '0' && c <= '9') || c == '+' || c == '-' || c == 'e' || c == 'E' || c == '.';
}

/* cJSON hands the run of number characters to strtod, and fails unless strtod reads it all
 * (what is left cannot follow a value). The run, copied as written. */
static int write_number(struct reader *r, jg_out *out)
{
	const unsigned char *p = r->p;
	while (p < r->end && is_number_char(*p))
		p++;
	size_t n = (size_t)(p - r->p);
	if (jg_json_number_length((const char *)r->p, n) != n)
		return -1;
	jg_out_put(out, (const char *)r->p, n);
	r->p = p;
	return 0;
}

static int write_literal(struct reader *r, jg_out *out)
{
	static const char *const literals[] = { "null", "true", "false" };
	for (size_t i = 0; i < 3; i++) {
		size_t n = strlen(literals[i]);
		if ((size_t)(r->end - r->p) >= n && memcmp(r->p, literals[i], n) == 0) {
			jg_out_put(out, literals[i], n);
			r->p += n;
			return 0;
		}
	}
	return -1;
}

static int write_scalar(struct reader *r, jg_out *out)
{
	if (r->p >= r->end)
		return -1;
	if (*r->p == '"')
		return write_string(r, out);
	if (*r->p == '-' || (*r->p >= '0' && *r->p <= '9'))
		return write_number(r, out);
	return write_literal(r, out);
}

/* --- containers -------------------------------------------------------------------------- */

/* The containers open around the value being written: which are objects, one bit each. */
struct nesting {
	unsigned depth;
	unsigned char object[(JG_JSON_DEPTH_MAX + 7) / 8];
	int pretty;
};

static int innermost_is_object(const struct nesting *n)
{
	unsigned i = n->depth - 1;
	return n->object[i / 8] >> (i % 8) & 1;
}

static void put_indent(jg_out *out, const struct nesting *n, unsigned tabs)
{
	static const char many[] = "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t";
	if (!n->pretty)
		return;
	for (; tabs > 0; tabs -= tabs < 16 ? tabs : 16)
		jg_out_put(out, many, tabs < 16 ? tabs : 16);
}

/* A member's name and colon, indented: at the start of an object or after its comma. */
static int write_name(struct reader *r, jg_out *out, const struct nesting *n)
{
	skip_space(r);
	if (r->p >= r->end || *r->p != '"')
		return -1;
	put_indent(out, n, n->depth);
	if (write_string(r, out) != 0)
		return -1;
	skip_space(r);
	if (!take(r, ':'))
		return -1;
	jg_out_put(out, ":\t", n->pretty ? 2 : 1);
	return 0;
}

/* '{' or '[' was read. An empty container is written whole: 0. Otherwise it is opened (for an
 * object with its first name written) and a value follows: 1. Bad text: -1. */
static int open_container(struct reader *r, jg_out *out, struct nesting *n, int object)
{
	if (n->depth == JG_JSON_DEPTH_MAX)
		return -1; /* an empty container counts too, as in cJSON */
	skip_space(r);
	if (take(r, object ? '}' : ']')) {
		if (!object) {
			jg_out_put(out, "[]", 2);
		} else if (!n->pretty) {
			jg_out_put(out, "{}", 2);
		} else {
			jg_out_put(out, "{\n", 2);
			put_indent(out, n, n->depth);
			jg_out_put(out, "}", 1);
		}
		return 0;
	}
	unsigned i = n->depth++;
	n->object[i / 8] = (unsigned char)((n->object[i / 8] & ~(1u << (i % 8))) |
		(unsigned)object << (i % 8));
	if (!object) {
		jg_out_put(out, "[", 1);
		return 1;
	}
	jg_out_put(out, "{\n", n->pretty ? 2 : 1);
	return write_name(r, out, n) == 0 ? 1 : -1;
}

/*
 * After a value: a comma (then the next element, or the next member's name) or the end of the
 * innermost container, as many times as containers end here. Returns 1 when another value
 * follows, 0 when the outermost container has ended, -1 on bad text.
 */
static int after_value(struct reader *r, jg_out *out, struct nesting *n)
{
	while (n->depth > 0) {
		int object = innermost_is_object(n);
		skip_space(r);
		if (take(r, ',')) {
			if (!object) {
				jg_out_put(out, ", ", n->pretty ? 2 : 1);
				return 1;
			}
			jg_out_put(out, ",\n", n->pretty ? 2 : 1);
			return write_name(r, out, n) == 0 ? 1 : -1;
		}
		if (!take(r, object ? '}' : ']'))
			return -1;
		n->depth--;
		if (object && n->pretty) {
			jg_out_put(out, "\n", 1);
			put_indent(out, n, n->depth);
		}
		jg_out_put(out, object ? "}" : "]", 1);
	}
	return 0;
}

/* One value, containers with all they hold; without recursion, so that the depth costs bits. */
static int write_value(struct reader *r, jg_out *out, int pretty)
{
	struct nesting n = { .depth = 0, .pretty = pretty };
	for (;;) {
		skip_space(r);
		int opened = 0;
		if (take(r, '{'))
			opened = open_container(r, out, &n, 1);
		else if (take(r, '['))
			opened = open_container(r, out, &n, 0);
		else
			opened = write_scalar(r, out); /* 0 or -1: a scalar opens nothing */
		if (opened < 0)
			return -1;
		if (opened == 0) {
			int more = after_value(r, out, &n);
			if (more <= 0)
				return more;
		}
	}
}

int jg_json_print(jg_out *out, const char *text, size_t len, jg_json_style style)
{
	struct reader r = { (const unsigned char *)text, (const unsigned char *)text + len };
	skip_byte_order_mark(&r);
	if (write_value(&r, out, style == JG_JSON_PRETTY) != 0)
		return -1;
	skip_space(&r);
	return r.p == r.end ? 0 : -1;
}

static int discard(void *ctx, const char *data, size_t len)
{
	(void)ctx;
	(void)data;
	(void)len;
	return 0;
}

int jg_json_find_member(const char *text, size_t len, const char *name, const char **value,
	size_t *value_len)
{
	struct reader r = { (const unsigned char *)text, (const unsigned char *)text + len };
	char scratch[64];
	jg_out sink;
	jg_out_init_flushing(&sink, scratch, sizeof scratch, discard, NULL);
	skip_byte_order_mark(&r);
	skip_space(&r);
	if (!take(&r, '{'))
		return -1;
	skip_space(&r);
	if (take(&r, '}'))
		return -1;
	do {
		int match = 0;
		skip_space(&r);
		if (read_name(&r, name, &match) != 0)
			return -1;
		skip_space(&r);
		if (!take(&r, ':'))
			return -1;
		skip_space(&r);
		const unsigned char *start = r.p;
		if (write_value(&r, &sink, 0) != 0)
			return -1;
		if (match) {
			*value = (const char *)start;
			*value_len = (size_t)(r.p - start);
			return 0;
		}
		skip_space(&r);
	} while (take(&r, ','));
	return -1;
}
