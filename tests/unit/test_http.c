/*
 * HTTP (src/net/http.h): the request heads we write, the head parser (every prefix of every
 * input placed against a guard page), folded lines, the caps, and the chunked decoder. The
 * answer reader is tested in test_http_reader.c.
 */
#include "net/http.h"
#include "http_test_util.h"

/* ---- helpers (and http_test_util.h) ------------------------------------------------------- */

/* "1.<minor> <status> [<reason>]" then "<name>: <value>" lines, each ended by '\n'. */
static void render_head(const jg_http_head *h, char *out, size_t cap)
{
	int n = snprintf(out, cap, "1.%d %d [%.*s]\n", h->minor_version, h->status,
	                 (int)h->reason_len, h->reason);
	size_t used = (size_t)n;
	for (size_t i = 0; i < h->num_headers && used < cap; i++) {
		const jg_http_header *f = &h->headers[i];
		n = snprintf(out + used, cap - used, "%.*s: %.*s\n", (int)f->name_len, f->name,
		             (int)f->value_len, f->value);
		used += (size_t)n;
	}
}


/* ---- requests ---------------------------------------------------------------------------- */

static int all_zero(const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (buf[i] != 0)
			return 0;
	}
	return 1;
}

static void post_head_exact_bytes(void **state)
{
	(void)state;
	static const struct {
		const char *host;
		int port;
		const char *user_agent;
		size_t body_len;
		const char *expected;
	} cases[] = {
		{ "login.salesforce.com", 443, "jwtgrant/0.1.0", 245,
		  "POST /services/oauth2/token HTTP/1.1\r\n"
		  "Host: login.salesforce.com\r\n"
		  "User-Agent: jwtgrant/0.1.0\r\n"
		  "Accept: application/json\r\n"
		  "Content-Type: application/x-www-form-urlencoded\r\n"
		  "Content-Length: 245\r\n"
		  "Connection: close\r\n"
		  "\r\n" },
		{ "localhost", 8443, "jwtgrant/0.1.0 (test)", 0,
		  "POST /services/oauth2/token HTTP/1.1\r\n"
		  "Host: localhost:8443\r\n"
		  "User-Agent: jwtgrant/0.1.0 (test)\r\n"
		  "Accept: application/json\r\n"
		  "Content-Type: application/x-www-form-urlencoded\r\n"
		  "Content-Length: 0\r\n"
		  "Connection: close\r\n"
		  "\r\n" },
		{ "::1", 4443, NULL, SIZE_MAX, /* 64-bit size_t assumed */
		  "POST /services/oauth2/token HTTP/1.1\r\n"
		  "Host: [::1]:4443\r\n"
		  "Accept: application/json\r\n"
		  "Content-Type: application/x-www-form-urlencoded\r\n"
		  "Content-Length: 18446744073709551615\r\n"
		  "Connection: close\r\n"
		  "\r\n" },
		{ "2001:db8::5", 443, "ua", 1,
		  "POST /services/oauth2/token HTTP/1.1\r\n"
		  "Host: [2001:db8::5]\r\n"
		  "User-Agent: ua\r\n"
		  "Accept: application/json\r\n"
		  "Content-Type: application/x-www-form-urlencoded\r\n"
		  "Content-Length: 1\r\n"
		  "Connection: close\r\n"
		  "\r\n" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char out[512];
		size_t len = 99;
		jg_error err;
		assert_int_equal(jg_http_build_post(out, sizeof out, &len, cases[i].host, cases[i].port,
		                                    "/services/oauth2/token", cases[i].user_agent,
		                                    cases[i].body_len, &err),
		                 JG_OK);
		assert_string_equal(out, cases[i].expected);
		assert_int_equal(len, strlen(cases[i].expected));
	}
}

static void post_head_needs_room_for_nul(void **state)
{
	(void)state;
	char out[256];
	size_t len = 0;
	jg_error err;
	assert_int_equal(jg_http_build_post(out, sizeof out, &len, "h", 443, "/", NULL, 0, &err),
	                 JG_OK);
	size_t exact = len;

	memset(out, 'x', sizeof out);
	assert_int_equal(jg_http_build_post(out, exact, &len, "h", 443, "/", NULL, 0, &err),
	                 JG_ERR_USAGE);
	assert_int_equal(len, 0);
	assert_true(all_zero(out, exact));
	assert_int_equal(out[exact], 'x');
	assert_non_null(strstr(err.message, "does not fit"));

	assert_int_equal(jg_http_build_post(out, exact + 1, &len, "h", 443, "/", NULL, 0, &err),
	                 JG_OK);
	assert_int_equal(len, exact);
	assert_int_equal(out[exact], '\0');

	assert_int_equal(jg_http_build_post(out, 0, &len, "h", 443, "/", NULL, 0, &err),
	                 JG_ERR_USAGE);
}

static void post_head_refuses_injection(void **state)
{
	(void)state;
	static const struct {
		const char *host;
		int port;
		const char *path;
		const char *user_agent;
		const char *why;
	} cases[] = {
		{ "a\r\nX-Evil: 1", 443, "/", NULL, "invalid host" },
		{ "", 443, "/", NULL, "invalid host" },
		{ "a b", 443, "/", NULL, "invalid host" },
		{ "user@host", 443, "/", NULL, "invalid host" },
		{ "host/path", 443, "/", NULL, "invalid host" },
		{ "[::1]", 443, "/", NULL, "invalid host" },
		{ "h\xc3\xa9", 443, "/", NULL, "invalid host" },
		{ "h", 0, "/", NULL, "port outside" },
		{ "h", 65536, "/", NULL, "port outside" },
		{ "h", -443, "/", NULL, "port outside" },
		{ "h", 443, "services", NULL, "invalid path" },
		{ "h", 443, "", NULL, "invalid path" },
		{ "h", 443, "/a b", NULL, "invalid path" },
		{ "h", 443, "/a\nHost: x", NULL, "invalid path" },
		{ "h", 443, "/\x7f", NULL, "invalid path" },
		{ "h", 443, "/", "ua\r\nX: 1", "invalid User-Agent" },
		{ "h", 443, "/", "", "invalid User-Agent" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char out[512];
		size_t len = 7;
		jg_error err;
		memset(out, 'x', sizeof out);
		assert_int_equal(jg_http_build_post(out, sizeof out, &len, cases[i].host, cases[i].port,
		                                    cases[i].path, cases[i].user_agent, 3, &err),
		                 JG_ERR_USAGE);
		assert_int_equal(len, 0);
		assert_true(all_zero(out, sizeof out));
		assert_non_null(strstr(err.message, cases[i].why));
	}
}

static void connect_head_exact_bytes(void **state)
{
	(void)state;
	static const struct {
		const char *host;
		int port;
		const char *auth;
		const char *user_agent;
		const char *expected;
	} cases[] = {
		{ "login.salesforce.com", 443, NULL, "jwtgrant/0.1.0",
		  "CONNECT login.salesforce.com:443 HTTP/1.1\r\n"
		  "Host: login.salesforce.com:443\r\n"
		  "User-Agent: jwtgrant/0.1.0\r\n"
		  "\r\n" },
		{ "example.my.salesforce.com", 8443, "dXNlcjpwYXNz", "jwtgrant/0.1.0",
		  "CONNECT example.my.salesforce.com:8443 HTTP/1.1\r\n"
		  "Host: example.my.salesforce.com:8443\r\n"
		  "Proxy-Authorization: Basic dXNlcjpwYXNz\r\n"
		  "User-Agent: jwtgrant/0.1.0\r\n"
		  "\r\n" },
		{ "fe80::1", 443, "YTpi+/==", NULL,
		  "CONNECT [fe80::1]:443 HTTP/1.1\r\n"
		  "Host: [fe80::1]:443\r\n"
		  "Proxy-Authorization: Basic YTpi+/==\r\n"
		  "\r\n" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char out[512];
		size_t len = 0;
		jg_error err;
		assert_int_equal(jg_http_build_connect(out, sizeof out, &len, cases[i].host,
		                                       cases[i].port, cases[i].auth,
		                                       cases[i].user_agent, &err),
		                 JG_OK);
		assert_string_equal(out, cases[i].expected);
		assert_int_equal(len, strlen(cases[i].expected));
	}
}

static void connect_head_keeps_secrets_out_of_errors(void **state)
{
	(void)state;
	char out[512];
	size_t len = 5;
	jg_error err;

	memset(out, 'x', sizeof out);
	assert_int_equal(jg_http_build_connect(out, sizeof out, &len, "h", 443,
	                                       "c2VjcmV0\r\nX-Evil: 1", NULL, &err),
	                 JG_ERR_USAGE);
	assert_int_equal(len, 0);
	assert_true(all_zero(out, sizeof out));
	assert_null(strstr(err.message, "c2VjcmV0"));

	/* Too small once the credentials are written: the partial head is wiped too. */
	memset(out, 'x', sizeof out);
	assert_int_equal(jg_http_build_connect(out, 60, &len, "h", 443, "c2VjcmV0c2VjcmV0c2VjcmV0",
	                                       NULL, &err),
	                 JG_ERR_USAGE);
	assert_true(all_zero(out, 60));
	assert_null(strstr(err.message, "c2VjcmV0"));

	assert_int_equal(jg_http_build_connect(out, sizeof out, &len, "h", 443, "", NULL, &err),
	                 JG_ERR_USAGE);
	assert_int_equal(jg_http_build_connect(out, sizeof out, &len, "h", 70000, NULL, NULL, &err),
	                 JG_ERR_USAGE);
	assert_int_equal(jg_http_build_connect(out, sizeof out, &len, "h\n", 443, NULL, NULL, &err),
	                 JG_ERR_USAGE);
}

/* The GitHub API's requests (jg_http_build_request): a GET with the JWT and one more line, the
 * POST of a JSON body, and a request with none of the optional lines. */
static void request_head_exact_bytes(void **state)
{
	(void)state;
	static const struct {
		const char *host;
		int port;
		jg_http_request rq;
		const char *expected;
	} cases[] = {
		{ .host = "api.github.com", .port = 443,
		  .rq = { .method = "GET", .path = "/repos/octo-org/app/installation",
		          .user_agent = "jwtgrant/0.2.0", .accept = "application/vnd.github+json",
		          .authorization = "Bearer eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIxIn0.c2ln",
		          .extra = "X-GitHub-Api-Version: 2022-11-28",
		          .content_type = "application/json", .body_len = 12 }, /* a GET's: unused */
		  .expected = "GET /repos/octo-org/app/installation HTTP/1.1\r\n"
		              "Host: api.github.com\r\n"
		              "User-Agent: jwtgrant/0.2.0\r\n"
		              "Accept: application/vnd.github+json\r\n"
		              "Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIxIn0.c2ln\r\n"
		              "X-GitHub-Api-Version: 2022-11-28\r\n"
		              "Connection: close\r\n\r\n" },
		{ .host = "ghe.example.com", .port = 8443,
		  .rq = { .method = "POST", .path = "/api/v3/app/installations/42/access_tokens",
		          .user_agent = "jwtgrant/0.2.0", .accept = "application/vnd.github+json",
		          .content_type = "application/json", .authorization = "Bearer a.b.c",
		          .extra = "X-GitHub-Api-Version: 2022-11-28", .body_len = 2 },
		  .expected = "POST /api/v3/app/installations/42/access_tokens HTTP/1.1\r\n"
		              "Host: ghe.example.com:8443\r\n"
		              "User-Agent: jwtgrant/0.2.0\r\n"
		              "Accept: application/vnd.github+json\r\n"
		              "Authorization: Bearer a.b.c\r\n"
		              "X-GitHub-Api-Version: 2022-11-28\r\n"
		              "Content-Type: application/json\r\n"
		              "Content-Length: 2\r\n"
		              "Connection: close\r\n\r\n" },
		{ .host = "2001:db8::7", .port = 4443,
		  .rq = { .method = "GET", .path = "/", .accept = "*/*" },
		  .expected = "GET / HTTP/1.1\r\nHost: [2001:db8::7]:4443\r\nAccept: */*\r\n"
		              "Connection: close\r\n\r\n" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char out[1024];
		size_t len = 0;
		jg_error err;
		assert_int_equal(jg_http_build_request(out, sizeof out, &len, cases[i].host,
		                                       cases[i].port, &cases[i].rq, &err),
		                 JG_OK);
		assert_string_equal(out, cases[i].expected);
		assert_int_equal(len, strlen(cases[i].expected));
	}
}

/* jg_http_build_post is jg_http_build_request with the form's fields, byte for byte. */
static void request_head_as_post(void **state)
{
	(void)state;
	const jg_http_request form = {
		.method = "POST", .path = "/services/oauth2/token", .user_agent = "jwtgrant/0.1.0",
		.accept = "application/json", .content_type = "application/x-www-form-urlencoded",
		.body_len = 245,
	};
	char out[512], post[512];
	size_t len = 0, post_len = 0;
	jg_error err;
	assert_int_equal(jg_http_build_request(out, sizeof out, &len, "h", 443, &form, &err), JG_OK);
	assert_int_equal(jg_http_build_post(post, sizeof post, &post_len, "h", 443,
	                                    "/services/oauth2/token", "jwtgrant/0.1.0", 245, &err),
	                 JG_OK);
	assert_int_equal(len, post_len);
	assert_memory_equal(out, post, len + 1);
}

/* A request that cannot be written: JG_ERR_USAGE naming the field, out wiped, *len 0, and the
 * Authorization (a secret) never quoted. */
static void request_refused(const jg_http_request *rq, const char *host, int port, size_t cap,
                            const char *why)
{
	char out[512];
	size_t len = 9;
	jg_error err;
	assert_true(cap < sizeof out);
	memset(out, 'x', sizeof out);
	assert_int_equal(jg_http_build_request(out, cap, &len, host, port, rq, &err), JG_ERR_USAGE);
	assert_int_equal(err.status, JG_ERR_USAGE);
	assert_int_equal(len, 0);
	assert_true(all_zero(out, cap));
	assert_int_equal(out[cap], 'x');
	if (strstr(err.message, why) == NULL)
		fail_msg("\"%s\" not in \"%s\"", why, err.message);
	assert_null(strstr(err.message, "s3cr3t"));
	assert_null(strstr(err.message, "Bearer"));
}

static const jg_http_request good_request = {
	.method = "GET", .path = "/app/installations/1/access_tokens", .user_agent = "ua",
	.accept = "application/vnd.github+json", .content_type = "application/json",
	.authorization = "Bearer s3cr3tJWT", .extra = "X-GitHub-Api-Version: 2022-11-28",
};

static void request_head_refusals(void **state)
{
	(void)state;
	static const char *const methods[] = { "PUT", "get", "GET ", "CONNECT", "", NULL };
	static const char *const accepts[] = { NULL, "", "a\r\nX-Evil: 1", "caf\xc3\xa9" };
	static const char *const extras[] = {
		"X-GitHub-Api-Version:2022-11-28", "X-GitHub-Api-Version", "", "X: a\r\nY: b", "X: \x7f",
	};
	static const char *const authorizations[] = {
		"Bearer s3cr3tJWT\r\nX-Evil: 1", "Bearer s3cr3t\x01JWT", "Bearer s3cr3t\tJWT",
		"Bearer s3cr3t\xc3\xa9JWT", "Bearer s3cr3t\x7fJWT", "",
	};
	jg_http_request rq = good_request;
	for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
		rq.method = methods[i];
		request_refused(&rq, "h", 443, 256, "neither GET nor POST");
	}
	rq = good_request;
	static const char *const paths[] = { "app", "/a b", "/a\r\nX: 1", NULL };
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		rq.path = paths[i];
		request_refused(&rq, "h", 443, 256, "invalid path");
	}
	rq = good_request;
	for (size_t i = 0; i < sizeof accepts / sizeof accepts[0]; i++) {
		rq.accept = accepts[i];
		request_refused(&rq, "h", 443, 256, "invalid Accept or Content-Type");
	}
	rq = good_request;
	rq.method = "POST";
	for (size_t i = 0; i < 3; i++) {
		rq.content_type = accepts[i];
		request_refused(&rq, "h", 443, 256, "invalid Accept or Content-Type");
	}
	rq = good_request;
	for (size_t i = 0; i < sizeof extras / sizeof extras[0]; i++) {
		rq.extra = extras[i];
		request_refused(&rq, "h", 443, 256, "invalid extra header line");
	}
	rq = good_request;
	for (size_t i = 0; i < sizeof authorizations / sizeof authorizations[0]; i++) {
		rq.authorization = authorizations[i];
		request_refused(&rq, "h", 443, 256, "invalid Authorization");
	}
	rq = good_request;
	rq.user_agent = "ua\nX: 1";
	request_refused(&rq, "h", 443, 256, "invalid User-Agent");
	request_refused(&good_request, "a b", 443, 256, "invalid host");
	request_refused(&good_request, "h", 0, 256, "port outside");
	/* Too small once the Authorization is written: the partial head is wiped too. */
	request_refused(&good_request, "api.github.com", 443, 140, "does not fit in 140 bytes");
}

/* ---- head parser ------------------------------------------------------------------------- */

/*
 * Parse input[0..len) and every prefix of it, each placed against the guard page. A head
 * (expected > 0) must give -2 for every shorter prefix and the same head for every longer one;
 * a malformed input (-1) must give -2 then -1 once, never a head. Returns the full rendering.
 */
static void check_head_prefixes(const char *input, size_t len, int expected, char *rendered,
                                size_t rendered_cap)
{
	jg_http_head head;
	int rc = jg_http_parse_head(at_guard(input, len), len, &head);
	assert_int_equal(rc, expected);
	if (rc > 0 && rendered != NULL)
		render_head(&head, rendered, rendered_cap);

	int seen_error = 0;
	for (size_t n = 0; n < len; n++) {
		jg_http_head partial;
		int prc = jg_http_parse_head(at_guard(input, n), n, &partial);
		if (expected > 0 && n < (size_t)expected) {
			assert_int_equal(prc, -2);
		} else if (expected > 0) {
			char again[20000];
			assert_int_equal(prc, expected);
			render_head(&partial, again, sizeof again);
			assert_string_equal(again, rendered);
		} else {
			if (seen_error)
				assert_int_equal(prc, -1);
			else
				assert_true(prc == -2 || prc == -1);
			seen_error = prc == -1;
		}
	}
}

static void parse_good_heads(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		const char *head;
		const char *after; /* bytes after the head: not consumed */
		const char *rendered;
	} cases[] = {
		{ "plain", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
		           "Content-Length: 2\r\n\r\n", "{}",
		  "1.1 200 [OK]\nContent-Type: application/json\nContent-Length: 2\n" },
		{ "bare LF", "HTTP/1.0 404 Not Found\nServer: x\n\n", "body",
		  "1.0 404 [Not Found]\nServer: x\n" },
		{ "mixed line ends", "HTTP/1.1 400 Bad Request\nA: 1\r\nB: 2\n\r\n", "",
		  "1.1 400 [Bad Request]\nA: 1\nB: 2\n" },
		{ "no headers", "HTTP/1.1 204 No Content\r\n\r\n", "",
		  "1.1 204 [No Content]\n" },
		{ "empty reason", "HTTP/1.1 204 \r\n\r\n", "", "1.1 204 []\n" },
		{ "no reason", "HTTP/1.1 200\r\n\r\n", "", "1.1 200 []\n" },
		{ "100, the next answer after it", "HTTP/1.1 100 Continue\r\n\r\n",
		  "HTTP/1.1 599 x\r\n\r\n", "1.1 100 [Continue]\n" },
		{ "highest status", "HTTP/1.1 599 Weird Thing\r\n\r\n", "",
		  "1.1 599 [Weird Thing]\n" },
		{ "reason with spaces and tab", "HTTP/1.1 500 Internal  Server\tError \r\n\r\n", "",
		  "1.1 500 [Internal  Server\tError ]\n" },
		{ "trimmed values", "HTTP/1.1 200 OK\r\nX-Padded:   padded value \t\r\n"
		                    "X-Empty:\r\nX-Spaces:   \r\nX-Tab:\ta\tb\r\n\r\n", "",
		  "1.1 200 [OK]\nX-Padded: padded value\nX-Empty: \nX-Spaces: \nX-Tab: a\tb\n" },
		{ "obs-text", "HTTP/1.1 200 \xc3\xa9t\xc3\xa9\r\nX: caf\xc3\xa9\r\n\r\n", "",
		  "1.1 200 [\xc3\xa9t\xc3\xa9]\nX: caf\xc3\xa9\n" },
		{ "all token characters", "HTTP/1.1 200 OK\r\n!#$%&'*+-.^_`|~09azAZ: v\r\n\r\n", "",
		  "1.1 200 [OK]\n!#$%&'*+-.^_`|~09azAZ: v\n" },
		{ "colon in value", "HTTP/1.1 302 Found\r\nLocation: https://x:8443/y?a=b:c\r\n\r\n",
		  "", "1.1 302 [Found]\nLocation: https://x:8443/y?a=b:c\n" },
		{ "duplicate names kept", "HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\n",
		  "", "1.1 200 [OK]\nSet-Cookie: a=1\nSet-Cookie: b=2\n" },
		{ "next answer follows", "HTTP/1.1 100 Continue\n\n", "HTTP/1.1 200 OK\n\n",
		  "1.1 100 [Continue]\n" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char input[1024], rendered[4096];
		size_t head_len = strlen(cases[i].head);
		(void)snprintf(input, sizeof input, "%s%s", cases[i].head, cases[i].after);
		print_message("# head: %s\n", cases[i].name);
		check_head_prefixes(input, strlen(input), (int)head_len, rendered, sizeof rendered);
		assert_string_equal(rendered, cases[i].rendered);
	}
}

static void parse_malformed_heads(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		const char *input;
	} cases[] = {
		{ "HTTP/2", "HTTP/2 200 OK\r\n\r\n" },
		{ "HTML", "<html><body>Service Unavailable</body></html>" },
		{ "lowercase protocol", "http/1.1 200 OK\r\n\r\n" },
		{ "empty line first", "\r\nHTTP/1.1 200 OK\r\n\r\n" },
		{ "version only", "HTTP/1.1\r\n\r\n" },
		{ "version prefix only", "HTTP/1.\r\n\r\n" },
		{ "two-digit minor", "HTTP/1.10 200 OK\r\n\r\n" },
		{ "letter minor", "HTTP/1.x 200 OK\r\n\r\n" },
		{ "two-digit status", "HTTP/1.1 20 OK\r\n\r\n" },
		{ "four-digit status", "HTTP/1.1 2000 OK\r\n\r\n" },
		{ "status glued to reason", "HTTP/1.1 200OK\r\n\r\n" },
		{ "status below 100", "HTTP/1.1 099 Low\r\n\r\n" },
		{ "status above 599", "HTTP/1.1 600 High\r\n\r\n" },
		{ "letter in status", "HTTP/1.1 2x0 OK\r\n\r\n" },
		{ "two spaces before status", "HTTP/1.1  200 OK\r\n\r\n" },
		{ "tab before status", "HTTP/1.1\t200 OK\r\n\r\n" },
		{ "NUL in reason", "HTTP/1.1 200 O\0K\r\n\r\n" },
		{ "bare CR in status line", "HTTP/1.1 200 OK\rX: y\r\n\r\n" },
		{ "bare CR in header", "HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n" },
		{ "bare CR as blank line", "HTTP/1.1 200 OK\r\nX: y\r\n\r\r\n" },
		{ "leading space on first field", "HTTP/1.1 200 OK\r\n X: y\r\n\r\n" },
		{ "missing colon", "HTTP/1.1 200 OK\r\nNoColonHere\r\n\r\n" },
		{ "space before colon", "HTTP/1.1 200 OK\r\nContent-Length : 5\r\n\r\n" },
		{ "space in name", "HTTP/1.1 200 OK\r\nContent Length: 5\r\n\r\n" },
		{ "empty name", "HTTP/1.1 200 OK\r\n: v\r\n\r\n" },
		{ "bad name character", "HTTP/1.1 200 OK\r\nNa(me: v\r\n\r\n" },
		{ "non-ASCII name", "HTTP/1.1 200 OK\r\nN\xc3\xa9: v\r\n\r\n" },
		{ "control character in value", "HTTP/1.1 200 OK\r\nX: a\x01"
		                                "b\r\n\r\n" },
		{ "DEL in value", "HTTP/1.1 200 OK\r\nX: a\x7f"
		                  "b\r\n\r\n" },
		{ "escape in value", "HTTP/1.1 200 OK\r\nX: \x1b[31m\r\n\r\n" },
		{ "vertical tab in value", "HTTP/1.1 200 OK\r\nX: a\vb\r\n\r\n" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t len = strlen(cases[i].input);
		if (strcmp(cases[i].name, "NUL in reason") == 0)
			len = sizeof "HTTP/1.1 200 O\0K\r\n\r\n" - 1;
		print_message("# malformed: %s\n", cases[i].name);
		check_head_prefixes(cases[i].input, len, -1, NULL, 0);
	}
}

/* Parse input as a head (checked on every prefix), unfold it in place, render it. */
static void parse_and_unfold(const char *input, char *rendered, size_t cap)
{
	static char copy[1024];
	size_t len = strlen(input);
	jg_http_head head;
	check_head_prefixes(input, len, (int)len, rendered, cap);
	memcpy(copy, input, len + 1); /* len < sizeof copy: the inputs are short */
	assert_int_equal(jg_http_parse_head(copy, len, &head), (int)len);
	jg_http_unfold(copy, &head);
	render_head(&head, rendered, cap);
}

/* obs-fold (RFC 9112 section 5.2): a client replaces each fold with spaces. */
static void parse_folded_heads(void **state)
{
	(void)state;
	static const struct {
		const char *name, *head, *rendered;
	} cases[] = {
		{ "space", "HTTP/1.1 200 OK\r\nX: y\r\n folded\r\n\r\n",
		  "1.1 200 [OK]\nX: y   folded\n" },
		{ "tab, bare LF", "HTTP/1.1 200 OK\nX: y\n\tfolded\n\n", "1.1 200 [OK]\nX: y  folded\n" },
		{ "several folds, fields after",
		  "HTTP/1.1 200 OK\r\nA: 1\r\n 2 \r\n\t3\r\nB: 4\r\n\r\n",
		  "1.1 200 [OK]\nA: 1   2    3\nB: 4\n" },
		{ "empty value, then a fold", "HTTP/1.1 200 OK\r\nContent-Type:\r\n  text/html\r\n\r\n",
		  "1.1 200 [OK]\nContent-Type: text/html\n" },
		{ "a fold of spaces only", "HTTP/1.1 200 OK\r\nX: a\r\n   \r\n\r\n",
		  "1.1 200 [OK]\nX: a\n" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char rendered[1024];
		print_message("# folded: %s\n", cases[i].name);
		parse_and_unfold(cases[i].head, rendered, sizeof rendered);
		assert_string_equal(rendered, cases[i].rendered);
	}
	jg_http_head head;
	const char *first = "HTTP/1.1 200 OK\r\n folded\r\n\r\n"; /* nothing to continue */
	assert_int_equal(jg_http_parse_head(first, strlen(first), &head), -1);
}

static void parse_header_count_cap(void **state)
{
	(void)state;
	static char rendered[20000];
	jg_http_head head;

	gen_headers(JG_HTTP_MAX_HEADERS);
	check_head_prefixes(gen, gen_len, (int)gen_len, rendered, sizeof rendered);
	assert_int_equal(jg_http_parse_head(at_guard(gen, gen_len), gen_len, &head), (int)gen_len);
	assert_int_equal(head.num_headers, JG_HTTP_MAX_HEADERS);

	gen_headers(JG_HTTP_MAX_HEADERS + 1);
	check_head_prefixes(gen, gen_len, -1, NULL, 0);
}

static void parse_line_length_cap(void **state)
{
	(void)state;
	static char rendered[20000];
	jg_http_head head;
	size_t prefix = strlen("HTTP/1.1 200 OK\r\nX: ");

	/* A header line of exactly JG_HTTP_MAX_LINE bytes is fine, one more is not. */
	gen_reset();
	gen_add("HTTP/1.1 200 OK\r\nX: ");
	gen_repeat('v', JG_HTTP_MAX_LINE - 3);
	gen_add("\r\n\r\n");
	assert_int_equal(jg_http_parse_head(at_guard(gen, gen_len), gen_len, &head), (int)gen_len);
	assert_int_equal(head.headers[0].value_len, JG_HTTP_MAX_LINE - 3);
	check_head_prefixes(gen, gen_len, (int)gen_len, rendered, sizeof rendered);

	gen_reset();
	gen_add("HTTP/1.1 200 OK\r\nX: ");
	gen_repeat('v', JG_HTTP_MAX_LINE - 2);
	gen_add("\r\n\r\n");
	check_head_prefixes(gen, gen_len, -1, NULL, 0);
	/* It fails as soon as the line is too long, not at its end. */
	assert_int_equal(jg_http_parse_head(at_guard(gen, prefix + JG_HTTP_MAX_LINE - 3),
	                                    prefix + JG_HTTP_MAX_LINE - 3, &head), -2);
	assert_int_equal(jg_http_parse_head(at_guard(gen, prefix + JG_HTTP_MAX_LINE - 2),
	                                    prefix + JG_HTTP_MAX_LINE - 2, &head), -1);

	/* The same for the status line, with a bare LF. */
	gen_reset();
	gen_add("HTTP/1.1 200 ");
	gen_repeat('r', JG_HTTP_MAX_LINE - 13);
	gen_add("\n\n");
	assert_int_equal(jg_http_parse_head(at_guard(gen, gen_len), gen_len, &head), (int)gen_len);
	gen_reset();
	gen_add("HTTP/1.1 200 ");
	gen_repeat('r', JG_HTTP_MAX_LINE - 12);
	gen_add("\n\n");
	assert_int_equal(jg_http_parse_head(at_guard(gen, gen_len), gen_len, &head), -1);
}

static void find_header_ignores_case(void **state)
{
	(void)state;
	static const char input[] = "HTTP/1.1 200 OK\r\ncontent-TYPE: a\r\nX-A: 1\r\nx-a: 2\r\n\r\n";
	jg_http_head head;
	assert_int_equal(jg_http_parse_head(input, sizeof input - 1, &head), (int)sizeof input - 1);

	const jg_http_header *f = jg_http_find_header(&head, "Content-Type");
	assert_non_null(f);
	assert_int_equal(f->value_len, 1);
	assert_memory_equal(f->value, "a", 1);
	f = jg_http_find_header(&head, "x-a");
	assert_non_null(f);
	assert_memory_equal(f->value, "1", 1);
	assert_null(jg_http_find_header(&head, "Content"));
	assert_null(jg_http_find_header(&head, "Content-Type-X"));
	assert_null(jg_http_find_header(&head, ""));
}

/* ---- chunked decoder --------------------------------------------------------------------- */


/*
 * Decode input as a reader would: each raw piece is appended right after the bytes decoded so
 * far and decoded in place. split is WHOLE, BYTEWISE, or the length of a first piece. Returns
 * the final result; *decoded is the decoded length, and on completion buf holds the leftover
 * after the decoded bytes (the piece's leftover, then what was never fed).
 */
static int decode_pieces(jg_http_chunked *c, const char *input, size_t len, long split,
                         char *buf, size_t *decoded)
{
	size_t pos = 0;
	int rc = -2;

	jg_http_chunked_init(c);
	*decoded = 0;
	while (pos < len && rc == -2) {
		size_t end = split == WHOLE ? len : split == BYTEWISE ? pos + 1
		           : pos < (size_t)split ? (size_t)split : len;
		size_t piece = end - pos;
		memcpy(buf + *decoded, input + pos, piece);
		rc = jg_http_chunked_decode(c, buf + *decoded, &piece);
		if (rc == -1)
			return rc;
		*decoded += piece;
		if (rc >= 0)
			memcpy(buf + *decoded + rc, input + end, len - end);
		rc = rc >= 0 ? rc + (int)(len - end) : rc;
		pos = end;
	}
	return rc;
}

typedef struct chunk_case {
	const char *name;
	const char *input;
	const char *decoded; /* NULL when malformed */
	int result;          /* bytes left over, -2 (unfinished) or -1 */
	const char *why;     /* for -1: part of c->why */
} chunk_case;

static void check_chunk_case(const chunk_case *t, size_t len, int all_splits)
{
	static char buf[200000];
	jg_http_chunked c;
	size_t decoded;
	long last_split = all_splits ? (long)len - 1 : 0;

	print_message("# chunked: %s\n", t->name);
	for (long split = BYTEWISE; split <= last_split; split++) {
		int rc = decode_pieces(&c, t->input, len, split, buf, &decoded);
		assert_int_equal(rc, t->result);
		if (rc == -1) {
			if (c.why == NULL || t->why == NULL) {
				fail_msg("%s: no reason given or expected", t->name);
				return;
			}
			assert_non_null(strstr(c.why, t->why));
			size_t again = 3;
			assert_int_equal(jg_http_chunked_decode(&c, buf, &again), -1);
			assert_int_equal(again, 0);
			continue;
		}
		if (t->decoded == NULL) {
			fail_msg("%s: decoded, but no data expected", t->name);
			return;
		}
		assert_int_equal(decoded, strlen(t->decoded));
		assert_memory_equal(buf, t->decoded, decoded);
		if (rc >= 0) {
			assert_memory_equal(buf + decoded, t->input + len - (size_t)rc, (size_t)rc);
			/* Once done, later pieces are all left over. */
			size_t more = 4;
			memset(buf, 'm', 4);
			assert_int_equal(jg_http_chunked_decode(&c, buf, &more), 4);
			assert_int_equal(more, 0);
		}
	}

	/* In place against the guard page: the decoder must not look past the piece. */
	char *at = at_guard(t->input, len);
	size_t n = len;
	jg_http_chunked_init(&c);
	assert_int_equal(jg_http_chunked_decode(&c, at, &n), t->result);
	if (t->result != -1)
		assert_memory_equal(at, t->decoded, n);
}

static void chunked_good_bodies(void **state)
{
	(void)state;
	static const chunk_case cases[] = {
		{ "one chunk", "5\r\nhello\r\n0\r\n\r\n", "hello", 0, NULL },
		{ "two chunks", "3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n", "abcdefg", 0, NULL },
		{ "hex digits, both cases", "a\r\n0123456789\r\nB\r\nabcdefghijk\r\n0\r\n\r\n",
		  "0123456789abcdefghijk", 0, NULL },
		{ "empty body", "0\r\n\r\n", "", 0, NULL },
		{ "leading zeros", "0005\r\nhello\r\n000\r\n\r\n", "hello", 0, NULL },
		{ "many leading zeros", "00000000000000000000000000000001\r\nX\r\n0\r\n\r\n", "X", 0,
		  NULL },
		{ "extensions", "5;name=value;x\r\nhello\r\n0;last=\"y z\"\r\n\r\n", "hello", 0,
		  NULL },
		{ "space before extension", "5 ;ext\r\nhello\r\n0\t\r\n\r\n", "hello", 0, NULL },
		{ "trailers", "5\r\nhello\r\n0\r\nX-Trailer: yes\r\nChecksum:abc \t\r\n\r\n", "hello",
		  0, NULL },
		{ "bare LF everywhere", "5\nhello\n0\nT: v\n\n", "hello", 0, NULL },
		{ "CRLF inside data", "4\r\n\r\n\r\n\r\n0\r\n\r\n", "\r\n\r\n", 0, NULL },
		{ "bytes after the end", "5\r\nhello\r\n0\r\n\r\nEXTRA", "hello", 5, NULL },
		{ "next answer after the end", "2\r\n{}\r\n0\r\n\r\nHTTP/1.1 200 OK\r\n", "{}", 17,
		  NULL },
		{ "unfinished data", "FFFFFFFFFFFFFFFF\r\nabc", "abc", -2, NULL },
		{ "unfinished trailers", "1\r\nx\r\n0\r\nA: b\r\n", "x", -2, NULL },
		{ "unfinished final CRLF", "1\r\nx\r\n0\r\n\r", "x", -2, NULL },
		{ "nothing yet", "", "", -2, NULL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check_chunk_case(&cases[i], strlen(cases[i].input), 1);
}

static void chunked_malformed_bodies(void **state)
{
	(void)state;
	static const chunk_case cases[] = {
		{ "empty size", "\r\nhello\r\n0\r\n\r\n", NULL, -1, "not hexadecimal" },
		{ "not hex", "x\r\n", NULL, -1, "not hexadecimal" },
		{ "0x prefix", "0x5\r\nhello\r\n0\r\n\r\n", NULL, -1, "not hexadecimal" },
		{ "negative", "-5\r\nhello\r\n", NULL, -1, "not hexadecimal" },
		{ "leading space", " 5\r\nhello\r\n", NULL, -1, "not hexadecimal" },
		{ "space inside size", "5 5\r\nhello\r\n", NULL, -1, "not hexadecimal" },
		{ "size overflow", "10000000000000000\r\nx\r\n0\r\n\r\n", NULL, -1, "overflow" },
		{ "size overflow, long", "FFFFFFFFFFFFFFFFFFFFFFFFFFFF\r\n", NULL, -1, "overflow" },
		{ "CR without LF after size", "5\rhello\r\n0\r\n\r\n", NULL, -1, "not ended by CRLF" },
		{ "data too long", "5\r\nhelloX\r\n0\r\n\r\n", NULL, -1, "not followed by CRLF" },
		{ "data too short", "5\r\nhel\r\n0\r\n\r\n", NULL, -1, "not followed by CRLF" },
		{ "CR then junk after data", "5\r\nhello\rX0\r\n\r\n", NULL, -1, "not followed by CRLF" },
		{ "control character in extension", "5;a\x01"
		                                    "b\r\nhello\r\n0\r\n\r\n", NULL, -1,
		  "control character" },
		{ "trailer without colon", "5\r\nhello\r\n0\r\nNoColon\r\n\r\n", NULL, -1,
		  "malformed trailer" },
		{ "trailer with space in name", "0\r\nBad Name: v\r\n\r\n", NULL, -1,
		  "malformed trailer" },
		{ "folded trailer", "0\r\nA: b\r\n c\r\n\r\n", NULL, -1, "folded" },
		{ "control character in trailer", "0\r\nA: \x02\r\n\r\n", NULL, -1,
		  "control character" },
		{ "bare CR in trailer", "0\r\nA: b\rc\r\n\r\n", NULL, -1, "not ended by CRLF" },
		{ "bad final CRLF", "0\r\n\rX", NULL, -1, "not ended by CRLF" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check_chunk_case(&cases[i], strlen(cases[i].input), 1);
}

static void chunked_line_and_trailer_caps(void **state)
{
	(void)state;
	chunk_case t;

	/* A size line (digits, extension) of exactly JG_HTTP_MAX_LINE bytes, then one more. */
	gen_reset();
	gen_add("1;");
	gen_repeat('e', JG_HTTP_MAX_LINE - 2);
	gen_add("\r\nX\r\n0\r\n\r\n");
	t = (chunk_case){ "longest extension", gen, "X", 0, NULL };
	check_chunk_case(&t, gen_len, 0);
	gen_reset();
	gen_add("1;");
	gen_repeat('e', JG_HTTP_MAX_LINE - 1);
	gen_add("\r\nX\r\n0\r\n\r\n");
	t = (chunk_case){ "extension too long", gen, NULL, -1, "longer than 8192" };
	check_chunk_case(&t, gen_len, 0);

	/* Endless zeros are a size line too. */
	gen_reset();
	gen_repeat('0', JG_HTTP_MAX_LINE + 1);
	t = (chunk_case){ "endless zeros", gen, NULL, -1, "longer than 8192" };
	check_chunk_case(&t, gen_len, 0);

	gen_reset();
	gen_add("0\r\nT: ");
	gen_repeat('t', JG_HTTP_MAX_LINE);
	gen_add("\r\n\r\n");
	t = (chunk_case){ "trailer too long", gen, NULL, -1, "longer than 8192" };
	check_chunk_case(&t, gen_len, 0);

	gen_reset();
	gen_add("0\r\n");
	for (int i = 0; i < JG_HTTP_MAX_HEADERS; i++)
		gen_add("T%d: v\r\n", i);
	gen_add("\r\n");
	t = (chunk_case){ "64 trailers", gen, "", 0, NULL };
	check_chunk_case(&t, gen_len, 1);

	gen_reset();
	gen_add("0\r\n");
	for (int i = 0; i <= JG_HTTP_MAX_HEADERS; i++)
		gen_add("T%d: v\r\n", i);
	gen_add("\r\n");
	t = (chunk_case){ "65 trailers", gen, NULL, -1, "more than 64 trailer" };
	check_chunk_case(&t, gen_len, 1);

	/* A big chunk split everywhere is still decoded exactly. */
	static char data[5000];
	for (size_t i = 0; i < sizeof data - 1; i++)
		data[i] = (char)('a' + i % 26);
	gen_reset();
	gen_add("%zx\r\n%s\r\n1\r\n!\r\n0\r\n\r\n", sizeof data - 1, data);
	static char expected[5001];
	(void)snprintf(expected, sizeof expected, "%s!", data);
	t = (chunk_case){ "big chunk", gen, expected, 0, NULL };
	check_chunk_case(&t, gen_len, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(post_head_exact_bytes),
		cmocka_unit_test(post_head_needs_room_for_nul),
		cmocka_unit_test(post_head_refuses_injection),
		cmocka_unit_test(connect_head_exact_bytes),
		cmocka_unit_test(connect_head_keeps_secrets_out_of_errors),
		cmocka_unit_test(request_head_exact_bytes),
		cmocka_unit_test(request_head_as_post),
		cmocka_unit_test(request_head_refusals),
		cmocka_unit_test(parse_good_heads),
		cmocka_unit_test(parse_malformed_heads),
		cmocka_unit_test(parse_folded_heads),
		cmocka_unit_test(parse_header_count_cap),
		cmocka_unit_test(parse_line_length_cap),
		cmocka_unit_test(find_header_ignores_case),
		cmocka_unit_test(chunked_good_bodies),
		cmocka_unit_test(chunked_malformed_bodies),
		cmocka_unit_test(chunked_line_and_trailer_caps),
	};
	return cmocka_run_group_tests_name("http", tests, NULL, NULL);
}
