/*
 * The part of the HTTP reader targets (fuzz_http.c, fuzz_http_connect.c) that feeds an answer
 * to a jg_http_reader and records what became of it.
 *
 * Input: the split control of fuzz_util.h, then the answer bytes. Flag bit 0 chooses a small
 * buffer (64 to 4144 bytes, from the first size byte) instead of JG_HTTP_ANSWER_MAX, so that
 * the caps are reached; flag bit 1 leaves out the final jg_http_reader_eof.
 */
#ifndef JG_FUZZ_READER_H
#define JG_FUZZ_READER_H

#include <stddef.h>
#include <stdint.h>

#include "fuzz_util.h"
#include "net/http.h"

typedef struct reader_outcome {
	jg_status status; /* of the last push, or of eof */
	int complete;
	int http_status;
	jg_http_framing framing;
	size_t body_len;
	char *body; /* a copy, to be freed */
} reader_outcome;

/* The buffer size the flags ask for. */
static inline size_t reader_cap(const fuzz_split *s)
{
	if ((s->flags & 1) && s->count > 0)
		return 64 + (size_t)s->sizes[0] * 16;
	return JG_HTTP_ANSWER_MAX;
}

/* The public fields of a complete reader point into its buffer and agree with each other. */
static inline void reader_check_complete(const jg_http_reader *r, const char *buf, size_t cap)
{
	FUZZ_CHECK(r->status == r->head.status && r->status >= 200 && r->status <= 599);
	FUZZ_CHECK(r->head.minor_version >= 0 && r->head.minor_version <= 9);
	FUZZ_CHECK(r->framing != JG_HTTP_BODY_UNKNOWN);
	FUZZ_CHECK(r->head.num_headers <= JG_HTTP_MAX_HEADERS);
	FUZZ_CHECK(r->body >= buf && r->body_len <= cap &&
		(size_t)(r->body - buf) <= cap - r->body_len);
	FUZZ_CHECK(r->head.reason >= buf && r->head.reason + r->head.reason_len <= r->body);
	for (size_t i = 0; i < r->head.num_headers; i++) {
		const jg_http_header *h = &r->head.headers[i];
		FUZZ_CHECK(h->name_len > 0 && h->name >= buf && h->name + h->name_len <= r->body);
		FUZZ_CHECK(h->value >= buf && h->value + h->value_len <= r->body);
	}
	if (r->framing == JG_HTTP_BODY_NONE)
		FUZZ_CHECK(r->body_len == 0);
	if (r->framing == JG_HTTP_BODY_LENGTH) { /* chunked wins over Content-Length */
		FUZZ_CHECK(r->body_len == r->body_expected);
		FUZZ_CHECK(jg_http_find_header(&r->head, "transfer-encoding") == NULL);
	}
}

/* Feed s->data in the pieces s describes (all at once when whole), then the close unless the
 * flags leave it out, and record the outcome. */
static inline void reader_run(const fuzz_split *s, int connect_mode, int whole,
	reader_outcome *o)
{
	jg_http_reader r;
	jg_error err;
	size_t cap = reader_cap(s);
	char *buf = fuzz_alloc(cap);
	size_t pos = 0;

	memset(o, 0, sizeof *o);
	if (connect_mode)
		jg_http_reader_init_connect(&r, buf, cap);
	else
		jg_http_reader_init(&r, buf, cap);
	for (size_t i = 0; pos < s->len && !o->complete; i++) {
		size_t n = whole ? s->len : fuzz_split_piece(s, i, s->len - pos);
		/* Each piece in its own exact-size allocation: an over-read is caught. */
		char *piece = fuzz_copy(s->data + pos, n);
		o->status = jg_http_reader_push(&r, piece, n, &o->complete, &err);
		free(piece);
		pos += n;
		if (o->status != JG_OK)
			break;
	}
	if (o->status == JG_OK && !(s->flags & 2)) {
		o->status = jg_http_reader_eof(&r, &err);
		o->complete = r.complete;
	}
	if (o->status != JG_OK) {
		int complete = 1;
		FUZZ_CHECK(o->status == JG_ERR_PROTOCOL && err.status == JG_ERR_PROTOCOL);
		FUZZ_CHECK(fuzz_terminated(err.message, sizeof err.message));
		FUZZ_CHECK(err.message[0] != '\0' && strchr(err.message, '\n') == NULL);
		/* Sticky: the reader refuses everything after a failure. */
		FUZZ_CHECK(jg_http_reader_push(&r, "x", 1, &complete, &err) == JG_ERR_PROTOCOL);
		FUZZ_CHECK(complete == 0);
		FUZZ_CHECK(jg_http_reader_eof(&r, &err) == JG_ERR_PROTOCOL);
		o->complete = 0;
	} else if (o->complete) {
		reader_check_complete(&r, buf, cap);
		o->http_status = r.status;
		o->framing = r.framing;
		o->body_len = r.body_len;
		o->body = fuzz_copy(r.body, r.body_len);
	}
	free(buf);
}

/*
 * Both runs ended the same way. Without the final close (flag bit 1) only a contradiction
 * counts: one run complete and the other failed. An error is not always seen as early: the
 * reader parses the head again only when a line may have ended (head_may_have_changed), so a
 * bad byte that came alone in a push is caught at the next line end or at the close.
 */
static inline void reader_check_same(const reader_outcome *a, const reader_outcome *b, int eof)
{
	if (eof) {
		FUZZ_CHECK((a->status == JG_OK) == (b->status == JG_OK));
		FUZZ_CHECK(a->complete == b->complete);
	} else {
		FUZZ_CHECK(!(a->complete && b->status != JG_OK));
		FUZZ_CHECK(!(b->complete && a->status != JG_OK));
		if (a->status == JG_OK && b->status == JG_OK)
			FUZZ_CHECK(a->complete == b->complete);
	}
	if (a->complete && b->complete) {
		FUZZ_CHECK(a->http_status == b->http_status);
		FUZZ_CHECK(a->framing == b->framing);
		FUZZ_CHECK(a->body_len == b->body_len);
		FUZZ_CHECK(memcmp(a->body, b->body, a->body_len) == 0);
	}
}

#endif
