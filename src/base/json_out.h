/*
 * Writing text and JSON: the one place that knows how jwtgrant writes a JSON string.
 *
 * jg_out is a sink over the caller's buffer. Bytes go into buf, which stays NUL-terminated;
 * when it is full, a sink with a flush function hands what it holds to flush and starts over,
 * and a sink without one fails. The failure is sticky (`failed`), checked once at the end, as
 * BearSSL's engines keep their error.
 *
 * JSON strings are written as cJSON_Print writes them, and safe for a terminal: a quote, then
 * each byte of the C string with `"` and `\` escaped by a backslash, \b \f \n \r \t by their
 * letters, every other control character as \u00xx (lowercase hex): the bytes below 0x20, DEL
 * (0x7f) and the C1 controls U+0080 to U+009F (UTF-8 C2 80 to C2 9F), which cJSON writes raw
 * and a terminal obeys; every other byte as it is (UTF-8 passes through, '/' is not escaped);
 * then a quote.
 */
#ifndef JG_JSON_OUT_H
#define JG_JSON_OUT_H

#include <stddef.h>

/* Takes data[0..len); returns 0, or -1 when it could not (the sink then fails). */
typedef int (*jg_out_flush_fn)(void *ctx, const char *data, size_t len);

typedef struct jg_out {
	char *buf;
	size_t cap;  /* bytes of buf, the NUL included */
	size_t len;  /* bytes held, before the NUL */
	int failed;  /* sticky: did not fit, or flush failed */
	jg_out_flush_fn flush;
	void *flush_ctx;
} jg_out;

/* A sink into buf[0..cap) that fails when the text does not fit (cap 0: failed at once). */
void jg_out_init(jg_out *o, char *buf, size_t cap);

/* A sink that hands buf's contents to flush(ctx, ...) whenever it is full; see jg_out_finish. */
void jg_out_init_flushing(jg_out *o, char *buf, size_t cap, jg_out_flush_fn flush, void *ctx);

/* A flush function writing to a stdio stream (ctx is the FILE *). */
int jg_out_write_stream(void *ctx, const char *data, size_t len);

/* Append s[0..n), or the NUL-terminated s. */
void jg_out_put(jg_out *o, const char *s, size_t n);
void jg_out_puts(jg_out *o, const char *s);

/* A whole number in decimal: "0", "18446744073709551615". */
void jg_out_put_unsigned(jg_out *o, unsigned long long value);

/* Flush what a flushing sink still holds. Returns 0, or -1 when the sink has failed. */
int jg_out_finish(jg_out *o);

/* The JSON string literal of the C string s, quotes included (see above). */
void jg_json_put_string(jg_out *o, const char *s);

/* "name": (the member name as a JSON string, then a colon, no space). */
void jg_json_put_name(jg_out *o, const char *name);

/* An integer in decimal, as cJSON prints a whole number: "-12", "0". */
void jg_json_put_integer(jg_out *o, long long value);

/* The text with DEL and the C1 controls written as \u007f, \u0080 ... \u009f, every other byte
 * as it is: for JSON text from cJSON's printer, which escapes the rest (decode). */
void jg_json_put_terminal_safe(jg_out *o, const char *text);

/* One character below 0x20, or DEL and the C1 controls (0x7f to 0x9f), escaped: \b \f \n \r \t
 * by their letters, every other one as \u00xx (lowercase hex). */
void jg_json_put_control(jg_out *o, unsigned code);

#endif
