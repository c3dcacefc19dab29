#include "crypto/pem.h"

#include <string.h>

#include <bearssl.h>

#include "base/wipe.h"

struct sink {
	unsigned char *buf;
	size_t cap;
	size_t len;
	size_t used; /* the most ever held: what must be wiped */
	int overflow;
};

static void sink_append(void *ctx, const void *data, size_t len)
{
	struct sink *s = ctx;
	if (len > s->cap - s->len) {
		s->overflow = 1;
		return;
	}
	memcpy(s->buf + s->len, data, len);
	s->len += len;
	if (s->len > s->used)
		s->used = s->len;
}

/* Handle one decoder event. Returns 1 to stop (visitor asked), -1 on error, 0 to go on. */
static int handle_event(br_pem_decoder_context *pc, struct sink *s, int *count,
	jg_pem_visit visit, void *ctx)
{
	switch (br_pem_decoder_event(pc)) {
	case BR_PEM_BEGIN_OBJ:
		s->len = 0;
		s->overflow = 0;
		br_pem_decoder_setdest(pc, sink_append, s);
		return 0;
	case BR_PEM_END_OBJ:
		if (s->overflow)
			return -1;
		(*count)++;
		return visit(ctx, br_pem_decoder_name(pc), s->buf, s->len) != 0 ? 1 : 0;
	case BR_PEM_ERROR:
		return -1;
	default:
		return 0;
	}
}

/* Feed bytes to the decoder, handling each event as it comes. */
static int push_run(br_pem_decoder_context *pc, struct sink *s, const unsigned char *data,
	size_t len, int *count, jg_pem_visit visit, void *ctx)
{
	while (len > 0) {
		size_t used = br_pem_decoder_push(pc, data, len);
		data += used;
		len -= used;
		int r = handle_event(pc, s, count, visit, ctx);
		if (r != 0)
			return r;
	}
	return 0;
}

/* Feed everything but carriage returns: BearSSL's decoder reads "\r" as part of a line's text,
 * so CRLF files would otherwise end up with labels like "PRIVATE KEY-----\r". */
static int push_all(br_pem_decoder_context *pc, struct sink *s, const unsigned char *data,
	size_t len, int *count, jg_pem_visit visit, void *ctx)
{
	while (len > 0) {
		const unsigned char *cr = memchr(data, '\r', len);
		size_t run = cr ? (size_t)(cr - data) : len;
		int r = push_run(pc, s, data, run, count, visit, ctx);
		if (r != 0)
			return r;
		run += cr ? 1 : 0;
		data += run;
		len -= run;
	}
	return 0;
}

int jg_pem_walk(const unsigned char *text, size_t len, unsigned char *der, size_t cap,
	jg_pem_visit visit, void *ctx)
{
	br_pem_decoder_context pc;
	struct sink s = { der, cap, 0, 0, 0 };
	int count = 0;
	br_pem_decoder_init(&pc);
	int r = push_all(&pc, &s, text, len, &count, visit, ctx);
	if (r == 0 && (len == 0 || text[len - 1] != '\n'))
		r = push_all(&pc, &s, (const unsigned char *)"\n", 1, &count, visit, ctx);
	jg_wipe(der, s.used);
	jg_wipe(&pc, sizeof pc);
	return r < 0 ? -1 : count;
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
