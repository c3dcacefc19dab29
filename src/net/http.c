/*
 * HTTP/1.1 requests and answers for the token exchange. See http.h for the wire formats; the
 * comments here say why the code is shaped the way it is.
 */
#include "net/http.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/ascii.h"
#include <stdio.h>
#include "base/wipe.h"

/* ---- characters ---------------------------------------------------------------------------- */

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* RFC 9110 tchar: the characters of a header name or a transfer coding. */
static int is_token_char(unsigned char c)
{
	if (is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return 1;
	return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* A control character other than tab: never allowed inside a line. */
static int is_forbidden_control(unsigned char c)
{
	return (c < 0x20 && c != '\t') || c == 0x7f;
}

static int is_space_or_tab(unsigned char c)
{
	return c == ' ' || c == '\t';
}

/* ---- requests ------------------------------------------------------------------------------ */

/* Appends to a request head. Overflow is sticky and checked once, at the end (as BearSSL's
 * engines do); the text so far is always NUL-terminated. */
typedef struct head_writer {
	char *out;
	size_t cap;
	size_t len;
	int overflow;
} head_writer;

static void write_bytes(head_writer *w, const char *s, size_t n)
{
	/* One byte of cap stays free for the terminating NUL. */
	if (w->overflow || w->cap == 0 || n >= w->cap - w->len) {
		w->overflow = 1;
		return;
	}
	memcpy(w->out + w->len, s, n);
	w->len += n;
	w->out[w->len] = '\0';
}

static void write_text(head_writer *w, const char *s)
{
	write_bytes(w, s, strlen(s));
}

static void write_decimal(head_writer *w, size_t value)
{
	char digits[24];
	size_t n = sizeof digits;
	do {
		digits[--n] = (char)('0' + value % 10);
		value /= 10;
	} while (value != 0);
	write_bytes(w, digits + n, sizeof digits - n);
}

/* "host" or, for an IPv6 literal, "[host]". */
static void write_host(head_writer *w, const char *host)
{
	int ipv6 = strchr(host, ':') != NULL;
	if (ipv6)
		write_text(w, "[");
	write_text(w, host);
	if (ipv6)
		write_text(w, "]");
}

/* Non-empty, printable ASCII only; spaces only when allowed. */
static int is_safe_field(const char *s, int spaces_allowed)
{
	if (s[0] == '\0')
		return 0;
	for (const char *p = s; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 || c > 0x7e || (c == ' ' && !spaces_allowed))
			return 0;
	}
	return 1;
}

static int is_safe_host(const char *host)
{
	return is_safe_field(host, 0) && strpbrk(host, "/?#@[]\\") == NULL;
}

static int is_base64_text(const char *s)
{
	if (s[0] == '\0')
		return 0;
	for (const char *p = s; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;
		if (!(is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '+' ||
		      c == '/' || c == '='))
			return 0;
	}
	return 1;
}

/* Wipe whatever was written (a CONNECT head may hold the proxy password) and report. */
static jg_status refuse_request(char *out, size_t cap, size_t *len, jg_error *err,
                                const char *why)
{
	jg_wipe(out, cap);
	*len = 0;
	return jg_fail(err, JG_ERR_USAGE, "cannot build the HTTP request: %s", why);
}

static jg_status check_request_fields(const char *host, int port, const char *user_agent,
                                      const char **why)
{
	if (host == NULL || !is_safe_host(host))
		*why = "invalid host (empty, or holding a space, control character, non-ASCII byte or "
		       "one of /?#@[]\\)";
	else if (port < 1 || port > 65535)
		*why = "port outside 1..65535";
	else if (user_agent != NULL && !is_safe_field(user_agent, 1))
		*why = "invalid User-Agent (empty, or holding a control character or non-ASCII byte)";
	else
		return JG_OK;
	return JG_ERR_USAGE;
}

static jg_status finish_request(head_writer *w, size_t *len, jg_error *err)
{
	if (w->overflow) {
		char why[64];
		(void)snprintf(why, sizeof why, "the head does not fit in %zu bytes", w->cap);
		return refuse_request(w->out, w->cap, len, err, why);
	}
	*len = w->len;
	return JG_OK;
}

jg_status jg_http_build_post(char *out, size_t cap, size_t *len, const char *host, int port,
                             const char *path, const char *user_agent, size_t body_len,
                             jg_error *err)
{
	head_writer w = { out, cap, 0, 0 };
	const char *why = NULL;

	if (check_request_fields(host, port, user_agent, &why) != JG_OK)
		return refuse_request(out, cap, len, err, why);
	if (path == NULL || path[0] != '/' || !is_safe_field(path, 0))
		return refuse_request(out, cap, len, err,
		                      "invalid path (not starting with '/', or holding a space, "
		                      "control character or non-ASCII byte)");

	write_text(&w, "POST ");
	write_text(&w, path);
	write_text(&w, " HTTP/1.1\r\nHost: ");
	write_host(&w, host);
	if (port != 443) {
		write_text(&w, ":");
		write_decimal(&w, (size_t)port);
	}
	write_text(&w, "\r\n");
	if (user_agent != NULL) {
		write_text(&w, "User-Agent: ");
		write_text(&w, user_agent);
		write_text(&w, "\r\n");
	}
	write_text(&w, "Accept: application/json\r\n"
	               "Content-Type: application/x-www-form-urlencoded\r\n"
	               "Content-Length: ");
	write_decimal(&w, body_len);
	write_text(&w, "\r\nConnection: close\r\n\r\n");
	return finish_request(&w, len, err);
}

jg_status jg_http_build_connect(char *out, size_t cap, size_t *len, const char *host, int port,
                                const char *proxy_auth_b64, const char *user_agent,
                                jg_error *err)
{
	head_writer w = { out, cap, 0, 0 };
	const char *why = NULL;

	if (check_request_fields(host, port, user_agent, &why) != JG_OK)
		return refuse_request(out, cap, len, err, why);
	/* Never quote the credentials themselves, not even in part. */
	if (proxy_auth_b64 != NULL && !is_base64_text(proxy_auth_b64))
		return refuse_request(out, cap, len, err,
		                      "proxy credentials are not base64 text");

	for (int line = 0; line < 2; line++) {
		write_text(&w, line == 0 ? "CONNECT " : "Host: ");
		write_host(&w, host);
		write_text(&w, ":");
		write_decimal(&w, (size_t)port);
		write_text(&w, line == 0 ? " HTTP/1.1\r\n" : "\r\n");
	}
	if (proxy_auth_b64 != NULL) {
		write_text(&w, "Proxy-Authorization: Basic ");
		write_text(&w, proxy_auth_b64);
		write_text(&w, "\r\n");
	}
	if (user_agent != NULL) {
		write_text(&w, "User-Agent: ");
		write_text(&w, user_agent);
		write_text(&w, "\r\n");
	}
	write_text(&w, "\r\n");
	return finish_request(&w, len, err);
}

/* ---- the head of an answer ----------------------------------------------------------------- */

/* What is wrong with a head; the reader turns these into messages through head_problems. */
typedef enum head_problem {
	HEAD_NOT_HTTP,
	HEAD_BAD_VERSION,
	HEAD_BAD_STATUS,
	HEAD_BARE_CR,
	HEAD_CONTROL_CHARACTER,
	HEAD_FOLDED_LINE,
	HEAD_NO_COLON,
	HEAD_SPACE_IN_NAME,
	HEAD_BAD_NAME,
	HEAD_LONG_LINE,
	HEAD_TOO_MANY_FIELDS
} head_problem;

static const struct {
	head_problem problem;
	int too_large; /* a cap was exceeded, rather than a rule broken */
	const char *text;
} head_problems[] = {
	{ HEAD_NOT_HTTP, 0, "not an HTTP/1.x status line" },
	{ HEAD_BAD_VERSION, 0, "bad HTTP version in the status line" },
	{ HEAD_BAD_STATUS, 0, "bad status code (not three digits from 100 to 599)" },
	{ HEAD_BARE_CR, 0, "a CR not followed by LF" },
	{ HEAD_CONTROL_CHARACTER, 0, "a control character in the head" },
	{ HEAD_FOLDED_LINE, 0, "a folded header line (obs-fold)" },
	{ HEAD_NO_COLON, 0, "a header line without a colon" },
	{ HEAD_SPACE_IN_NAME, 0, "a space in a header name or before its colon" },
	{ HEAD_BAD_NAME, 0, "an empty header name or one with a character not allowed" },
	{ HEAD_LONG_LINE, 1, "a line longer than 8192 bytes" },
	{ HEAD_TOO_MANY_FIELDS, 1, "more than 64 header fields" },
};

/* Where a line's content stops and where the next line starts, as offsets from its start. */
typedef struct line_span {
	size_t content_end;
	size_t next;
} line_span;

/*
 * Find the end of the line at line[0..available). 1: found, *span filled. -2: no line end yet,
 * and nothing wrong so far. -1: a forbidden control character, a CR not followed by LF, or more
 * than JG_HTTP_MAX_LINE bytes of content.
 */
static int find_line_end(const char *line, size_t available, line_span *span,
                         head_problem *problem)
{
	for (size_t i = 0; i < available; i++) {
		unsigned char c = (unsigned char)line[i];
		if (c == '\n' || c == '\r') {
			if (c == '\r' && i + 1 == available)
				return -2;
			if (c == '\r' && line[i + 1] != '\n') {
				*problem = HEAD_BARE_CR;
				return -1;
			}
			span->content_end = i;
			span->next = i + (c == '\r' ? 2 : 1);
			return 1;
		}
		if (i >= JG_HTTP_MAX_LINE) {
			*problem = HEAD_LONG_LINE;
			return -1;
		}
		if (is_forbidden_control(c)) {
			*problem = HEAD_CONTROL_CHARACTER;
			return -1;
		}
	}
	return -2;
}

/* "HTTP/1.<digit> <status>[ <reason>]". The "HTTP/1." prefix is checked on whatever has
 * arrived, so that an answer in another protocol fails at once rather than at its first LF. */
static int parse_status_line(const char *buf, size_t len, jg_http_head *head, size_t *next,
                             head_problem *problem)
{
	static const char prefix[] = "HTTP/1.";
	const size_t prefix_len = sizeof prefix - 1;
	line_span span;

	if (len == 0)
		return -2;
	if (memcmp(buf, prefix, len < prefix_len ? len : prefix_len) != 0) {
		*problem = HEAD_NOT_HTTP;
		return -1;
	}
	int rc = find_line_end(buf, len, &span, problem);
	if (rc != 1)
		return rc;
	size_t end = span.content_end;
	*next = span.next;

	const unsigned char *line = (const unsigned char *)buf;
	if (end < prefix_len + 2 || !is_digit(line[prefix_len]) || line[prefix_len + 1] != ' ') {
		*problem = end < prefix_len + 1 ? HEAD_NOT_HTTP : HEAD_BAD_VERSION;
		return -1;
	}
	size_t s = prefix_len + 2; /* the status code */
	if (end < s + 3 || !is_digit(line[s]) || !is_digit(line[s + 1]) || !is_digit(line[s + 2]) ||
	    (end > s + 3 && line[s + 3] != ' ')) {
		*problem = HEAD_BAD_STATUS;
		return -1;
	}
	head->minor_version = line[prefix_len] - '0';
	head->status = (line[s] - '0') * 100 + (line[s + 1] - '0') * 10 + (line[s + 2] - '0');
	if (head->status < 100 || head->status > 599) {
		*problem = HEAD_BAD_STATUS;
		return -1;
	}
	head->reason = buf + (end > s + 3 ? s + 4 : end);
	head->reason_len = end > s + 3 ? end - (s + 4) : 0;
	return 1;
}

/* "<name>:<OWS><value><OWS>" in line[0..n), n > 0, control characters already refused. */
static int parse_field_line(const char *line, size_t n, jg_http_header *field,
                            head_problem *problem)
{
	const char *colon = memchr(line, ':', n);

	if (is_space_or_tab((unsigned char)line[0])) {
		*problem = HEAD_FOLDED_LINE;
		return -1;
	}
	if (colon == NULL) {
		*problem = HEAD_NO_COLON;
		return -1;
	}
	size_t name_len = (size_t)(colon - line);
	if (name_len == 0) {
		*problem = HEAD_BAD_NAME;
		return -1;
	}
	for (size_t i = 0; i < name_len; i++) {
		unsigned char c = (unsigned char)line[i];
		if (!is_token_char(c)) {
			*problem = is_space_or_tab(c) ? HEAD_SPACE_IN_NAME : HEAD_BAD_NAME;
			return -1;
		}
	}
	size_t first = name_len + 1, last = n;
	while (first < last && is_space_or_tab((unsigned char)line[first]))
		first++;
	while (last > first && is_space_or_tab((unsigned char)line[last - 1]))
		last--;
	field->name = line;
	field->name_len = name_len;
	field->value = line + first;
	field->value_len = last - first;
	return 1;
}

/* jg_http_parse_head, also saying what was wrong. The result always fits in an int: a head is
 * at most 66 lines of at most JG_HTTP_MAX_LINE + 2 bytes. */
static int parse_head(const char *buf, size_t len, jg_http_head *head, head_problem *problem)
{
	size_t pos;
	line_span span;

	head->num_headers = 0;
	int rc = parse_status_line(buf, len, head, &pos, problem);
	if (rc != 1)
		return rc;
	for (;;) {
		rc = find_line_end(buf + pos, len - pos, &span, problem);
		if (rc != 1)
			return rc;
		if (span.content_end == 0)
			return (int)(pos + span.next);
		if (head->num_headers == JG_HTTP_MAX_HEADERS) {
			*problem = HEAD_TOO_MANY_FIELDS;
			return -1;
		}
		rc = parse_field_line(buf + pos, span.content_end, &head->headers[head->num_headers],
		                      problem);
		if (rc != 1)
			return rc;
		head->num_headers++;
		pos += span.next;
	}
}

int jg_http_parse_head(const char *buf, size_t len, jg_http_head *head)
{
	head_problem problem;
	return parse_head(buf, len, head, &problem);
}

const jg_http_header *jg_http_find_header(const jg_http_head *head, const char *name)
{
	for (size_t i = 0; i < head->num_headers; i++) {
		const jg_http_header *field = &head->headers[i];
		if (jg_ascii_equal_word(field->name, field->name_len, name))
			return field;
	}
	return NULL;
}

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

static int hex_value(unsigned char c)
{
	if (is_digit(c))
		return c - '0';
	c = (unsigned char)jg_ascii_lower((char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
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
	int digit = hex_value(b);

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

/* ---- reading one whole answer -------------------------------------------------------------- */

void jg_http_reader_init(jg_http_reader *r, char *buf, size_t cap)
{
	memset(r, 0, sizeof *r);
	r->buf = buf;
	r->cap = cap > INT_MAX ? INT_MAX : cap;
	jg_http_chunked_init(&r->chunked);
}

void jg_http_reader_init_connect(jg_http_reader *r, char *buf, size_t cap)
{
	jg_http_reader_init(r, buf, cap);
	r->connect_mode = 1;
}

/* Record a failure (sticky) and return its status; fmt reads like the rest of the message. */
static jg_status fail_reader(jg_http_reader *r, jg_error *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static jg_status fail_reader(jg_http_reader *r, jg_error *err, const char *fmt, ...)
{
	char message[JG_ERROR_MESSAGE_MAX];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(message, sizeof message, fmt, ap);
	va_end(ap);
	r->failed = 1;
	r->complete = 0;
	return jg_fail(err, JG_ERR_PROTOCOL, "%s", message);
}

static jg_status complete_reader(jg_http_reader *r)
{
	r->complete = 1;
	return JG_OK;
}

static jg_status report_head_problem(jg_http_reader *r, head_problem problem, jg_error *err)
{
	const char *text = "unknown problem";
	int too_large = 0;
	char start[48];

	for (size_t i = 0; i < sizeof head_problems / sizeof head_problems[0]; i++) {
		if (head_problems[i].problem == problem) {
			text = head_problems[i].text;
			too_large = head_problems[i].too_large;
		}
	}
	if (too_large)
		return fail_reader(r, err, "HTTP header section too large: %s", text);
	jg_http_printable_prefix(r->buf, r->len, start, sizeof start);
	return fail_reader(r, err, "HTTP answer malformed: %s (the answer starts with \"%s\")",
	                   text, start);
}

/*
 * Whether parsing the head again could give a new answer. A head completes only with a new LF,
 * so a pass is needed only when the bytes added since the last one hold an LF, when they are
 * among the first bytes (where "HTTP/1." is checked), or when the unfinished line is already
 * past its cap. This keeps the reader linear when a peer sends its head one byte at a time.
 */
static int head_may_have_changed(jg_http_reader *r)
{
	size_t from = r->scanned;
	int new_line = 0;

	for (size_t i = r->scanned; i < r->len; i++) {
		if (r->buf[i] == '\n') {
			new_line = 1;
			r->line_start = i + 1;
		}
	}
	r->scanned = r->len;
	return new_line || from < sizeof "HTTP/1." || r->len - r->line_start > JG_HTTP_MAX_LINE + 1;
}

/* Drop an interim 1xx head; whatever follows it is the start of the next head. */
static void skip_interim_head(jg_http_reader *r, size_t head_len)
{
	memmove(r->buf, r->buf + head_len, r->len - head_len);
	r->len -= head_len;
	r->scanned = 0;
	r->line_start = 0;
}

/* Whether the Transfer-Encoding fields name exactly one coding, chunked. We ask for no other
 * coding, so any other list ("gzip, chunked", "identity") is refused rather than misread. */
static int is_chunked_only(const jg_http_head *head)
{
	size_t codings = 0, chunked = 0;

	for (size_t i = 0; i < head->num_headers; i++) {
		const jg_http_header *f = &head->headers[i];
		if (!jg_ascii_equal_word(f->name, f->name_len, "transfer-encoding"))
			continue;
		size_t pos = 0;
		while (pos <= f->value_len) {
			const char *comma = memchr(f->value + pos, ',', f->value_len - pos);
			size_t end = comma != NULL ? (size_t)(comma - f->value) : f->value_len;
			size_t first = pos, last = end;
			while (first < last && is_space_or_tab((unsigned char)f->value[first]))
				first++;
			while (last > first && is_space_or_tab((unsigned char)f->value[last - 1]))
				last--;
			if (last > first) {
				codings++;
				if (jg_ascii_equal_word(f->value + first, last - first, "chunked"))
					chunked++;
			}
			pos = end + 1;
		}
	}
	return codings == 1 && chunked == 1;
}

/* The single Content-Length, as digits only, into r->body_expected. */
static jg_status read_content_length(jg_http_reader *r, const jg_http_header *field,
                                     jg_error *err)
{
	char shown[40];
	size_t value = 0;
	int over_cap = 0;

	jg_http_printable_prefix(field->value, field->value_len, shown, sizeof shown);
	if (field->value_len == 0)
		return fail_reader(r, err, "HTTP answer malformed: empty Content-Length");
	for (size_t i = 0; i < field->value_len; i++) {
		unsigned char c = (unsigned char)field->value[i];
		if (!is_digit(c))
			return fail_reader(r, err, "HTTP answer malformed: invalid Content-Length \"%s\"",
			                   shown);
		/* Stop accumulating past the cap (<= INT_MAX): the digits are still checked, and
		 * value * 10 + 9 cannot wrap even with a 32-bit size_t. */
		if (value > r->cap / 10)
			over_cap = 1;
		else
			value = value * 10 + (size_t)(c - '0');
		if (value > r->cap)
			over_cap = 1;
	}
	if (over_cap || value > r->cap - r->body_start)
		return fail_reader(r, err, "answer too large (over %zu bytes): Content-Length %s",
		                   r->cap, shown);
	r->body_expected = value;
	return JG_OK;
}

/* The final head is buf[0..head_len): decide how its body is delimited (RFC 9112 6.3). */
static jg_status choose_framing(jg_http_reader *r, size_t head_len, jg_error *err)
{
	const jg_http_header *length = NULL;
	size_t lengths = 0;

	r->status = r->head.status;
	r->body_start = head_len;
	r->body = r->buf + head_len;
	if (r->connect_mode && r->status >= 200 && r->status <= 299) {
		r->framing = JG_HTTP_BODY_NONE;
		if (r->len > head_len)
			return fail_reader(r, err, "HTTP answer malformed: %zu bytes after the proxy's "
			                   "CONNECT answer, before the tunnel started", r->len - head_len);
		return complete_reader(r);
	}
	if (r->status == 204 || r->status == 304) {
		r->framing = JG_HTTP_BODY_NONE;
		r->len = head_len;
		return complete_reader(r);
	}
	if (jg_http_find_header(&r->head, "transfer-encoding") != NULL) {
		const jg_http_header *te = jg_http_find_header(&r->head, "transfer-encoding");
		char shown[40];
		if (!is_chunked_only(&r->head)) {
			jg_http_printable_prefix(te->value, te->value_len, shown, sizeof shown);
			return fail_reader(r, err, "HTTP answer malformed: unsupported Transfer-Encoding "
			                   "\"%s\" (only chunked is understood)", shown);
		}
		r->framing = JG_HTTP_BODY_CHUNKED;
		return JG_OK;
	}
	for (size_t i = 0; i < r->head.num_headers; i++) {
		const jg_http_header *f = &r->head.headers[i];
		if (jg_ascii_equal_word(f->name, f->name_len, "content-length")) {
			length = f;
			lengths++;
		}
	}
	if (lengths > 1)
		return fail_reader(r, err, "HTTP answer malformed: more than one Content-Length");
	if (length != NULL) {
		r->framing = JG_HTTP_BODY_LENGTH;
		return read_content_length(r, length, err);
	}
	r->framing = JG_HTTP_BODY_CLOSE;
	return JG_OK;
}

static jg_status advance_head(jg_http_reader *r, jg_error *err)
{
	while (head_may_have_changed(r)) {
		head_problem problem = HEAD_NOT_HTTP;
		int rc = parse_head(r->buf, r->len, &r->head, &problem);
		if (rc == -2)
			return JG_OK;
		if (rc == -1)
			return report_head_problem(r, problem, err);
		if (r->head.status >= 200)
			return choose_framing(r, (size_t)rc, err);
		if (r->head.status == 101)
			return fail_reader(r, err, "HTTP answer malformed: 101 Switching Protocols, "
			                   "which was not asked for");
		skip_interim_head(r, (size_t)rc);
	}
	return JG_OK;
}

/* Take in the body bytes at buf[body_start + body_len .. len). */
static jg_status advance_body(jg_http_reader *r, jg_error *err)
{
	size_t start = r->body_start + r->body_len;
	size_t piece = r->len - start;
	int rc;

	switch (r->framing) {
	case JG_HTTP_BODY_LENGTH:
		if (r->len - r->body_start < r->body_expected) {
			r->body_len = r->len - r->body_start;
			return JG_OK;
		}
		r->body_len = r->body_expected;
		r->len = r->body_start + r->body_len; /* anything after the body is ignored */
		return complete_reader(r);
	case JG_HTTP_BODY_CHUNKED:
		rc = jg_http_chunked_decode(&r->chunked, r->buf + start, &piece);
		if (rc == -1)
			return fail_reader(r, err, "HTTP answer malformed: bad chunked body: %s",
			                   r->chunked.why);
		r->body_len += piece;
		r->len = start + piece;
		return rc >= 0 ? complete_reader(r) : JG_OK;
	case JG_HTTP_BODY_CLOSE:
		r->body_len = r->len - r->body_start;
		return JG_OK;
	default:
		return JG_OK;
	}
}

static jg_status fail_again(jg_http_reader *r, jg_error *err)
{
	return fail_reader(r, err, "HTTP answer: the reader was used again after a failure");
}

jg_status jg_http_reader_push(jg_http_reader *r, const char *data, size_t len, int *complete,
                              jg_error *err)
{
	*complete = r->complete;
	if (r->failed)
		return fail_again(r, err);
	while (len > 0 && !r->complete) {
		/* Bytes received, not bytes held, count against the cap: chunk framing shrinks as
		 * it is decoded, and an answer must not grow without end behind it. */
		size_t room = r->cap - r->received;
		if (room == 0 && r->framing == JG_HTTP_BODY_UNKNOWN)
			return fail_reader(r, err, "HTTP header section too large (over %zu bytes)",
			                   r->cap);
		if (room == 0)
			return fail_reader(r, err, "answer too large (over %zu bytes)", r->cap);
		size_t n = len < room ? len : room;
		memmove(r->buf + r->len, data, n);
		r->len += n;
		r->received += n;
		data += n;
		len -= n;

		jg_status status = JG_OK;
		if (r->framing == JG_HTTP_BODY_UNKNOWN)
			status = advance_head(r, err);
		if (status == JG_OK && r->framing != JG_HTTP_BODY_UNKNOWN && !r->complete)
			status = advance_body(r, err);
		if (status != JG_OK)
			return status;
	}
	*complete = r->complete;
	return JG_OK;
}

jg_status jg_http_reader_eof(jg_http_reader *r, jg_error *err)
{
	if (r->failed)
		return fail_again(r, err);
	if (r->complete)
		return JG_OK;
	switch (r->framing) {
	case JG_HTTP_BODY_CLOSE:
		return complete_reader(r);
	case JG_HTTP_BODY_LENGTH:
		return fail_reader(r, err, "answer truncated: got %zu of %zu body bytes", r->body_len,
		                   r->body_expected);
	case JG_HTTP_BODY_CHUNKED:
		return fail_reader(r, err, "answer truncated: the connection closed inside the "
		                   "chunked body (after %zu body bytes)", r->body_len);
	default:
		if (r->received == 0)
			return fail_reader(r, err, "answer truncated: the connection closed before any "
			                   "answer");
		if (r->len == 0)
			return fail_reader(r, err, "answer truncated: the connection closed after an "
			                   "interim 1xx answer, before the final one");
		return fail_reader(r, err, "answer truncated: the connection closed inside the HTTP "
		                   "head (after %zu bytes)", r->len);
	}
}

/* ---- reporting ----------------------------------------------------------------------------- */

void jg_http_printable_prefix(const char *in, size_t len, char *out, size_t cap)
{
	size_t n;

	if (cap == 0)
		return;
	n = len < cap - 1 ? len : cap - 1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];
		out[i] = in[i];
		if (c < 0x20 || c > 0x7e)
			out[i] = '.';
	}
	out[n] = '\0';
}
