/*
 * HTTP/1.1 answers for the token exchange: the head, and the reader that frames one whole answer.
 * See http.h for the wire formats; the comments here say why the code is shaped the way it is.
 * Requests are written in http_request.c, chunked bodies decoded in http_chunked.c.
 */
#include "net/http.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/ascii.h"
#include "base/wipe.h"
#include "net/http_text.h"

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
	{ HEAD_FOLDED_LINE, 0, "a line starting with a space or tab right after the status line" },
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

/*
 * An obs-fold line (RFC 9112 section 5.2: line[0..n) starts with a space or tab) continues the
 * value of `field`, the line before: the value now runs to the end of this line's content,
 * spaces trimmed, across the line end that jg_http_unfold() later turns into spaces. An empty
 * value starts at the continuation's first character instead.
 */
static void fold_into(jg_http_header *field, const char *line, size_t n)
{
	size_t first = 0, last = n;
	while (first < last && is_space_or_tab((unsigned char)line[first]))
		first++;
	while (last > first && is_space_or_tab((unsigned char)line[last - 1]))
		last--;
	if (first == last)
		return;
	if (field->value_len == 0)
		field->value = line + first;
	field->value_len = (size_t)(line + last - field->value);
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
		if (is_space_or_tab((unsigned char)buf[pos])) {
			if (head->num_headers == 0) { /* nothing to continue: space after the status line */
				*problem = HEAD_FOLDED_LINE;
				return -1;
			}
			fold_into(&head->headers[head->num_headers - 1], buf + pos, span.content_end);
			pos += span.next;
			continue;
		}
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

/* An obs-fold is [OWS] CR LF RWS (RFC 9112 section 5.2): the spaces and tabs around the line end
 * belong to it, and all of it becomes spaces. */
static void unfold_value(char *value, size_t len)
{
	for (size_t j = 0; j < len; j++) {
		if (value[j] != '\n')
			continue;
		for (size_t k = j; k > 0 && (value[k - 1] == '\r' || is_space_or_tab((unsigned char)value[k - 1])); k--)
			value[k - 1] = ' ';
		for (; j < len && (value[j] == '\n' || is_space_or_tab((unsigned char)value[j])); j++)
			value[j] = ' ';
	}
}

void jg_http_unfold(char *buf, const jg_http_head *head)
{
	for (size_t i = 0; i < head->num_headers; i++) {
		const jg_http_header *field = &head->headers[i];
		unfold_value(buf + (field->value - buf), field->value_len);
	}
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
		if (r->head.status >= 200) {
			jg_http_unfold(r->buf, &r->head); /* once: a complete head is not parsed again */
			return choose_framing(r, (size_t)rc, err);
		}
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

void jg_http_reader_wipe(jg_http_reader *r)
{
	if (r->buf != NULL)
		jg_wipe(r->buf, r->received < r->cap ? r->received : r->cap);
	jg_wipe(r, sizeof *r);
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
