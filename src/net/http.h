/*
 * HTTP/1.1, the little of it a token request needs: the request heads we send (a POST to the
 * token endpoint, a CONNECT to a proxy), a stateless parser for an answer's head, a chunked
 * body decoder, and a reader that frames one whole answer from whatever bytes the TLS (or
 * proxy) connection delivers.
 *
 * Nothing here allocates: every function works in buffers its caller owns, under explicit
 * caps, and pointers handed back point into those buffers. The parser follows picohttpparser's
 * conventions: it returns the number of bytes consumed, -2 when more bytes are needed and -1
 * on malformed input, and it may be called again from the start each time bytes arrive.
 */
#ifndef JG_HTTP_H
#define JG_HTTP_H

#include <stddef.h>

#include "base/error.h"

/* Caps on an answer's head: header fields per head, and bytes per line (line end excluded). */
#define JG_HTTP_MAX_HEADERS 64
#define JG_HTTP_MAX_LINE 8192

/* The answer cap the token exchange uses: head and body together, as they came on the wire. */
#define JG_HTTP_ANSWER_MAX 65536

/* ---- requests ------------------------------------------------------------------------------ */

/* A request's method, path and header fields besides Host, Content-Length and Connection. */
typedef struct jg_http_request {
	const char *method;        /* "GET" or "POST" */
	const char *path;          /* starts with '/' */
	const char *user_agent;    /* NULL: no User-Agent line */
	const char *accept;        /* the Accept value */
	const char *content_type;  /* POST: the body's type */
	const char *authorization; /* NULL, or the Authorization value: a secret, never quoted */
	const char *extra;         /* NULL, or one more header line "Name: value" */
	size_t body_len;           /* POST: the bytes sent after the head */
} jg_http_request;

/*
 * Write the head of a request into out[0..cap) and set *len to its length; out is
 * NUL-terminated, so cap must exceed the head by one byte. The head is, each line ending in
 * CR LF:
 *
 *     <method> <path> HTTP/1.1
 *     Host: <host>[:<port>]
 *     User-Agent: <user_agent>                  (omitted when NULL)
 *     Accept: <accept>
 *     Authorization: <authorization>            (omitted when NULL)
 *     <extra>                                   (omitted when NULL)
 *     Content-Type: <content_type>              (POST only)
 *     Content-Length: <body_len in decimal>     (POST only)
 *     Connection: close
 *     <empty line>
 *
 * The rules of jg_http_build_post below hold for host, port, path and user_agent; accept,
 * content_type, authorization and extra are printable ASCII (spaces allowed), extra holds ": ".
 * The head may then hold a secret (the Authorization): wipe out once it is sent.
 */
jg_status jg_http_build_request(char *out, size_t cap, size_t *len, const char *host, int port,
                                const jg_http_request *rq, jg_error *err);

/*
 * Write the head of the token request into out[0..cap) and set *len to its length; out is
 * NUL-terminated, so cap must exceed the head by one byte. The caller sends body_len body bytes
 * right after it. The head is, each line ending in CR LF:
 *
 *     POST <path> HTTP/1.1
 *     Host: <host>[:<port>]
 *     User-Agent: <user_agent>                  (omitted when user_agent is NULL)
 *     Accept: application/json
 *     Content-Type: application/x-www-form-urlencoded
 *     Content-Length: <body_len in decimal>
 *     Connection: close
 *     <empty line>
 *
 * ":<port>" is written only when port is not 443. A host holding ':' is an IPv6 literal and is
 * written in brackets; host is given without them and may not hold any of "/?#@[]\". path
 * must start with '/'. None of host, path and user_agent may be empty or hold a control
 * character or a byte over 0x7E, and only user_agent may hold spaces, so that nothing from the
 * command line can add a header line. Failures: JG_ERR_USAGE for such a field, a port outside
 * 1..65535, or a head that does not fit in cap; out is then wiped and *len is 0.
 */
jg_status jg_http_build_post(char *out, size_t cap, size_t *len, const char *host, int port,
                             const char *path, const char *user_agent, size_t body_len,
                             jg_error *err);

/*
 * Write the request that asks an HTTP proxy for a tunnel, with the same conventions:
 *
 *     CONNECT <host>:<port> HTTP/1.1
 *     Host: <host>:<port>
 *     Proxy-Authorization: Basic <proxy_auth_b64>   (omitted when proxy_auth_b64 is NULL)
 *     User-Agent: <user_agent>                      (omitted when user_agent is NULL)
 *     <empty line>
 *
 * The port is always written (authority form), an IPv6 host in brackets. proxy_auth_b64 is the
 * base64 of "user:password" and may hold only base64 characters. The head then holds the proxy
 * password: wipe out (jg_wipe) once it is sent. On failure out is wiped, *len is 0.
 */
jg_status jg_http_build_connect(char *out, size_t cap, size_t *len, const char *host, int port,
                                const char *proxy_auth_b64, const char *user_agent,
                                jg_error *err);

/* ---- the head of an answer ----------------------------------------------------------------- */

/* One header field; name and value point into the parsed buffer and are not NUL-terminated.
 * The value has its leading and trailing spaces and tabs removed. */
typedef struct jg_http_header {
	const char *name;
	size_t name_len;
	const char *value;
	size_t value_len;
} jg_http_header;

typedef struct jg_http_head {
	int minor_version; /* the x of "HTTP/1.x" */
	int status;        /* 100..599 */
	const char *reason;
	size_t reason_len;
	jg_http_header headers[JG_HTTP_MAX_HEADERS];
	size_t num_headers;
} jg_http_head;

/*
 * Parse the head of an answer at buf[0..len): the status line
 *
 *     HTTP/1.<digit> SP <3 digits, 100..599> [SP <reason phrase>]
 *
 * then header fields "<name>:<optional spaces><value><optional spaces>", then an empty line.
 * Lines end in CR LF or in a bare LF; a CR elsewhere is an error. Names are tokens (RFC 9110
 * tchar); a name followed by a space before its colon, a line without a colon, a control
 * character other than tab, a line longer than JG_HTTP_MAX_LINE bytes and more than
 * JG_HTTP_MAX_HEADERS fields are all errors. Bytes 0x80 and above are accepted in the reason
 * and in values.
 *
 * A line starting with a space or tab is an obs-fold (RFC 9112 section 5.2): it continues the
 * value of the field above it, whose value then runs across the line end ("X: a" CR LF " b" is
 * one field X whose value spans "a" CR LF " b"); jg_http_unfold() then replaces those line ends
 * with spaces, as a client must. Right after the status line, with no field to continue, such a
 * line is an error.
 *
 * Returns the length of the head, empty line included (> 0), with *head filled and pointing
 * into buf; -2 when buf holds a correct but incomplete head (call again with more bytes); -1 on
 * malformed input. Every prefix of a head yields -2 or that head's own answer, and no byte at
 * or past buf[len] is read. *head is only meaningful when the result is positive.
 */
int jg_http_parse_head(const char *buf, size_t len, jg_http_head *head);

/*
 * Replace each obs-fold of a parsed head with spaces, in place: a line end inside a field value
 * (only a fold puts one there) and the spaces and tabs around it become spaces, so "a" CR LF
 * "\tb" reads "a   b". The
 * lengths and pointers of *head stay valid. Call it once the head is complete (the parse result
 * was positive), on the buffer that was parsed: parsing it again afterwards would see one long
 * line where there were two.
 */
void jg_http_unfold(char *buf, const jg_http_head *head);

/* The first header field called name (compared without regard to ASCII case), or NULL. */
const jg_http_header *jg_http_find_header(const jg_http_head *head, const char *name);

/* ---- chunked bodies ------------------------------------------------------------------------ */

/*
 * The state of a chunked body decoder (RFC 9112 section 7.1). The body is a series of chunks
 *
 *     <size in hex>[ ; extensions] CRLF  <size bytes of data> CRLF
 *
 * ended by a chunk of size 0, optional trailer fields (header lines), and an empty line.
 * Extensions are ignored; trailers are checked for shape and dropped. Bare LF line ends are
 * accepted as in heads. Size and trailer lines are limited to JG_HTTP_MAX_LINE bytes, trailers
 * to JG_HTTP_MAX_HEADERS lines, sizes to what a size_t holds.
 * Fields are private except `why`, which says what was wrong after a -1.
 */
typedef struct jg_http_chunked {
	int state;
	size_t remaining;   /* data bytes left in the current chunk */
	size_t line_length; /* bytes seen in the current size or trailer line */
	size_t trailers;    /* trailer lines seen */
	const char *why;    /* after -1: a short English phrase, e.g. "chunk size overflow" */
} jg_http_chunked;

/* Prepare c to decode a new body. */
void jg_http_chunked_init(jg_http_chunked *c);

/*
 * Decode the next raw piece of a chunked body, buf[0..*len), in place: the data bytes move to
 * the front of buf and *len becomes their count. Pieces may be split anywhere, even inside a
 * size line or a CR LF; bytes already decoded are never touched again, so a caller keeps them
 * and passes the next piece from just after them.
 *
 * Returns -2 when the body is not finished (every byte of the piece was used); -1 on malformed
 * input (see c->why) or *len over INT_MAX, with *len set to 0, and -1 again on every later
 * call; or, once the terminating chunk and trailers are complete, the number of bytes that
 * followed them (>= 0), which are moved to just after the decoded data, at buf[*len]. Calls
 * after that decode nothing and return the whole piece.
 */
int jg_http_chunked_decode(jg_http_chunked *c, char *buf, size_t *len);

/* ---- reading one whole answer -------------------------------------------------------------- */

typedef enum jg_http_framing {
	JG_HTTP_BODY_UNKNOWN = 0, /* the head is not complete yet */
	JG_HTTP_BODY_NONE,        /* 204, 304, or a 2xx answer to CONNECT */
	JG_HTTP_BODY_LENGTH,      /* Content-Length */
	JG_HTTP_BODY_CHUNKED,     /* Transfer-Encoding: chunked (wins over Content-Length) */
	JG_HTTP_BODY_CLOSE        /* neither: the body ends when the peer closes */
} jg_http_framing;

/*
 * A reader of one answer. The caller supplies one buffer of cap bytes: that is the limit on
 * the whole answer as received (interim 1xx heads, head, body with its chunk framing), and the
 * final head and the decoded body end up in it. After completion the public fields are:
 *
 *     head       the parsed head of the final answer (pointers into the buffer)
 *     status     head.status
 *     framing    how the body was delimited
 *     body       the body, de-chunked, not NUL-terminated (feed cJSON_ParseWithLength)
 *     body_len   its length
 *
 * Everything else is private. After a failure the reader stays failed (a sticky error): each
 * later call returns JG_ERR_PROTOCOL again.
 */
typedef struct jg_http_reader {
	jg_http_head head;
	int status;
	jg_http_framing framing;
	const char *body;
	size_t body_len;

	char *buf;
	size_t cap;
	size_t len;          /* bytes held in buf */
	size_t received;     /* bytes pushed so far, counted against cap */
	size_t scanned;      /* head bytes already searched for a line end */
	size_t line_start;   /* where the head's last unfinished line starts */
	size_t body_start;   /* offset of the body in buf */
	size_t body_expected; /* the Content-Length */
	int connect_mode;
	int complete;
	int failed;
	jg_http_chunked chunked;
} jg_http_reader;

/*
 * Prepare r to read one answer into buf[0..cap) (cap is clamped to INT_MAX). Framing, after
 * 1xx interim answers (100 Continue, 102, 103) are skipped: 204 and 304 have no body; else
 * Transfer-Encoding chunked delimits it (any other transfer coding is refused); else a single
 * Content-Length (duplicates, lists and non-digits are refused); else the peer's close.
 */
void jg_http_reader_init(jg_http_reader *r, char *buf, size_t cap);

/* The same, for the proxy's answer to CONNECT: a 2xx answer is complete right after its head,
 * whatever its headers say, since the tunnel starts there (and as the TLS server never speaks
 * first, bytes after that head in the same push are an error, not silently dropped); any other
 * status is framed as above so that its body can be reported. */
void jg_http_reader_init_connect(jg_http_reader *r, char *buf, size_t cap);

/*
 * Feed the next len bytes that arrived. *complete becomes 1 once the answer is whole (the
 * caller stops reading then; bytes after the end of the answer, in this push or later ones, are
 * ignored), 0 while more are needed. Failures, all JG_ERR_PROTOCOL: "HTTP answer malformed:
 * <why>" (bad status line or header, quoting the answer's first bytes; bad chunked body;
 * invalid or repeated Content-Length; unsupported Transfer-Encoding; a 101 nobody asked for),
 * "HTTP header section too large: <why>" (too many fields, too long a line) or "... (over
 * <cap> bytes)" (no end of head within cap), and "answer too large (over <cap> bytes)".
 */
jg_status jg_http_reader_push(jg_http_reader *r, const char *data, size_t len, int *complete,
                              jg_error *err);

/*
 * The peer closed the connection (or TLS reported its end). JG_OK when the answer was already
 * complete or is read-to-close (which completes it now); otherwise JG_ERR_PROTOCOL "answer
 * truncated: ...", saying whether the close came before any byte, inside the head, after N of
 * M Content-Length bytes, or inside a chunked body.
 */
jg_status jg_http_reader_eof(jg_http_reader *r, jg_error *err);

/*
 * Erase every byte the reader stored in its buffer and forget the answer. That is the first
 * `received` bytes, not `len`: chunk decoding moves the body down in place and shrinks len, so
 * the tail of a chunked answer (an access token, say) lies beyond it. Call it when the answer
 * dies and before the buffer is used again. A reader that was never initialised (all zero) is
 * left as it is.
 */
void jg_http_reader_wipe(jg_http_reader *r);

/* ---- reporting ----------------------------------------------------------------------------- */

/* Copy at most cap - 1 bytes of in[0..len) into out, each byte outside printable ASCII (0x20 to
 * 0x7E) replaced by '.', and NUL-terminate; nothing is written when cap is 0. For quoting the
 * start of an unexpected answer in an error message. */
void jg_http_printable_prefix(const char *in, size_t len, char *out, size_t cap);

#endif
