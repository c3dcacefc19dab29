/*
 * The chunked body decoder (src/net/http.h: jg_http_chunked_init, _decode), fed in pieces as the
 * reader does: the caller keeps the decoded bytes at the front of its buffer and places each
 * new raw piece right after them.
 *
 * Input: the split control of fuzz_util.h, then the raw chunked body.
 *
 * Checked: decoding in pieces gives the same result as in one call (the same data, the same
 * bytes left after the body, or failure in both with the same reason); the bytes left over are
 * the input's own tail; a failed decoder stays failed; a finished one decodes nothing more.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_util.h"
#include "net/http.h"

typedef struct outcome {
	int rc;             /* -1, -2, or >= 0: finished */
	size_t decoded;     /* data bytes, at the front of buf */
	size_t consumed;    /* raw bytes that belonged to the body */
	const char *why;
} outcome;

/* Decode s->data in pieces (one when whole) into buf (s->len bytes). */
static void run(const fuzz_split *s, int whole, char *buf, outcome *o)
{
	jg_http_chunked c;
	size_t pos = 0;

	jg_http_chunked_init(&c);
	memset(o, 0, sizeof *o);
	o->rc = -2;
	for (size_t i = 0; pos < s->len; i++) {
		size_t n = whole ? s->len : fuzz_split_piece(s, i, s->len - pos);
		size_t len = n;
		memcpy(buf + o->decoded, s->data + pos, n);
		o->rc = jg_http_chunked_decode(&c, buf + o->decoded, &len);
		if (o->rc == -1) {
			FUZZ_CHECK(len == 0 && c.why != NULL);
			o->why = c.why;
			size_t again = 1;
			FUZZ_CHECK(jg_http_chunked_decode(&c, buf + o->decoded, &again) == -1);
			FUZZ_CHECK(again == 0);
			return;
		}
		FUZZ_CHECK(len <= n);
		if (o->rc == -2) {
			o->decoded += len;
			pos += n;
			continue;
		}
		/* Finished: rc bytes followed the body, moved to just after the data. */
		FUZZ_CHECK(o->rc >= 0 && (size_t)o->rc <= n - len);
		FUZZ_CHECK(memcmp(buf + o->decoded + len, s->data + pos + n - (size_t)o->rc,
			(size_t)o->rc) == 0);
		o->decoded += len;
		o->consumed = pos + n - (size_t)o->rc;
		/* Later calls decode nothing and hand the whole piece back. */
		size_t more = (size_t)o->rc;
		FUZZ_CHECK(jg_http_chunked_decode(&c, buf + o->decoded, &more) == o->rc);
		FUZZ_CHECK(more == 0);
		return;
	}
	o->consumed = s->len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_split s;
	outcome one, pieces;

	if (fuzz_split_read(data, size, &s) != 0)
		return 0;
	char *buf_one = fuzz_alloc(s.len);
	char *buf_pieces = fuzz_alloc(s.len);
	run(&s, 1, buf_one, &one);
	run(&s, 0, buf_pieces, &pieces);
	FUZZ_CHECK((one.rc == -1) == (pieces.rc == -1));
	if (one.rc == -1) {
		FUZZ_CHECK(strcmp(one.why, pieces.why) == 0);
	} else {
		FUZZ_CHECK((one.rc >= 0) == (pieces.rc >= 0));
		FUZZ_CHECK(one.decoded == pieces.decoded && one.consumed == pieces.consumed);
		FUZZ_CHECK(memcmp(buf_one, buf_pieces, one.decoded) == 0);
		FUZZ_CHECK(one.decoded <= one.consumed);
	}
	free(buf_one);
	free(buf_pieces);
	return 0;
}
