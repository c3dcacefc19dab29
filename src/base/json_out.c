#include "base/json_out.h"

#include <stdio.h>
#include <string.h>

void jg_out_init(jg_out *o, char *buf, size_t cap)
{
	jg_out_init_flushing(o, buf, cap, NULL, NULL);
}

void jg_out_init_flushing(jg_out *o, char *buf, size_t cap, jg_out_flush_fn flush, void *ctx)
{
	o->buf = buf;
	o->cap = cap;
	o->len = 0;
	o->failed = cap == 0;
	o->flush = flush;
	o->flush_ctx = ctx;
	if (cap > 0)
		buf[0] = '\0';
}

int jg_out_write_stream(void *ctx, const char *data, size_t len)
{
	return fwrite(data, 1, len, (FILE *)ctx) == len ? 0 : -1;
}

/* Hand the buffer to flush and start it over; without flush, the sink fails. */
static void drain(jg_out *o)
{
	if (o->flush == NULL || o->flush(o->flush_ctx, o->buf, o->len) != 0) {
		o->failed = 1;
		return;
	}
	o->len = 0;
	o->buf[0] = '\0';
}

void jg_out_put(jg_out *o, const char *s, size_t n)
{
	while (!o->failed && n > 0) {
		size_t room = o->cap - 1 - o->len;
		if (room == 0) {
			drain(o);
			continue;
		}
		size_t k = n < room ? n : room;
		memcpy(o->buf + o->len, s, k);
		o->len += k;
		o->buf[o->len] = '\0';
		s += k;
		n -= k;
	}
}

void jg_out_puts(jg_out *o, const char *s)
{
	jg_out_put(o, s, strlen(s));
}

int jg_out_finish(jg_out *o)
{
	if (!o->failed && o->flush != NULL && o->len > 0)
		drain(o);
	return o->failed ? -1 : 0;
}

void jg_json_put_control(jg_out *o, unsigned code)
{
	static const char hex[] = "0123456789abcdef";
	char esc[6] = { '\\', 'u', '0', '0', hex[(code >> 4) & 15], hex[code & 15] };
	switch (code) {
	case '\b': jg_out_put(o, "\\b", 2); return;
	case '\f': jg_out_put(o, "\\f", 2); return;
	case '\n': jg_out_put(o, "\\n", 2); return;
	case '\r': jg_out_put(o, "\\r", 2); return;
	case '\t': jg_out_put(o, "\\t", 2); return;
	default: jg_out_put(o, esc, sizeof esc); return;
	}
}

/* The control character at s (see the top) and its length in bytes, or 0 for any other. */
static size_t control_at(const unsigned char *s, unsigned *code)
{
	if (s[0] < 0x20 || s[0] == 0x7f) {
		*code = s[0];
		return 1;
	}
	if (s[0] == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f) {
		*code = s[1];
		return 2;
	}
	return 0;
}

void jg_json_put_string(jg_out *o, const char *s)
{
	jg_out_put(o, "\"", 1);
	const char *run = s; /* bytes not yet written, that need no escape */
	while (*s) {
		unsigned code = 0;
		size_t n = control_at((const unsigned char *)s, &code);
		if (n == 0 && *s != '"' && *s != '\\') {
			s++;
			continue;
		}
		jg_out_put(o, run, (size_t)(s - run));
		if (n > 0)
			jg_json_put_control(o, code);
		else
			jg_out_put(o, *s == '"' ? "\\\"" : "\\\\", 2);
		s += n > 0 ? n : 1;
		run = s;
	}
	jg_out_put(o, run, (size_t)(s - run));
	jg_out_put(o, "\"", 1);
}

void jg_json_put_terminal_safe(jg_out *o, const char *text)
{
	const char *run = text;
	while (*text) {
		unsigned code = 0;
		size_t n = (unsigned char)*text >= 0x20 ? control_at((const unsigned char *)text, &code) : 0;
		if (n == 0) {
			text++;
			continue;
		}
		jg_out_put(o, run, (size_t)(text - run));
		jg_json_put_control(o, code);
		text += n;
		run = text;
	}
	jg_out_put(o, run, (size_t)(text - run));
}

void jg_json_put_name(jg_out *o, const char *name)
{
	jg_json_put_string(o, name);
	jg_out_put(o, ":", 1);
}

void jg_out_put_unsigned(jg_out *o, unsigned long long value)
{
	char digits[24];
	size_t i = sizeof digits;
	do {
		digits[--i] = (char)('0' + value % 10);
		value /= 10;
	} while (value > 0);
	jg_out_put(o, digits + i, sizeof digits - i);
}

void jg_json_put_integer(jg_out *o, long long value)
{
	if (value < 0)
		jg_out_put(o, "-", 1);
	/* The magnitude in unsigned arithmetic, so that LLONG_MIN has one too. */
	jg_out_put_unsigned(o, value < 0 ? 0ULL - (unsigned long long)value : (unsigned long long)value);
}
