#include "crypto/pem.h"

#include <string.h>

#include <bearssl.h>

#include "base/wipe.h"

/* The decoder's destination for a wanted object: append to the buffer while it fits. */
// NOLINTNEXTLINE(bugprone-easily-swappable-parameters): BearSSL's callback type
static void collect(void *ctx, const void *data, size_t len)
{
	jg_pem_reader *r = ctx;
	if (r->overflow || len > r->cap - r->len) {
		r->overflow = 1;
		return;
	}
	memcpy(r->buf + r->len, data, len);
	r->len += len;
	if (r->len > r->used)
		r->used = r->len;
}

void jg_pem_reader_init(jg_pem_reader *r, const char *wanted, unsigned char *buf, size_t cap,
	jg_pem_visit visit, void *ctx)
{
	memset(r, 0, sizeof *r);
	r->wanted = wanted;
	r->buf = buf;
	r->cap = cap;
	r->visit = visit;
	r->ctx = ctx;
	br_pem_decoder_init(&r->decoder);
}

/* The visitor's answer to the decoder's current event, if any. */
static int handle_event(jg_pem_reader *r)
{
	const char *label = br_pem_decoder_name(&r->decoder);
	switch (br_pem_decoder_event(&r->decoder)) {
	case BR_PEM_BEGIN_OBJ:
		r->inside = r->wanted == NULL || strcmp(label, r->wanted) == 0;
		r->len = 0;
		r->overflow = 0;
		br_pem_decoder_setdest(&r->decoder, r->inside ? collect : NULL, r);
		return r->visit(r->ctx, JG_PEM_BEGIN, label, NULL, 0);
	case BR_PEM_END_OBJ:
		if (!r->inside)
			return 0;
		r->inside = 0;
		if (r->overflow)
			return r->visit(r->ctx, JG_PEM_TOO_LARGE, label, NULL, 0);
		return r->visit(r->ctx, JG_PEM_OBJECT, label, r->buf, r->len);
	case BR_PEM_ERROR:
		if (!r->inside)
			return 0;
		r->inside = 0;
		return r->visit(r->ctx, JG_PEM_BROKEN, label, NULL, 0);
	default:
		return 0;
	}
}

/* Feed a run without carriage returns, handling each event as it comes. */
static void push_run(jg_pem_reader *r, const unsigned char *data, size_t len)
{
	while (len > 0 && !r->stopped) {
		size_t used = br_pem_decoder_push(&r->decoder, data, len);
		data += used;
		len -= used;
		r->stopped = handle_event(r) != 0;
	}
}

int jg_pem_reader_push(jg_pem_reader *r, const unsigned char *text, size_t len)
{
	while (len > 0 && !r->stopped) {
		const unsigned char *cr = memchr(text, '\r', len);
		size_t run = cr != NULL ? (size_t)(cr - text) : len;
		push_run(r, text, run);
		run += cr != NULL ? 1 : 0;
		text += run;
		len -= run;
	}
	return r->stopped;
}

int jg_pem_reader_finish(jg_pem_reader *r)
{
	jg_pem_reader_push(r, (const unsigned char *)"\n", 1);
	int cut_off = !r->stopped && r->inside;
	r->inside = 0;
	jg_wipe(&r->decoder, sizeof r->decoder);
	return cut_off;
}

/* Counts the objects delivered on the way to the caller's visitor. */
typedef struct counted_walk {
	jg_pem_visit visit;
	void *ctx;
	int count;
} counted_walk;

static int count_object(void *ctx, jg_pem_event event, const char *label,
	const unsigned char *der, size_t len)
{
	counted_walk *walk = ctx;
	if (event == JG_PEM_OBJECT)
		walk->count++;
	return walk->visit(walk->ctx, event, label, der, len);
}

int jg_pem_walk(const unsigned char *text, size_t len, const char *wanted, unsigned char *buf,
	size_t cap, jg_pem_visit visit, void *ctx)
{
	counted_walk walk = { visit, ctx, 0 };
	jg_pem_reader r;
	jg_pem_reader_init(&r, wanted, buf, cap, count_object, &walk);
	jg_pem_reader_push(&r, text, len);
	(void)jg_pem_reader_finish(&r);
	jg_wipe(buf, r.used);
	return walk.count;
}

int jg_pem_looks_like(const unsigned char *text, size_t len)
{
	static const char begin[] = "-----BEGIN ";
	size_t n = sizeof begin - 1;
	for (size_t i = 0; i + n <= len; i++) {
		if (memcmp(text + i, begin, n) == 0)
			return 1;
	}
	return 0;
}

jg_status jg_pem_write(const char *label, const unsigned char *der, size_t len, char *out,
	size_t cap, size_t *out_len, jg_error *err)
{
	*out_len = 0;
	size_t need = br_pem_encode(NULL, der, len, label, BR_PEM_LINE64);
	if (need >= cap)
		return jg_fail(err, JG_ERR_INPUT, "%s PEM: does not fit in %zu bytes", label, cap);
	*out_len = br_pem_encode(out, der, len, label, BR_PEM_LINE64);
	return JG_OK;
}
