/*
 * The HTTP answer reader (src/net/http.h: jg_http_reader_*): a table of answers pushed whole,
 * in pieces and byte by byte, truncated everywhere; the caps; CONNECT mode; the head's pointers;
 * the wipe; and the printable prefix used in messages. Requests, the head parser and the
 * chunked decoder are in test_http.c.
 */
#include "net/http.h"
#include "http_test_util.h"

/* ---- reader ------------------------------------------------------------------------------ */

typedef struct reader_case {
	const char *name;
	int connect;
	const char *input;
	size_t answer_len; /* where the answer ends; 0: the whole input */
	int status;
	jg_http_framing framing;
	const char *body;
	const char *error; /* part of the expected message; NULL: success */
} reader_case;

static const reader_case reader_cases[] = {
	{ "Content-Length", 0,
	  "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n"
	  "{\"ok\":true}",
	  0, 200, JG_HTTP_BODY_LENGTH, "{\"ok\":true}", NULL },
	{ "Content-Length 0", 0, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 0, 200,
	  JG_HTTP_BODY_LENGTH, "", NULL },
	{ "Content-Length, bytes after the body", 0,
	  "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}junk after", 40, 200,
	  JG_HTTP_BODY_LENGTH, "{}", NULL },
	{ "bare LF head", 0, "HTTP/1.1 401 Unauthorized\nContent-Length: 5\n\nnope!", 0, 401,
	  JG_HTTP_BODY_LENGTH, "nope!", NULL },
	{ "chunked", 0,
	  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n"
	  "0\r\n\r\n",
	  0, 200, JG_HTTP_BODY_CHUNKED, "hello world", NULL },
	{ "chunked, extensions and trailers", 0,
	  "HTTP/1.1 400 Bad Request\r\nTransfer-Encoding:  Chunked \r\n\r\n"
	  "2;a=b\r\n{\"\r\n3\r\nx\":\r\n1\r\n1\r\n1;last\r\n}\r\n0\r\nX-T: 1\r\n\r\n",
	  0, 400, JG_HTTP_BODY_CHUNKED, "{\"x\":1}", NULL },
	{ "chunked wins over Content-Length", 0,
	  "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
	  "5\r\nhello\r\n0\r\n\r\n",
	  0, 200, JG_HTTP_BODY_CHUNKED, "hello", NULL },
	{ "chunked, bytes after the end", 0,
	  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\nXYZ", 59, 200,
	  JG_HTTP_BODY_CHUNKED, "{}", NULL },
	{ "read to close", 0, "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil close", 0,
	  200, JG_HTTP_BODY_CLOSE, "until close", NULL },
	{ "read to close, empty", 0, "HTTP/1.1 503 Service Unavailable\r\n\r\n", 0, 503,
	  JG_HTTP_BODY_CLOSE, "", NULL },
	{ "204 has no body", 0, "HTTP/1.1 204 No Content\r\nContent-Length: 9\r\n\r\n", 0, 204,
	  JG_HTTP_BODY_NONE, "", NULL },
	{ "304 has no body", 0, "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n",
	  0, 304, JG_HTTP_BODY_NONE, "", NULL },
	{ "100 Continue skipped", 0,
	  "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", 0, 200,
	  JG_HTTP_BODY_LENGTH, "{}", NULL },
	{ "several 1xx skipped", 0,
	  "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>; rel=preload\r\n"
	  "\r\nHTTP/1.1 102 Processing\n\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	  "2\r\n{}\r\n0\r\n\r\n",
	  0, 200, JG_HTTP_BODY_CHUNKED, "{}", NULL },
	{ "CONNECT established", 1, "HTTP/1.1 200 Connection established\r\n\r\n", 0, 200,
	  JG_HTTP_BODY_NONE, "", NULL },
	{ "CONNECT established, ignored length", 1,
	  "HTTP/1.0 200 OK\r\nContent-Length: 10\r\nProxy-Agent: x\r\n\r\n", 0, 200,
	  JG_HTTP_BODY_NONE, "", NULL },
	{ "CONNECT after 100 Continue", 1,
	  "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\n", 0, 200, JG_HTTP_BODY_NONE, "",
	  NULL },
	{ "CONNECT refused, body read", 1,
	  "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"p\"\r\n"
	  "Content-Length: 6\r\n\r\ndenied",
	  0, 407, JG_HTTP_BODY_LENGTH, "denied", NULL },
	{ "CONNECT refused, read to close", 1, "HTTP/1.0 403 Forbidden\r\n\r\nno tunnel", 0, 403,
	  JG_HTTP_BODY_CLOSE, "no tunnel", NULL },

	{ "HTML instead of HTTP", 0, "<html><body>Service Unavailable</body></html>\r\n", 0, 0,
	  0, NULL,
	  "HTTP answer malformed: not an HTTP/1.x status line (the answer starts with \"<" },
	{ "bad status", 0, "HTTP/1.1 20 OK\r\n\r\n", 0, 0, 0, NULL,
	  "HTTP answer malformed: bad status code" },
	{ "obs-fold", 0, "HTTP/1.1 200 OK\r\nX: a\r\n b\r\nContent-Length: 2\r\n\r\n{}", 0, 200,
	  JG_HTTP_BODY_LENGTH, "{}", NULL },
	{ "folded Content-Length", 0, "HTTP/1.1 200 OK\r\nContent-Length:\r\n 2\r\n\r\n{}", 0, 200,
	  JG_HTTP_BODY_LENGTH, "{}", NULL },
	{ "space line after the status line", 0, "HTTP/1.1 200 OK\r\n X: a\r\n\r\n", 0, 0, 0, NULL,
	  "HTTP answer malformed: a line starting with a space or tab right after the status line" },
	{ "missing colon", 0, "HTTP/1.1 200 OK\r\nContent-Length 5\r\n\r\nhello", 0, 0, 0, NULL,
	  "HTTP answer malformed: a header line without a colon" },
	{ "control character", 0, "HTTP/1.1 200 OK\r\nX: \x1b[2J\r\n\r\n", 0, 0, 0, NULL,
	  "HTTP answer malformed: a control character" },
	{ "duplicate Content-Length", 0,
	  "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}", 0, 0, 0, NULL,
	  "HTTP answer malformed: more than one Content-Length" },
	{ "conflicting Content-Length", 0,
	  "HTTP/1.1 200 OK\r\nContent-Length: 2\r\ncontent-length: 3\r\n\r\n{}", 0, 0, 0, NULL,
	  "HTTP answer malformed: more than one Content-Length" },
	{ "Content-Length list", 0, "HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\n{}", 0, 0, 0,
	  NULL, "HTTP answer malformed: invalid Content-Length \"2, 2\"" },
	{ "negative Content-Length", 0, "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", 0, 0, 0,
	  NULL, "HTTP answer malformed: invalid Content-Length \"-1\"" },
	{ "signed Content-Length", 0, "HTTP/1.1 200 OK\r\nContent-Length: +2\r\n\r\n{}", 0, 0, 0,
	  NULL, "HTTP answer malformed: invalid Content-Length \"+2\"" },
	{ "hex Content-Length", 0, "HTTP/1.1 200 OK\r\nContent-Length: 0x2\r\n\r\n{}", 0, 0, 0,
	  NULL, "HTTP answer malformed: invalid Content-Length \"0x2\"" },
	{ "empty Content-Length", 0, "HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n{}", 0, 0, 0, NULL,
	  "HTTP answer malformed: empty Content-Length" },
	{ "huge Content-Length", 0,
	  "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999999\r\n\r\n{}", 0, 0, 0, NULL,
	  "answer too large (over 65536 bytes): Content-Length 99999999999999999999999999" },
	{ "Content-Length over the cap", 0,
	  "HTTP/1.1 200 OK\r\nContent-Length: 65536\r\n\r\n{}", 0, 0, 0, NULL,
	  "answer too large (over 65536 bytes)" },
	{ "gzip", 0, "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", 0, 0, 0, NULL,
	  "HTTP answer malformed: unsupported Transfer-Encoding \"gzip\"" },
	{ "gzip, chunked", 0,
	  "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 0, 0, 0, NULL,
	  "unsupported Transfer-Encoding \"gzip, chunked\"" },
	{ "chunked twice", 0,
	  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"
	  "0\r\n\r\n",
	  0, 0, 0, NULL, "unsupported Transfer-Encoding" },
	{ "empty Transfer-Encoding", 0, "HTTP/1.1 200 OK\r\nTransfer-Encoding: \r\n\r\n", 0, 0, 0,
	  NULL, "unsupported Transfer-Encoding \"\"" },
	{ "101", 0, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n", 0, 0, 0, NULL,
	  "HTTP answer malformed: 101 Switching Protocols" },
	{ "bad chunk size", 0,
	  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n", 0, 0, 0,
	  NULL, "HTTP answer malformed: bad chunked body: chunk size is not hexadecimal" },
	{ "chunk size overflow", 0,
	  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n123456789abcdef01\r\n", 0, 0, 0,
	  NULL, "HTTP answer malformed: bad chunked body: chunk size overflow" },
	{ "chunk size over the cap", 0,
	  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10000\r\n", SIZE_MAX, 0, 0, NULL,
	  NULL /* not an error yet: only bytes count against the cap */ },
	{ "chunk without CRLF", 0,
	  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}0\r\n\r\n", 0, 0, 0, NULL,
	  "bad chunked body: chunk data not followed by CRLF" },
	{ "CONNECT, malformed", 1, "SSH-2.0-OpenSSH_9.2\r\n", 0, 0, 0, NULL,
	  "HTTP answer malformed: not an HTTP/1.x status line (the answer starts with \"S" },
};

static int is_failure_case(const reader_case *t)
{
	return t->error != NULL;
}

static size_t answer_len_of(const reader_case *t)
{
	return t->answer_len != 0 ? t->answer_len : strlen(t->input);
}

static void init_reader(jg_http_reader *r, int connect, char *buf, size_t cap)
{
	if (connect)
		jg_http_reader_init_connect(r, buf, cap);
	else
		jg_http_reader_init(r, buf, cap);
}

/*
 * Feed t->input split as decode_pieces does (WHOLE, BYTEWISE or a first-piece length), from
 * `data` (the input itself or a copy against the guard page), checking after each push that
 * the answer completes exactly when its last byte has arrived; then signal the end.
 */
static jg_status feed_reader(const reader_case *t, const char *data, jg_http_reader *r,
                             char *buf, size_t cap, long split, jg_error *err)
{
	size_t len = strlen(t->input), pos = 0, answer = answer_len_of(t);

	init_reader(r, t->connect, buf, cap);
	while (pos < len) {
		size_t end = split == WHOLE ? len : split == BYTEWISE ? pos + 1
		           : pos < (size_t)split ? (size_t)split : len;
		int complete = -1;
		jg_status status = jg_http_reader_push(r, data + pos, end - pos, &complete, err);
		if (status != JG_OK)
			return status;
		pos = end;
		assert_int_equal(complete, t->framing != JG_HTTP_BODY_CLOSE && pos >= answer);
	}
	return jg_http_reader_eof(r, err);
}

static void check_reader_success(const reader_case *t, const jg_http_reader *r)
{
	assert_int_equal(r->status, t->status);
	assert_int_equal(r->head.status, t->status);
	assert_int_equal(r->framing, t->framing);
	assert_int_equal(r->body_len, strlen(t->body));
	if (r->body_len > 0)
		assert_memory_equal(r->body, t->body, r->body_len);
	assert_true(r->complete);
}

static void check_reader_case(const reader_case *t)
{
	static char buf[JG_HTTP_ANSWER_MAX];
	size_t len = strlen(t->input);
	const char *guarded = at_guard(t->input, len);
	jg_http_reader r;
	jg_error err;

	print_message("# reader: %s\n", t->name);
	for (long split = BYTEWISE; split < (long)len; split++) {
		memset(&err, 0, sizeof err);
		jg_status status = feed_reader(t, split == WHOLE ? guarded : t->input, &r, buf,
		                               sizeof buf, split, &err);
		if (t->error == NULL && t->status == 0) {
			/* Unfinished on purpose: the end of input makes it a truncated answer. */
			assert_int_equal(status, JG_ERR_PROTOCOL);
			assert_non_null(strstr(err.message, "answer truncated"));
			continue;
		}
		if (is_failure_case(t)) {
			assert_int_equal(status, JG_ERR_PROTOCOL);
			assert_int_equal(err.status, JG_ERR_PROTOCOL);
			if (strstr(err.message, t->error) == NULL)
				fail_msg("split %ld: \"%s\" lacks \"%s\"", split, err.message, t->error);
			/* The failure is sticky. */
			int complete = 1;
			assert_int_equal(jg_http_reader_push(&r, "x", 1, &complete, &err),
			                 JG_ERR_PROTOCOL);
			assert_int_equal(complete, 0);
			assert_int_equal(jg_http_reader_eof(&r, &err), JG_ERR_PROTOCOL);
			continue;
		}
		if (status != JG_OK)
			fail_msg("split %ld: %s", split, err.message);
		check_reader_success(t, &r);
		/* Done is done: more bytes and another end change nothing. */
		int complete = 0;
		assert_int_equal(jg_http_reader_push(&r, "more", 4, &complete, &err), JG_OK);
		assert_int_equal(complete, 1);
		assert_int_equal(jg_http_reader_eof(&r, &err), JG_OK);
		check_reader_success(t, &r);
	}
}

static void reader_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof reader_cases / sizeof reader_cases[0]; i++)
		check_reader_case(&reader_cases[i]);
}

/* Every answer cut short at every point: an error that says "truncated", except a
 * read-to-close answer whose head had arrived, which the close completes. */
static void reader_truncated_everywhere(void **state)
{
	(void)state;
	static char buf[JG_HTTP_ANSWER_MAX];
	for (size_t i = 0; i < sizeof reader_cases / sizeof reader_cases[0]; i++) {
		const reader_case *t = &reader_cases[i];
		if (is_failure_case(t) || t->status == 0)
			continue;
		size_t answer = answer_len_of(t);
		for (size_t cut = 0; cut < answer; cut++) {
			jg_http_reader r;
			jg_error err;
			int complete = -1;
			init_reader(&r, t->connect, buf, sizeof buf);
			assert_int_equal(jg_http_reader_push(&r, at_guard(t->input, cut), cut, &complete,
			                                     &err),
			                 JG_OK);
			assert_int_equal(complete, 0);
			jg_status status = jg_http_reader_eof(&r, &err);
			if (status == JG_OK) {
				assert_int_equal(r.framing, JG_HTTP_BODY_CLOSE);
				assert_int_equal(t->framing, JG_HTTP_BODY_CLOSE);
				assert_int_equal(r.body_len, cut - (size_t)(r.body - buf));
				continue;
			}
			assert_int_equal(status, JG_ERR_PROTOCOL);
			if (strncmp(err.message, "answer truncated: ", 18) != 0)
				fail_msg("%s, cut %zu: %s", t->name, cut, err.message);
		}
	}
}

static void truncation_messages(void **state)
{
	(void)state;
	static const struct {
		const char *input;
		const char *message;
	} cases[] = {
		{ "", "answer truncated: the connection closed before any answer" },
		{ "HTTP/1.1 200 OK\r\nContent-Le",
		  "answer truncated: the connection closed inside the HTTP head (after 27 bytes)" },
		{ "HTTP/1.1 100 Continue\r\n\r\n",
		  "answer truncated: the connection closed after an interim 1xx answer, before the "
		  "final one" },
		{ "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n{\"a",
		  "answer truncated: got 3 of 11 body bytes" },
		{ "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n",
		  "answer truncated: got 0 of 11 body bytes" },
		{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n wo",
		  "answer truncated: the connection closed inside the chunked body (after 8 body "
		  "bytes)" },
		{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n",
		  "answer truncated: the connection closed inside the chunked body (after 5 body "
		  "bytes)" },
	};
	static char buf[1024];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		jg_http_reader r;
		jg_error err;
		int complete;
		size_t len = strlen(cases[i].input);
		jg_http_reader_init(&r, buf, sizeof buf);
		assert_int_equal(jg_http_reader_push(&r, cases[i].input, len, &complete, &err), JG_OK);
		assert_int_equal(jg_http_reader_eof(&r, &err), JG_ERR_PROTOCOL);
		assert_string_equal(err.message, cases[i].message);
	}
}

static jg_status push_all(jg_http_reader *r, const char *data, size_t len, size_t piece,
                          int *complete, jg_error *err)
{
	for (size_t pos = 0; pos < len; pos += piece) {
		size_t n = len - pos < piece ? len - pos : piece;
		jg_status status = jg_http_reader_push(r, data + pos, n, complete, err);
		if (status != JG_OK)
			return status;
	}
	return JG_OK;
}

static void reader_answer_cap(void **state)
{
	(void)state;
	static char buf[JG_HTTP_ANSWER_MAX];
	static const size_t pieces[] = { 1, 7, 1000, 16384, 200000 };
	static const char head[] = "HTTP/1.1 200 OK\r\n\r\n";
	jg_http_reader r;
	jg_error err;
	int complete;

	for (size_t p = 0; p < sizeof pieces / sizeof pieces[0]; p++) {
		/* Read to close: exactly the cap is fine, one byte more is not. */
		gen_reset();
		gen_add("%s", head);
		gen_repeat('b', JG_HTTP_ANSWER_MAX - gen_len);
		jg_http_reader_init(&r, buf, sizeof buf);
		assert_int_equal(push_all(&r, gen, gen_len, pieces[p], &complete, &err), JG_OK);
		assert_int_equal(jg_http_reader_eof(&r, &err), JG_OK);
		assert_int_equal(r.body_len, JG_HTTP_ANSWER_MAX - strlen(head));
		gen_repeat('b', 1);
		jg_http_reader_init(&r, buf, sizeof buf);
		assert_int_equal(push_all(&r, gen, gen_len, pieces[p], &complete, &err),
		                 JG_ERR_PROTOCOL);
		assert_string_equal(err.message, "answer too large (over 65536 bytes)");

		/* Content-Length: the largest that fits, and one more. */
		gen_reset();
		gen_add("HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n", JG_HTTP_ANSWER_MAX - 42);
		assert_int_equal(gen_len, 42);
		gen_repeat('c', JG_HTTP_ANSWER_MAX - 42);
		jg_http_reader_init(&r, buf, sizeof buf);
		assert_int_equal(push_all(&r, gen, gen_len, pieces[p], &complete, &err), JG_OK);
		assert_int_equal(complete, 1);
		gen_reset();
		gen_add("HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n", JG_HTTP_ANSWER_MAX - 41);
		jg_http_reader_init(&r, buf, sizeof buf);
		assert_int_equal(push_all(&r, gen, gen_len, pieces[p], &complete, &err),
		                 JG_ERR_PROTOCOL);
		assert_string_equal(err.message,
		                    "answer too large (over 65536 bytes): Content-Length 65495");

		/* Chunked: the framing counts, even though the decoded body would fit. */
		gen_reset();
		gen_add("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
		while (gen_len < JG_HTTP_ANSWER_MAX + 100)
			gen_add("1\r\nx\r\n");
		gen_add("0\r\n\r\n");
		jg_http_reader_init(&r, buf, sizeof buf);
		assert_int_equal(push_all(&r, gen, gen_len, pieces[p], &complete, &err),
		                 JG_ERR_PROTOCOL);
		assert_string_equal(err.message, "answer too large (over 65536 bytes)");
		assert_true(r.body_len < 12000);
	}
}

static void reader_head_caps(void **state)
{
	(void)state;
	static char buf[JG_HTTP_ANSWER_MAX];
	jg_http_reader r;
	jg_error err;
	int complete;

	/* A head that does not end within the buffer. */
	gen_reset();
	gen_add("HTTP/1.1 200 OK\r\n");
	for (int i = 0; i < 20; i++)
		gen_add("X-Filler-%d: 0123456789\r\n", i);
	gen_add("\r\n");
	jg_http_reader_init(&r, buf, 256);
	assert_int_equal(push_all(&r, gen, gen_len, 5, &complete, &err), JG_ERR_PROTOCOL);
	assert_string_equal(err.message, "HTTP header section too large (over 256 bytes)");

	/* Endless interim answers count against the cap too. */
	gen_reset();
	while (gen_len < 2000)
		gen_add("HTTP/1.1 100 Continue\r\n\r\n");
	jg_http_reader_init(&r, buf, 1024);
	assert_int_equal(push_all(&r, gen, gen_len, 3, &complete, &err), JG_ERR_PROTOCOL);
	assert_string_equal(err.message, "HTTP header section too large (over 1024 bytes)");

	/* Too many fields and too long a line, whole and a byte at a time. */
	for (size_t piece = 1; piece <= 200000; piece += 199999) {
		gen_headers(JG_HTTP_MAX_HEADERS + 1);
		jg_http_reader_init(&r, buf, sizeof buf);
		assert_int_equal(push_all(&r, gen, gen_len, piece, &complete, &err), JG_ERR_PROTOCOL);
		assert_string_equal(err.message,
		                    "HTTP header section too large: more than 64 header fields");

		gen_reset();
		gen_add("HTTP/1.1 200 OK\r\nX: ");
		gen_repeat('v', 20000);
		jg_http_reader_init(&r, buf, sizeof buf);
		assert_int_equal(push_all(&r, gen, gen_len, piece, &complete, &err), JG_ERR_PROTOCOL);
		assert_string_equal(err.message,
		                    "HTTP header section too large: a line longer than 8192 bytes");
		/* It failed soon after the cap, not at the end of the buffer. */
		assert_true(r.received < 8192 + 100 || piece > 1);

		gen_headers(JG_HTTP_MAX_HEADERS);
		gen_add("hi");
		jg_http_reader_init(&r, buf, sizeof buf);
		assert_int_equal(push_all(&r, gen, gen_len, piece, &complete, &err), JG_OK);
		assert_int_equal(jg_http_reader_eof(&r, &err), JG_OK);
		assert_int_equal(r.head.num_headers, JG_HTTP_MAX_HEADERS);
		assert_int_equal(r.body_len, 2);
	}
}

static void reader_connect_mode(void **state)
{
	(void)state;
	static char buf[4096];
	static const char established[] = "HTTP/1.1 200 Connection established\r\n\r\n";
	jg_http_reader r;
	jg_error err;
	int complete = 0;

	/* The tunnel's first bytes in the same read would be lost: refused. */
	jg_http_reader_init_connect(&r, buf, sizeof buf);
	assert_int_equal(jg_http_reader_push(&r, "HTTP/1.1 200 OK\r\n\r\n\x16\x03\x01", 22, &complete,
	                                     &err),
	                 JG_ERR_PROTOCOL);
	assert_non_null(strstr(err.message, "3 bytes after the proxy's CONNECT answer"));

	/* Complete right after the head: no read waits for a body. */
	jg_http_reader_init_connect(&r, buf, sizeof buf);
	assert_int_equal(jg_http_reader_push(&r, established, sizeof established - 1, &complete,
	                                     &err),
	                 JG_OK);
	assert_int_equal(complete, 1);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.framing, JG_HTTP_BODY_NONE);
	assert_int_equal(r.head.reason_len, strlen("Connection established"));

	/* The same answer to an ordinary request is read to close. */
	jg_http_reader_init(&r, buf, sizeof buf);
	assert_int_equal(jg_http_reader_push(&r, established, sizeof established - 1, &complete,
	                                     &err),
	                 JG_OK);
	assert_int_equal(complete, 0);
	assert_int_equal(r.framing, JG_HTTP_BODY_CLOSE);
}

static void reader_head_points_into_buffer(void **state)
{
	(void)state;
	static char buf[1024];
	static const char answer[] =
		"HTTP/1.1 100 Continue\r\nX-Interim: 1\r\n\r\n"
		"HTTP/1.1 400 Bad Request\r\nContent-Type: application/json;charset=UTF-8\r\n"
		"Content-Length: 62\r\n\r\n"
		"{\"error\":\"invalid_grant\",\"error_description\":\"user hasn't ap\"}";
	jg_http_reader r;
	jg_error err;
	int complete;

	jg_http_reader_init(&r, buf, sizeof buf);
	assert_int_equal(push_all(&r, answer, sizeof answer - 1, 13, &complete, &err), JG_OK);
	assert_int_equal(complete, 1);
	assert_int_equal(r.status, 400);
	assert_null(jg_http_find_header(&r.head, "X-Interim"));
	const jg_http_header *type = jg_http_find_header(&r.head, "content-type");
	assert_non_null(type);
	assert_true(type->value >= buf && type->value < buf + sizeof buf);
	assert_int_equal(type->value_len, strlen("application/json;charset=UTF-8"));
	assert_memory_equal(type->value, "application/json;charset=UTF-8", type->value_len);
	assert_int_equal(r.body_len, 62);
	assert_memory_equal(r.body, "{\"error\":\"invalid_grant\"", 24);
	assert_memory_equal(r.head.reason, "Bad Request", 11);
}

/* ---- reporting --------------------------------------------------------------------------- */

/* The wipe reaches what chunk decoding left beyond len: no byte of the token survives it, in one
 * push or in many. (Wiping only the first len bytes left the token's tail in the buffer.) */
static void reader_wipe_erases_what_was_received(void **state)
{
	(void)state;
	static const char answer[] =
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
		"1d;ext=1\r\n{\"access_token\":\"00Dx!SECRETa\r\n"
		"c\r\nSECRETbSECRE\r\n4\r\nTc\"}\r\n0\r\nX-Trailer: SECRETd\r\n\r\n";
	for (size_t step = 1; step <= sizeof answer + 7; step += 7) {
		char buf[512];
		memset(buf, 0, sizeof buf);
		jg_http_reader r;
		jg_error err;
		int complete;
		jg_http_reader_init(&r, buf, sizeof buf);
		assert_int_equal(push_all(&r, answer, sizeof answer - 1, step, &complete, &err), JG_OK);
		assert_int_equal(complete, 1);
		assert_memory_equal(r.body, "{\"access_token\":\"00Dx!SECRETaSECRETbSECRETc\"}", r.body_len);
		if (step >= sizeof answer) { /* one push: decoding left token bytes beyond len */
			char old[sizeof buf];
			memcpy(old, buf, sizeof old);
			memset(old, 0, r.len);
			assert_non_null(memmem(old, sizeof old, "SECRET", 6));
		}
		jg_http_reader_wipe(&r);
		assert_null(memmem(buf, sizeof buf, "SECRET", 6));
		assert_null(memmem(buf, sizeof buf, "00Dx", 4));
		assert_null(r.buf);
		jg_http_reader_wipe(&r); /* a wiped reader is all zero: nothing to do */
	}
	jg_http_reader never = { 0 };
	jg_http_reader_wipe(&never);
}

static void printable_prefix_replaces_and_truncates(void **state)
{
	(void)state;
	char out[16];

	jg_http_printable_prefix("ab\x01\x7f\xff" "c~ d\r\n", 10, out, sizeof out);
	assert_string_equal(out, "ab...c~ d.");
	jg_http_printable_prefix("abcdef", 6, out, 4);
	assert_string_equal(out, "abc");
	jg_http_printable_prefix("abc", 3, out, 1);
	assert_string_equal(out, "");
	memset(out, 'x', sizeof out);
	jg_http_printable_prefix("abc", 3, out, 0);
	assert_int_equal(out[0], 'x');
	jg_http_printable_prefix(at_guard("xyz", 3), 3, out, sizeof out);
	assert_string_equal(out, "xyz");
}
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reader_table),
		cmocka_unit_test(reader_truncated_everywhere),
		cmocka_unit_test(truncation_messages),
		cmocka_unit_test(reader_answer_cap),
		cmocka_unit_test(reader_head_caps),
		cmocka_unit_test(reader_connect_mode),
		cmocka_unit_test(reader_head_points_into_buffer),
		cmocka_unit_test(reader_wipe_erases_what_was_received),
		cmocka_unit_test(printable_prefix_replaces_and_truncates),
	};
	return cmocka_run_group_tests_name("http reader", tests, NULL, NULL);
}
