/*
 * The chunked transfer coding of HTTP/1.1 (RFC 9112, section 7.1), decoded in place (http.h).
 */
#include "net/http.h"

#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "base/ascii.h"
#include "net/http_text.h"

/* ---- chunked bodies ------------------------------------------------------------------------ */

/* Where the decoder is in "<hex>[ ;ext] CRLF <data> CRLF ... 0 CRLF [trailers] CRLF". */
enum {
	CHUNK_SIZE_FIRST = 0, /* the first hex digit of a size */
	CHUNK_SIZE,           /* more hex digits */
	CHUNK_SIZE_SPACE,     /* spaces after the digits, before ';' or the line end */
	CHUNK_EXTENSION,      /* ";..." up to the line end, ignored */
	CHUNK_SIZE_LF,        /* the LF after the size line's CR */
	CHUNK_DATA,           /* `remaining` data bytes */
	CHUNK_DATA_CR,        /* the CR LF after the data */
	CHUNK_DATA_LF,
	CHUNK_TRAILER_START,  /* a trailer line, or the empty line that ends the body */
	CHUNK_TRAILER_NAME,
	CHUNK_TRAILER_VALUE,
	CHUNK_TRAILER_LF,
	CHUNK_END_LF,         /* the LF of the final empty line */
	CHUNK_DONE,
	CHUNK_FAILED
};

void jg_http_chunked_init(jg_http_chunked *c)
{
	memset(c, 0, sizeof *c);
	c->state = CHUNK_SIZE_FIRST;
}

static int fail_chunk(jg_http_chunked *c, const char *why)
{
	c->state = CHUNK_FAILED;
	c->why = why;
	return -1;
}

/* Count one more byte of a size or trailer line against the line cap. Without the cap an
 * endless extension or trailer would be read forever, since those bytes are dropped and never
 * count against the reader's buffer. */
static int count_line_byte(jg_http_chunked *c, int next_state)
{
	if (++c->line_length > JG_HTTP_MAX_LINE)
		return fail_chunk(c, "a chunk size or trailer line longer than 8192 bytes");
	c->state = next_state;
	return 0;
}

static int start_line(jg_http_chunked *c, int next_state)
{
	c->line_length = 0;
	c->state = next_state;
	return 0;
}

/* The size line ended: data follows, or the trailers after the last (zero-size) chunk. */
static int end_size_line(jg_http_chunked *c)
{
	return start_line(c, c->remaining == 0 ? CHUNK_TRAILER_START : CHUNK_DATA);
}

static int step_size(jg_http_chunked *c, unsigned char b)
{
	int digit = jg_ascii_hex_value(b);

	if (digit >= 0 && (c->state == CHUNK_SIZE_FIRST || c->state == CHUNK_SIZE)) {
		if (c->remaining > (SIZE_MAX >> 4))
			return fail_chunk(c, "chunk size overflow");
		c->remaining = (c->remaining << 4) | (size_t)digit;
		return count_line_byte(c, CHUNK_SIZE);
	}
	if (c->state == CHUNK_SIZE_FIRST)
		return fail_chunk(c, "chunk size is not hexadecimal");
	if (b == '\r')
		return start_line(c, CHUNK_SIZE_LF);
	if (b == '\n')
		return end_size_line(c);
	if (b == ';')
		return count_line_byte(c, CHUNK_EXTENSION);
	if (is_space_or_tab(b))
		return count_line_byte(c, CHUNK_SIZE_SPACE);
	return fail_chunk(c, "chunk size is not hexadecimal");
}

static int step_trailer(jg_http_chunked *c, unsigned char b)
{
	switch (c->state) {
	case CHUNK_TRAILER_START:
		if (b == '\r')
			return start_line(c, CHUNK_END_LF);
		if (b == '\n')
			return start_line(c, CHUNK_DONE);
		if (is_space_or_tab(b))
			return fail_chunk(c, "a folded trailer line (obs-fold)");
		if (!is_token_char(b))
			return fail_chunk(c, "a malformed trailer field");
		if (++c->trailers > JG_HTTP_MAX_HEADERS)
			return fail_chunk(c, "more than 64 trailer fields");
		return count_line_byte(c, CHUNK_TRAILER_NAME);
	case CHUNK_TRAILER_NAME:
		if (b == ':')
			return count_line_byte(c, CHUNK_TRAILER_VALUE);
		if (!is_token_char(b))
			return fail_chunk(c, "a malformed trailer field");
		return count_line_byte(c, CHUNK_TRAILER_NAME);
	case CHUNK_TRAILER_VALUE:
		if (b == '\r')
			return start_line(c, CHUNK_TRAILER_LF);
		if (b == '\n')
			return start_line(c, CHUNK_TRAILER_START);
		if (is_forbidden_control(b))
			return fail_chunk(c, "a control character in a trailer field");
		return count_line_byte(c, CHUNK_TRAILER_VALUE);
	default: /* CHUNK_TRAILER_LF */
		if (b != '\n')
			return fail_chunk(c, "a trailer line not ended by CRLF");
		return start_line(c, CHUNK_TRAILER_START);
	}
}

/* Consume one framing byte (everything but chunk data). */
static int step_chunk(jg_http_chunked *c, unsigned char b)
{
	switch (c->state) {
	case CHUNK_SIZE_FIRST:
	case CHUNK_SIZE:
	case CHUNK_SIZE_SPACE:
		return step_size(c, b);
	case CHUNK_EXTENSION:
		if (b == '\r')
			return start_line(c, CHUNK_SIZE_LF);
		if (b == '\n')
			return end_size_line(c);
		if (is_forbidden_control(b))
			return fail_chunk(c, "a control character in a chunk extension");
		return count_line_byte(c, CHUNK_EXTENSION);
	case CHUNK_SIZE_LF:
		if (b != '\n')
			return fail_chunk(c, "a chunk size line not ended by CRLF");
		return end_size_line(c);
	case CHUNK_DATA_CR:
		if (b == '\r')
			return start_line(c, CHUNK_DATA_LF);
		if (b == '\n')
			return start_line(c, CHUNK_SIZE_FIRST);
		return fail_chunk(c, "chunk data not followed by CRLF");
	case CHUNK_DATA_LF:
		if (b != '\n')
			return fail_chunk(c, "chunk data not followed by CRLF");
		return start_line(c, CHUNK_SIZE_FIRST);
	case CHUNK_END_LF:
		if (b != '\n')
			return fail_chunk(c, "the chunked body not ended by CRLF");
		return start_line(c, CHUNK_DONE);
	default:
		return step_trailer(c, b);
	}
}

int jg_http_chunked_decode(jg_http_chunked *c, char *buf, size_t *len)
{
	size_t n = *len, src = 0, dst = 0;

	*len = 0;
	if (c->state == CHUNK_FAILED)
		return -1;
	if (n > INT_MAX)
		return fail_chunk(c, "a piece larger than INT_MAX bytes");
	while (src < n && c->state != CHUNK_DONE) {
		if (c->state == CHUNK_DATA) {
			size_t take = n - src < c->remaining ? n - src : c->remaining;
			memmove(buf + dst, buf + src, take);
			dst += take;
			src += take;
			c->remaining -= take;
			if (c->remaining == 0)
				c->state = CHUNK_DATA_CR;
		} else if (step_chunk(c, (unsigned char)buf[src++]) < 0) {
			return -1;
		}
	}
	*len = dst;
	if (c->state != CHUNK_DONE)
		return -2;
	memmove(buf + dst, buf + src, n - src);
	return (int)(n - src);
}

