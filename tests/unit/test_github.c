/*
 * A GitHub App's installation token (src/oauth/github.h): the names the lookup takes, the API
 * paths, the token request's JSON body byte for byte and its refusals naming the option, the
 * installation lookup's answer and the 201 token answer read through the real HTTP reader,
 * GitHub's refusals in its words with code github_<status> and a hint, every other answer a
 * protocol error that never quotes the token, the hints branch by branch, and the members a
 * token adds (also what the cache keeps).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <cJSON.h>

#include "oauth/github.h"

#define API_URL "https://api.github.com"
#define TOKEN "ghs_16C7e42F292c6912E7710c838347Ae178B4a"
#define EXPIRES "2026-12-05T14:09:34Z"
#define EXPIRES_EPOCH 1796479774LL /* date -u -d 2026-12-05T14:09:34Z +%s */
#define DATE_HEADER "Date: Tue, 14 Nov 2023 22:13:20 GMT\r\n" /* 1700000000 */

static char wire[JG_HTTP_ANSWER_MAX];
static char buf[JG_HTTP_ANSWER_MAX];
static jg_http_reader reader;
static jg_token token;
static jg_error err;

static const jg_refusal_context lookup_ctx = {
	.provider = JG_PROVIDER_GITHUB, .instance_url = API_URL,
	.request = "installation lookup for octo-org/app", .local_now = 1700000300,
};
static const jg_refusal_context token_ctx = {
	.provider = JG_PROVIDER_GITHUB, .instance_url = API_URL,
	.request = "token request for installation 42", .local_now = 1700000300,
};

/* ---- helpers ------------------------------------------------------------------------------ */

/* Feed the whole answer in wire[0..len) to the reader, then the close; it must be complete. */
static void read_wire(size_t len)
{
	int complete = 0;
	jg_error e;
	jg_http_reader_init(&reader, buf, sizeof buf);
	assert_int_equal(jg_http_reader_push(&reader, wire, len, &complete, &e), JG_OK);
	if (!complete)
		assert_int_equal(jg_http_reader_eof(&reader, &e), JG_OK);
	assert_true(reader.complete);
}

/* "HTTP/1.1 <status_line>", the header lines (each ending in CR LF), Content-Length, body. */
static void answer(const char *status_line, const char *headers, const char *body)
{
	size_t body_len = strlen(body);
	int n = snprintf(wire, sizeof wire, "HTTP/1.1 %s\r\nContent-Type: application/json; "
		"charset=utf-8\r\n%sContent-Length: %zu\r\n\r\n%s", status_line, headers, body_len, body);
	assert_true(n > 0 && (size_t)n < sizeof wire);
	read_wire((size_t)n);
}

static void reset(void)
{
	memset(&err, 0, sizeof err);
	memset(&token, 0, sizeof token);
}

static jg_status lookup(long long *id)
{
	reset();
	return jg_github_read_installation(&reader, &lookup_ctx, id, &err);
}

static jg_status read_token(void)
{
	reset();
	return jg_github_read_token(&reader, &token_ctx, &token, &err);
}

static void assert_contains(const char *haystack, const char *needle)
{
	if (haystack == NULL || strstr(haystack, needle) == NULL)
		fail_msg("\"%s\" not in \"%s\"", needle, haystack);
}

/* No control character in the message; in the detail none but the line ends. */
static void assert_clean_error(void)
{
	assert_non_null(memchr(err.message, '\0', sizeof err.message));
	assert_non_null(memchr(err.detail, '\0', sizeof err.detail));
	for (const char *p = err.message; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			fail_msg("control character 0x%02x in the message: %s", (unsigned char)*p,
				err.message);
	}
	for (const char *p = err.detail; *p != '\0'; p++) {
		if (((unsigned char)*p < 0x20 && *p != '\n') || *p == 0x7f)
			fail_msg("control character 0x%02x in the detail: %s", (unsigned char)*p, err.detail);
	}
}

/* A protocol error naming `why`, no code, and the token nowhere. */
static void assert_protocol(jg_status st, const char *why)
{
	assert_int_equal(st, JG_ERR_PROTOCOL);
	assert_int_equal(err.status, JG_ERR_PROTOCOL);
	assert_contains(err.message, why);
	assert_string_equal(err.code, "");
	assert_null(strstr(err.message, TOKEN));
	assert_null(strstr(err.detail, TOKEN));
	assert_null(strstr(err.message, "ghs_"));
	assert_clean_error();
}

/* ---- names and paths ---------------------------------------------------------------------- */

static void names(void **state)
{
	(void)state;
	char long_name[128], long_repo[300];
	const char *why = NULL;
	memset(long_name, 'a', 101);
	long_name[101] = '\0';
	(void)snprintf(long_repo, sizeof long_repo, "octo/%s", long_name);

	static const char *const good_repos[] = {
		"octo-org/app", "a/b", "Octo_Org/my.repo-2", "o/.github", "o/..x", "o/a..",
	};
	for (size_t i = 0; i < sizeof good_repos / sizeof good_repos[0]; i++) {
		if (!jg_github_name_ok(JG_GITHUB_BY_REPO, good_repos[i], &why))
			fail_msg("repo %s refused", good_repos[i]);
	}
	static const char *const bad_repos[] = {
		"", "app", "/app", "octo/", "/", "a/b/c", "octo/..", "octo/.", "../app", "./app", "a//b",
		"octo/a b", "octo/a%2fb", "octo/caf\xc3\xa9", "o\xff/a", "octo/a\nb", "octo/a?b",
		"octo/a#b", "octo/a\\b", "octo/a:b",
	};
	for (size_t i = 0; i < sizeof bad_repos / sizeof bad_repos[0]; i++) {
		why = NULL;
		if (jg_github_name_ok(JG_GITHUB_BY_REPO, bad_repos[i], &why))
			fail_msg("repo \"%s\" taken", bad_repos[i]);
		assert_non_null(why);
		assert_contains(why, "--repo takes OWNER/NAME");
	}
	memset(long_name, 'a', 100);
	long_name[100] = '\0';
	(void)snprintf(long_repo, sizeof long_repo, "%s/%s", long_name, long_name);
	assert_true(jg_github_name_ok(JG_GITHUB_BY_REPO, long_repo, &why)); /* 100 a part */
	assert_true(jg_github_name_ok(JG_GITHUB_BY_ORG, long_name, &why));
	long_name[100] = 'a';
	long_name[101] = '\0';
	assert_false(jg_github_name_ok(JG_GITHUB_BY_ORG, long_name, &why));
	assert_false(jg_github_name_ok(JG_GITHUB_BY_USER, long_name, &why));
	(void)snprintf(long_repo, sizeof long_repo, "octo/%s", long_name);
	assert_false(jg_github_name_ok(JG_GITHUB_BY_REPO, long_repo, &why));
	(void)snprintf(long_repo, sizeof long_repo, "%s/app", long_name);
	assert_false(jg_github_name_ok(JG_GITHUB_BY_REPO, long_repo, &why));

	static const char *const good_logins[] = { "octo-org", "a", "Octocat", "x-1-y", "42" };
	for (size_t i = 0; i < sizeof good_logins / sizeof good_logins[0]; i++) {
		assert_true(jg_github_name_ok(JG_GITHUB_BY_ORG, good_logins[i], &why));
		assert_true(jg_github_name_ok(JG_GITHUB_BY_USER, good_logins[i], &why));
	}
	static const char *const bad_logins[] = {
		"", ".", "..", "octo/app", "a/b/c", "/", "a b", "caf\xc3\xa9", "a\tb", "a@b",
	};
	for (size_t i = 0; i < sizeof bad_logins / sizeof bad_logins[0]; i++) {
		why = NULL;
		if (jg_github_name_ok(JG_GITHUB_BY_ORG, bad_logins[i], &why))
			fail_msg("org \"%s\" taken", bad_logins[i]);
		assert_contains(why, "--org takes");
		why = NULL;
		if (jg_github_name_ok(JG_GITHUB_BY_USER, bad_logins[i], &why))
			fail_msg("user \"%s\" taken", bad_logins[i]);
		assert_contains(why, "--installation-user takes");
	}
}

static void paths(void **state)
{
	(void)state;
	char out[300];
	jg_github_lookup_path(JG_GITHUB_BY_REPO, "octo-org/app", out, sizeof out);
	assert_string_equal(out, "/repos/octo-org/app/installation");
	jg_github_lookup_path(JG_GITHUB_BY_ORG, "octo-org", out, sizeof out);
	assert_string_equal(out, "/orgs/octo-org/installation");
	jg_github_lookup_path(JG_GITHUB_BY_USER, "octocat", out, sizeof out);
	assert_string_equal(out, "/users/octocat/installation");
	jg_github_token_path(1, out, sizeof out);
	assert_string_equal(out, "/app/installations/1/access_tokens");
	jg_github_token_path(12345678, out, sizeof out);
	assert_string_equal(out, "/app/installations/12345678/access_tokens");
	jg_github_token_path(9007199254740992LL, out, sizeof out);
	assert_string_equal(out, "/app/installations/9007199254740992/access_tokens");
	/* Cut short, never past cap. */
	memset(out, 'x', sizeof out);
	jg_github_token_path(12345678, out, 10);
	assert_string_equal(out, "/app/inst");
	assert_int_equal(out[10], 'x');
}

/* ---- the token request's body ------------------------------------------------------------- */

static jg_status body(const char *repositories, const char *const *permissions, size_t count,
	char *out, size_t cap, size_t *len)
{
	memset(&err, 0, sizeof err);
	*len = 99;
	return jg_github_token_body(repositories, permissions, count, out, cap, len, &err);
}

static void body_exact_bytes(void **state)
{
	(void)state;
	char out[512];
	size_t len = 0;
	static const char *const perms[] = { "contents=read", "issues=write", "pull_requests=read" };

	assert_int_equal(body(NULL, NULL, 0, out, sizeof out, &len), JG_OK);
	assert_string_equal(out, "{}");
	assert_int_equal(len, 2);

	assert_int_equal(body("app", NULL, 0, out, sizeof out, &len), JG_OK);
	assert_string_equal(out, "{\"repositories\":[\"app\"]}");
	assert_int_equal(len, strlen(out));

	assert_int_equal(body("app,docs,.github,a_b-c.d", NULL, 0, out, sizeof out, &len), JG_OK);
	assert_string_equal(out, "{\"repositories\":[\"app\",\"docs\",\".github\",\"a_b-c.d\"]}");
	assert_int_equal(len, strlen(out));

	assert_int_equal(body(NULL, perms, 1, out, sizeof out, &len), JG_OK);
	assert_string_equal(out, "{\"permissions\":{\"contents\":\"read\"}}");
	assert_int_equal(len, strlen(out));

	assert_int_equal(body(NULL, perms, 3, out, sizeof out, &len), JG_OK);
	assert_string_equal(out, "{\"permissions\":{\"contents\":\"read\",\"issues\":\"write\","
		"\"pull_requests\":\"read\"}}");
	assert_int_equal(len, strlen(out));

	assert_int_equal(body("app,docs", perms, 2, out, sizeof out, &len), JG_OK);
	assert_string_equal(out, "{\"repositories\":[\"app\",\"docs\"],\"permissions\":{\"contents\":"
		"\"read\",\"issues\":\"write\"}}");
	assert_int_equal(len, strlen(out));

	/* A count of 0 ignores the array. */
	assert_int_equal(body("app", perms, 0, out, sizeof out, &len), JG_OK);
	assert_string_equal(out, "{\"repositories\":[\"app\"]}");
}

static void body_refusals(void **state)
{
	(void)state;
	char out[512], long_name[128];
	size_t len = 0;
	memset(long_name, 'r', 101);
	long_name[101] = '\0';

	const char *const bad_repos[] = {
		"", ",", "a,", ",a", "a,,b", "..", ".", "app,..", "octo/app", "a b", "caf\xc3\xa9",
		"a\"b", "a\\b", "a\nb", long_name,
	};
	for (size_t i = 0; i < sizeof bad_repos / sizeof bad_repos[0]; i++) {
		if (body(bad_repos[i], NULL, 0, out, sizeof out, &len) != JG_ERR_USAGE)
			fail_msg("--repositories \"%s\" taken", bad_repos[i]);
		assert_int_equal(err.status, JG_ERR_USAGE);
		assert_contains(err.message, "--repositories takes");
		assert_int_equal(len, 0);
	}
	assert_int_equal(body("app,docs,app", NULL, 0, out, sizeof out, &len), JG_ERR_USAGE);
	assert_string_equal(err.message, "--repositories names app twice");
	assert_int_equal(body("a,b,c,b", NULL, 0, out, sizeof out, &len), JG_ERR_USAGE);
	assert_string_equal(err.message, "--repositories names b twice");
	assert_int_equal(body("app,app2,ap", NULL, 0, out, sizeof out, &len), JG_OK); /* prefixes */

	static const char *const bad_perms[] = {
		"contents", "contents=", "=read", "contents=admin", "contents=Read", "Contents=read",
		"contents=read ", " contents=read", "pull-requests=read", "contents:read", "contents==read",
		"c0ntents=read", "",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=read", /* 65 */
	};
	for (size_t i = 0; i < sizeof bad_perms / sizeof bad_perms[0]; i++) {
		const char *const one[] = { bad_perms[i] };
		if (body(NULL, one, 1, out, sizeof out, &len) != JG_ERR_USAGE)
			fail_msg("--permission \"%s\" taken", bad_perms[i]);
		assert_contains(err.message, "--permission takes NAME=read or NAME=write");
		assert_int_equal(len, 0);
	}
	const char *const sixty_four[] = {
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=read",
	};
	assert_int_equal(body(NULL, sixty_four, 1, out, sizeof out, &len), JG_OK);

	static const char *const twice[] = { "contents=read", "issues=read", "contents=write" };
	assert_int_equal(body(NULL, twice, 3, out, sizeof out, &len), JG_ERR_USAGE);
	assert_string_equal(err.message, "--permission gives contents twice");
	static const char *const same[] = { "issues=read", "issues=read" };
	assert_int_equal(body("app", same, 2, out, sizeof out, &len), JG_ERR_USAGE);
	assert_string_equal(err.message, "--permission gives issues twice");
	static const char *const prefix[] = { "content=read", "contents=read" };
	assert_int_equal(body(NULL, prefix, 2, out, sizeof out, &len), JG_OK);

	/* A malformed repository is reported before the permissions are looked at. */
	static const char *const bad_after[] = { "bogus" };
	assert_int_equal(body("a,,b", bad_after, 1, out, sizeof out, &len), JG_ERR_USAGE);
	assert_contains(err.message, "--repositories");
}

static void body_must_fit(void **state)
{
	(void)state;
	char out[128];
	size_t len = 0, exact = 0;
	static const char *const perms[] = { "contents=read" };
	const char *expected = "{\"repositories\":[\"app\",\"docs\"],\"permissions\":{\"contents\":"
		"\"read\"}}";
	assert_int_equal(body("app,docs", perms, 1, out, sizeof out, &len), JG_OK);
	assert_string_equal(out, expected);
	exact = len;
	assert_int_equal(exact, strlen(expected));

	assert_int_equal(body("app,docs", perms, 1, out, exact + 1, &len), JG_OK); /* the NUL */
	assert_int_equal(len, exact);
	assert_int_equal(body("app,docs", perms, 1, out, exact, &len), JG_ERR_USAGE);
	assert_int_equal(len, 0);
	assert_contains(err.message, "--repositories and --permission make a request body over");
	assert_int_equal(body(NULL, NULL, 0, out, 2, &len), JG_ERR_USAGE);
	assert_int_equal(len, 0);
	assert_int_equal(body(NULL, NULL, 0, out, 3, &len), JG_OK);
	assert_string_equal(out, "{}");

	/* Many repositories: each fine, together too long for the caller's buffer. */
	static char many[8192], big[4096];
	size_t o = 0;
	for (int i = 0; i < 500; i++)
		o += (size_t)snprintf(many + o, sizeof many - o, "%srepo-%d", i ? "," : "", i);
	assert_int_equal(body(many, NULL, 0, big, sizeof big, &len), JG_ERR_USAGE);
	assert_int_equal(len, 0);
	assert_contains(err.message, "over 4096 bytes");
}

/* ---- the installation lookup's answer ----------------------------------------------------- */

static void installation_id(void **state)
{
	(void)state;
	long long id = 0;
	answer("200 OK", "", "{\"id\":1,\"account\":{\"login\":\"octo-org\",\"id\":2},"
		"\"repository_selection\":\"all\",\"app_id\":3}");
	assert_int_equal(lookup(&id), JG_OK);
	assert_int_equal(id, 1);

	answer("200 OK", DATE_HEADER, "{\"app_id\":3,\"id\":12345678}");
	assert_int_equal(lookup(&id), JG_OK);
	assert_int_equal(id, 12345678);

	answer("200 OK", "", "{\"id\":9007199254740991}"); /* 2^53 - 1 */
	assert_int_equal(lookup(&id), JG_OK);
	assert_int_equal(id, 9007199254740991LL);
	/* 2^53 and 2^53 + 1 (which a double reads as 2^53): not an id known exactly */
	answer("200 OK", "", "{\"id\":9007199254740992}");
	assert_int_equal(lookup(&id), JG_ERR_PROTOCOL);
	answer("200 OK", "", "{\"id\":9007199254740993}");
	assert_int_equal(lookup(&id), JG_ERR_PROTOCOL);

	answer("200 OK", "", "{\"id\":1.2345678e7}"); /* a whole number written so */
	assert_int_equal(lookup(&id), JG_OK);
	assert_int_equal(id, 12345678);

	/* Chunked, as GitHub sends it. */
	const char chunked[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
		"4\r\n{\"id\r\n5\r\n\":77}\r\n0\r\n\r\n";
	memcpy(wire, chunked, sizeof chunked);
	read_wire(sizeof chunked - 1);
	assert_int_equal(lookup(&id), JG_OK);
	assert_int_equal(id, 77);
}

static void installation_id_malformed(void **state)
{
	(void)state;
	static const char *const bodies[] = {
		"{}", "{\"id\":0}", "{\"id\":-1}", "{\"id\":1.5}", "{\"id\":9007199254740994}", "{\"id\":1e300}", "{\"id\":\"12\"}", "{\"id\":null}",
		"{\"id\":true}", "{\"ID\":12}", "{\"account\":{\"id\":12}}", "{\"id\":[12]}",
	};
	for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		long long id = 5;
		answer("200 OK", "", bodies[i]);
		jg_status st = lookup(&id);
		if (st != JG_ERR_PROTOCOL)
			fail_msg("%s gave status %d", bodies[i], st);
		assert_protocol(st, "no installation id (a whole number)");
		assert_contains(err.message, "HTTP 200");
	}
	/* Not an object, not JSON, empty. */
	static const char *const others[] = { "[{\"id\":1}]", "12", "<html>ok</html>", "" };
	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
		long long id = 0;
		answer("200 OK", "", others[i]);
		assert_protocol(lookup(&id), "the body is not a JSON object");
	}
}

static void installation_not_found(void **state)
{
	(void)state;
	long long id = 0;
	answer("404 Not Found", DATE_HEADER, "{\"message\":\"Not Found\",\"documentation_url\":"
		"\"https://docs.github.com/rest/apps/apps#get-a-repository-installation-for-the-"
		"authenticated-app\",\"status\":\"404\"}");
	assert_int_equal(lookup(&id), JG_ERR_REFUSED);
	assert_int_equal(err.status, JG_ERR_REFUSED);
	assert_string_equal(err.code, "github_404");
	assert_string_equal(err.message, "GitHub refused the installation lookup for octo-org/app "
		"(HTTP 404): Not Found");
	assert_contains(err.detail, "message: Not Found\n");
	assert_contains(err.detail, "documentation: https://docs.github.com/rest/apps/apps#get-a-"
		"repository-installation-for-the-authenticated-app\n");
	assert_contains(err.detail, "API URL: " API_URL "\n");
	assert_contains(err.detail, "hint: the App is not installed there");
	assert_null(strstr(err.detail, "local clock"));
	assert_int_equal(err.detail[strlen(err.detail) - 1], '\n');
	assert_clean_error();

	/* Without documentation_url: no such line. */
	answer("404 Not Found", "", "{\"message\":\"Not Found\"}");
	assert_int_equal(lookup(&id), JG_ERR_REFUSED);
	assert_string_equal(err.detail, "message: Not Found\nAPI URL: " API_URL "\nhint: "
		"the App is not installed there, or the name is misspelled: install it (the App's page "
		"> Install App) with access to the repository\n");

	/* GitHub's words with control characters reach the terminal escaped. */
	answer("404 Not Found", "", "{\"message\":\"Not\\u001b[31m Found\\nforged: line\","
		"\"documentation_url\":\"\\u0007x\"}");
	assert_int_equal(lookup(&id), JG_ERR_REFUSED);
	assert_contains(err.message, "Not\\x1b[31m Found\\x0aforged: line");
	assert_contains(err.detail, "documentation: \\x07x\n");
	assert_clean_error();

	/* A 4xx without GitHub's message: a protocol error. */
	answer("404 Not Found", "", "{\"error\":\"not_found\"}");
	assert_protocol(lookup(&id), "an error answer without GitHub's \"message\"");
	answer("404 Not Found", "", "{\"message\":404}");
	assert_protocol(lookup(&id), "an error answer without GitHub's \"message\"");
	answer("404 Not Found", "", "<html>Not Found</html>");
	assert_protocol(lookup(&id), "the body is not a JSON object");
}

static void installation_other_answers(void **state)
{
	(void)state;
	long long id = 0;
	answer("503 Service Unavailable", "", "{\"message\":\"Service Unavailable\"}");
	assert_protocol(lookup(&id), "the server is failing or rate-limiting");
	assert_contains(err.message, "HTTP 503");
	answer("429 Too Many Requests", "", "{\"message\":\"slow down\"}");
	assert_protocol(lookup(&id), "the server is failing or rate-limiting");
	answer("201 Created", "", "{\"id\":1}");
	assert_protocol(lookup(&id), "not an answer GitHub gives");
	answer("204 No Content", "", "");
	assert_protocol(lookup(&id), "not an answer GitHub gives");

	/* A redirect is never followed: the fix names --api-url. */
	answer("301 Moved Permanently", "Location: https://api.github.example/repos/o/a/installation"
		"\r\n", "");
	assert_protocol(lookup(&id), "a redirect to \"https://api.github.example/repos/o/a/"
		"installation\"");
	assert_contains(err.message, "check --api-url");
	answer("307 Temporary Redirect", "", "");
	assert_protocol(lookup(&id), "check --api-url");
	assert_contains(err.message, "without a Location");
	answer("302 Found", "Location: /x\xc2\x9b" "2J\r\n", "");
	assert_protocol(lookup(&id), "a redirect to \"/x\\xc2\\x9b" "2J\"");

	/* An encoding nobody asked for. */
	answer("200 OK", "Content-Encoding: gzip\r\n", "{\"id\":1}");
	assert_protocol(lookup(&id), "Content-Encoding \"gzip\"");

	/* Control characters and invalid UTF-8 in the body: not JSON text. */
	answer("200 OK", "", "{\"id\":1,\"x\":\"a\x01" "b\"}");
	assert_protocol(lookup(&id), "control characters or invalid UTF-8");
	answer("200 OK", "", "{\"id\":1,\"x\":\"\x1b[31m\"}");
	assert_protocol(lookup(&id), "control characters or invalid UTF-8");
	answer("200 OK", "", "{\"id\":1,\"x\":\"\\u0000\"}");
	assert_protocol(lookup(&id), "control characters or invalid UTF-8");
	answer("200 OK", "", "{\"id\":1,\"x\":\"\xff\"}");
	assert_protocol(lookup(&id), "control characters or invalid UTF-8");
	answer("404 Not Found", "", "{\"message\":\"Not\x01 Found\"}");
	assert_protocol(lookup(&id), "control characters or invalid UTF-8");
}

/* ---- the token answer --------------------------------------------------------------------- */

static const char full_token[] =
	"{\"token\":\"" TOKEN "\",\"expires_at\":\"" EXPIRES "\",\"permissions\":{\"contents\":"
	"\"read\",\"metadata\":\"read\",\"issues\":\"write\"},\"repository_selection\":\"selected\","
	"\"repositories\":[{\"id\":1296269,\"name\":\"Hello-World\"}]}";

static void token_answer(void **state)
{
	(void)state;
	answer("201 Created", DATE_HEADER, full_token);
	assert_int_equal(read_token(), JG_OK);
	assert_string_equal(token.access_token, TOKEN);
	assert_int_equal(token.expires_at, EXPIRES_EPOCH);
	assert_string_equal(token.permissions,
		"{\"contents\":\"read\",\"metadata\":\"read\",\"issues\":\"write\"}");
	assert_string_equal(token.repository_selection, "selected");
	assert_int_equal(token.installation_id, 0);

	/* The least: token and expires_at; a token of any length or prefix. */
	answer("201 Created", "", "{\"expires_at\":\"1970-01-01T00:00:01Z\",\"token\":\"x\"}");
	assert_int_equal(read_token(), JG_OK);
	assert_string_equal(token.access_token, "x");
	assert_int_equal(token.expires_at, 1);
	assert_string_equal(token.permissions, "");
	assert_string_equal(token.repository_selection, "");

	/* Chunked, split inside the token. */
	const char chunked[] = "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"
		"c\r\n{\"token\":\"gh\r\n"
		"29\r\ns_new-format.v2\",\"expires_at\":\"2028-02-29\r\n"
		"c\r\nT23:59:59Z\"}\r\n0\r\n\r\n";
	memcpy(wire, chunked, sizeof chunked);
	read_wire(sizeof chunked - 1);
	assert_int_equal(read_token(), JG_OK);
	assert_string_equal(token.access_token, "ghs_new-format.v2");
	assert_int_equal(token.expires_at, 1835481599LL);
}

/* full_token with its first `from` replaced by `to`, answered with the status line. */
static void token_variant(const char *status_line, const char *from, const char *to)
{
	static char text[4096];
	const char *at = strstr(full_token, from);
	assert_non_null(at);
	int n = snprintf(text, sizeof text, "%.*s%s%s", (int)(at - full_token), full_token, to,
		at + strlen(from));
	assert_true(n > 0 && (size_t)n < sizeof text);
	answer(status_line, "", text);
}

static void token_malformed(void **state)
{
	(void)state;
	static const struct {
		const char *from, *to, *why;
	} cases[] = {
		{ .from = "\"token\":\"" TOKEN "\",", .to = "", .why = "no token string" },
		{ .from = "\"" TOKEN "\"", .to = "42", .why = "no token string" },
		{ .from = "\"" TOKEN "\"", .to = "null", .why = "no token string" },
		{ .from = "\"" TOKEN "\"", .to = "[\"" TOKEN "\"]", .why = "no token string" },
		{ .from = "\"" TOKEN "\"", .to = "\"\"", .why = "no token string" },
		{ .from = "\"" TOKEN "\"", .to = "\"" TOKEN " x\"", .why = "no token string" },
		{ .from = "\"" TOKEN "\"", .to = "\"" TOKEN "\\t\"", .why = "no token string" },
		{ .from = "\"" TOKEN "\"", .to = "\"" TOKEN "\\u00e9\"", .why = "no token string" },
		{ .from = "\"" TOKEN "\"", .to = "\"" TOKEN "\\u007f\"", .why = "no token string" },
		{ .from = "\"expires_at\":", .to = "\"expires\":", .why = "expires_at is not a time" },
		{ .from = "\"" EXPIRES "\"", .to = "1796479774", .why = "expires_at is not a time" },
		{ .from = EXPIRES, .to = "2026-12-05 14:09:34Z", .why = "expires_at is not a time" },
		{ .from = EXPIRES, .to = "2026-12-05T14:09:34+00:00", .why = "expires_at is not a time" },
		{ .from = EXPIRES, .to = "2026-12-05T14:09:34.000Z", .why = "expires_at is not a time" },
		{ .from = EXPIRES, .to = "2026-12-05T14:09:34", .why = "expires_at is not a time" },
		{ .from = EXPIRES, .to = "2026-13-05T14:09:34Z", .why = "expires_at is not a time" },
		{ .from = EXPIRES, .to = "2026-00-05T14:09:34Z", .why = "expires_at is not a time" },
		{ .from = EXPIRES, .to = "2026-12-32T14:09:34Z", .why = "expires_at is not a time" },
		{ .from = EXPIRES, .to = "2026-12-05T24:09:34Z", .why = "expires_at is not a time" },
		{ .from = EXPIRES, .to = "2026-12-05t14:09:34z", .why = "expires_at is not a time" },
		{ .from = EXPIRES, .to = "", .why = "expires_at is not a time" },
		{ .from = "{\"contents\"", .to = "{\"con tents\"", .why = "permissions or repository" },
		{ .from = "\"permissions\":{", .to = "\"permissions\":{\"a\":1,",
		  .why = "permissions or repository" },
		{ .from = "\"permissions\":{\"contents\":\"read\",\"metadata\":\"read\",\"issues\":"
		  "\"write\"}", .to = "\"permissions\":[\"contents\"]", .why = "permissions or repository" },
		{ .from = "\"selected\"", .to = "true", .why = "permissions or repository" },
		{ .from = "\"selected\"", .to = "\"\"", .why = "permissions or repository" },
		{ .from = "\"selected\"", .to = "\"0123456789012345678901234567890123\"",
		  .why = "permissions or repository" },
		{ .from = "\"repository_selection\"", .to = "\"installation_id\":0,\"repository_selection\"",
		  .why = "permissions or repository" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		token_variant("201 Created", cases[i].from, cases[i].to);
		jg_status st = read_token();
		if (st != JG_ERR_PROTOCOL || strstr(err.message, TOKEN) != NULL)
			fail_msg("case %zu (%s): status %d: %s", i, cases[i].to, st, err.message);
		assert_protocol(st, cases[i].why);
		if (strstr(cases[i].from, TOKEN) == NULL)
			assert_contains(err.message, "(not shown: it holds an access_token)");
		assert_string_equal(token.access_token, ""); /* wiped */
		assert_int_equal(token.expires_at, 0);
	}
}

/* A 200 where a 201 is expected, and other statuses: protocol errors that never quote it. */
static void token_unexpected_statuses(void **state)
{
	(void)state;
	answer("200 OK", "", full_token);
	assert_protocol(read_token(), "not an answer GitHub gives");
	assert_contains(err.message, "HTTP 200");
	answer("202 Accepted", "", full_token);
	assert_protocol(read_token(), "not an answer GitHub gives");
	answer("500 Internal Server Error", "", full_token);
	assert_protocol(read_token(), "the server is failing or rate-limiting");
	answer("308 Permanent Redirect", "Location: https://evil.example/\r\n", full_token);
	assert_protocol(read_token(), "--api-url");
	/* Not JSON text, with the token raw in it: it must not be quoted. */
	token_variant("201 Created", "\"selected\"", "\"sel\x01" "ected\"");
	assert_protocol(read_token(), "control characters or invalid UTF-8");
}

static void token_refused_clock(void **state)
{
	(void)state;
	/* GitHub's clock message: the local clock against its Date, and the clock hint. */
	answer("401 Unauthorized", DATE_HEADER, "{\"message\":\"'Expiration time' claim ('exp') is "
		"too far in the future\",\"documentation_url\":\"https://docs.github.com/rest\","
		"\"status\":\"401\"}");
	assert_int_equal(read_token(), JG_ERR_REFUSED);
	assert_string_equal(err.code, "github_401");
	assert_string_equal(err.message, "GitHub refused the token request for installation 42 "
		"(HTTP 401): 'Expiration time' claim ('exp') is too far in the future");
	assert_contains(err.detail, "message: 'Expiration time' claim ('exp') is too far in the "
		"future\n");
	assert_contains(err.detail, "local clock: 2023-11-14T22:18:20Z, server Date: Tue, 14 Nov "
		"2023 22:13:20 GMT (local clock ahead by 300 s)\n");
	assert_contains(err.detail, "hint: GitHub takes the JWT only between its iat and exp");
	assert_contains(err.detail, "sync the local clock (NTP)\n");
	assert_clean_error();

	answer("401 Unauthorized", "", "{\"message\":\"'Issued at' claim ('iat') must be an Integer "
		"representing the time that the assertion was issued\"}");
	assert_int_equal(read_token(), JG_ERR_REFUSED);
	assert_contains(err.detail, "local clock: 2023-11-14T22:18:20Z (the answer had no Date "
		"header)\n");
	assert_contains(err.detail, "sync the local clock (NTP)");
}

/* GitHub's other refusals of the token request, each with its hint. */
static void token_refusals(void **state)
{
	(void)state;
	answer("401 Unauthorized", DATE_HEADER, "{\"message\":\"A JSON web token could not be "
		"decoded\",\"documentation_url\":\"https://docs.github.com/rest\"}");
	assert_int_equal(read_token(), JG_ERR_REFUSED);
	assert_string_equal(err.code, "github_401");
	assert_contains(err.message, "(HTTP 401): A JSON web token could not be decoded");
	assert_contains(err.detail, "hint: the JWT does not verify with the App's key");
	assert_null(strstr(err.detail, "local clock"));

	answer("401 Unauthorized", "", "{\"message\":\"Bad credentials\"}");
	assert_int_equal(read_token(), JG_ERR_REFUSED);
	assert_contains(err.detail, "hint: check --client-id or --app-id");

	answer("422 Unprocessable Entity", "", "{\"message\":\"There is at least one repository "
		"that does not exist or is not accessible to the parent installation.\","
		"\"documentation_url\":\"https://docs.github.com/rest/apps/apps#create-an-installation-"
		"access-token-for-an-app\",\"status\":\"422\"}");
	assert_int_equal(read_token(), JG_ERR_REFUSED);
	assert_string_equal(err.code, "github_422");
	assert_contains(err.message, "There is at least one repository that does not exist");
	assert_contains(err.detail, "hint: the installation cannot grant this");
	assert_clean_error();

	answer("403 Forbidden", "", "{\"message\":\"This installation has been suspended\","
		"\"documentation_url\":\"https://docs.github.com/rest\"}");
	assert_int_equal(read_token(), JG_ERR_REFUSED);
	assert_string_equal(err.code, "github_403");
	assert_contains(err.message, "This installation has been suspended");
	assert_contains(err.detail, "hint: the App or this installation is suspended");

	answer("404 Not Found", "", "{\"message\":\"Not Found\"}");
	assert_int_equal(read_token(), JG_ERR_REFUSED);
	assert_contains(err.detail, "hint: no installation with that id for this App");

	/* A 4xx with no known hint: the words, no hint line. */
	answer("409 Conflict", "", "{\"message\":\"Conflict\"}");
	assert_int_equal(read_token(), JG_ERR_REFUSED);
	assert_string_equal(err.code, "github_409");
	assert_string_equal(err.detail, "message: Conflict\nAPI URL: " API_URL "\n");

	/* A refusal that names a token member is not quoted either. */
	answer("422 Unprocessable Entity", "", "{\"message\":\"no\",\"token\":\"" TOKEN "\"}");
	assert_int_equal(read_token(), JG_ERR_REFUSED);
	assert_null(strstr(err.message, TOKEN));
	assert_null(strstr(err.detail, TOKEN));
}

/* ---- hints and extras --------------------------------------------------------------------- */

static void hints(void **state)
{
	(void)state;
	static const struct {
		const char *message;
		const char *hint; /* part of it; NULL: none */
		int status;
		int lookup;
	} cases[] = {
		{ .status = 401, .message = "'Expiration time' claim ('exp') is too far in the future",
		  .hint = "sync the local clock (NTP)" },
		{ .status = 401, .message = "'Issued at' claim ('iat') must be an Integer",
		  .lookup = 1, .hint = "sync the local clock (NTP)" },
		{ .status = 401, .message = "A JSON web token could not be decoded",
		  .hint = "does not verify with the App's key" },
		{ .status = 401, .message = "Bad credentials", .hint = "check --client-id or --app-id" },
		{ .status = 401, .message = "", .hint = "check --client-id or --app-id" },
		{ .status = 403, .message = "API rate limit exceeded for installation ID 1.",
		  .hint = "wait for the limit to reset" },
		{ .status = 403, .message = "This installation has been suspended",
		  .hint = "suspended" },
		{ .status = 403, .message = "claim ('exp')", .hint = "suspended" },
		{ .status = 404, .message = "Not Found", .lookup = 1, .hint = "not installed there" },
		{ .status = 404, .message = "Not Found", .hint = "no installation with that id" },
		{ .status = 422, .message = "anything", .hint = "the installation cannot grant this" },
		{ .status = 400, .message = "Problems parsing JSON", .hint = NULL },
		{ .status = 409, .message = "Conflict", .hint = NULL },
		{ .status = 500, .message = "Server Error", .hint = NULL },
		{ .status = 200, .message = "", .hint = NULL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *h = jg_github_hint(cases[i].status, cases[i].message, cases[i].lookup);
		if (cases[i].hint == NULL) {
			if (h != NULL)
				fail_msg("case %zu: unexpected hint %s", i, h);
			continue;
		}
		if (h == NULL)
			fail_msg("case %zu: no hint", i);
		assert_contains(h, cases[i].hint);
	}
}

/* What the fuzzer found (fuzz/corpus/github/crash-*): a token under an escaped or NUL-padded
 * name is never quoted, whatever the status; a Date header is shown terminal-safe (a raw
 * Content-Type is crash-C-content-type-raw's). */
static void fuzz_findings(void **state)
{
	(void)state;
	answer("200 OK", "", "{\"to\\u006ben\":\"" TOKEN "\",\"expires_at\":\"2026-12-05T14:09:34Z\"}");
	assert_protocol(read_token(), "not an answer GitHub gives");
	answer("200 OK", "", "[{\"to\\u006ben\":\"" TOKEN "\"}]");
	assert_protocol(read_token(), "not an answer GitHub gives");
	answer("201 Created", "", "[]");
	assert_protocol(read_token(), "not a JSON object");
	answer("401 Unauthorized", "Date: Tue,\t14 \xc2\x9b" "2J\r\n",
		"{\"message\":\"'Expiration time' claim ('exp') is too far in the future\"}");
	assert_int_equal(read_token(), JG_ERR_REFUSED);
	assert_contains(err.detail, "server Date: Tue,\\x0914 \\xc2\\x9b2J");
	assert_clean_error();
	answer("201 Created", "", "{\"token\":\"" TOKEN "\",\"expires_at\":\"1969-12-31T23:59:59Z\"}");
	assert_protocol(read_token(), "expires_at");
}

static int extras_of(const char *text)
{
	cJSON *json = cJSON_Parse(text);
	assert_non_null(json);
	memset(&token, 0x55, sizeof token);
	int r = jg_github_token_extras(json, &token);
	cJSON_Delete(json);
	return r;
}

static void extras(void **state)
{
	(void)state;
	assert_int_equal(extras_of("{\"permissions\":{\"contents\":\"read\",\"pull_requests\":"
		"\"write\"},\"repository_selection\":\"all\",\"installation_id\":42}"), 0);
	assert_string_equal(token.permissions, "{\"contents\":\"read\",\"pull_requests\":\"write\"}");
	assert_string_equal(token.repository_selection, "all");
	assert_int_equal(token.installation_id, 42);

	assert_int_equal(extras_of("{}"), 0);
	assert_string_equal(token.permissions, "");
	assert_string_equal(token.repository_selection, "");
	assert_int_equal(token.installation_id, 0);

	assert_int_equal(extras_of("{\"permissions\":{}}"), 0);
	assert_string_equal(token.permissions, "{}");
	/* Printable values are kept as JSON writes them. */
	assert_int_equal(extras_of("{\"permissions\":{\"a\\\"b\":\"x\\\\y\"}}"), 0);
	assert_string_equal(token.permissions, "{\"a\\\"b\":\"x\\\\y\"}");
	assert_int_equal(extras_of("{\"installation_id\":9007199254740991}"), 0);
	assert_int_equal(token.installation_id, 9007199254740991LL);
	assert_int_equal(extras_of("{\"installation_id\":9007199254740992}"), -1);

	static const char *const bad[] = {
		"{\"permissions\":[]}", "{\"permissions\":\"contents\"}", "{\"permissions\":null}",
		"{\"permissions\":{\"contents\":1}}", "{\"permissions\":{\"contents\":\"\"}}",
		"{\"permissions\":{\"contents\":\"re ad\"}}", "{\"permissions\":{\"\":\"read\"}}",
		"{\"permissions\":{\"contents\":\"r\\u00e9ad\"}}",
		"{\"permissions\":{\"contents\":{\"x\":\"y\"}}}",
		"{\"permissions\":{\"contents\":\"read\\n\"}}",
		"{\"repository_selection\":1}", "{\"repository_selection\":\"\"}",
		"{\"repository_selection\":\"a b\"}", "{\"repository_selection\":null}",
		"{\"installation_id\":0}", "{\"installation_id\":-3}", "{\"installation_id\":1.5}",
		"{\"installation_id\":\"42\"}", "{\"installation_id\":9007199254740994}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (extras_of(bad[i]) != -1)
			fail_msg("%s taken", bad[i]);
	}
	/* 31 bytes fit the selection's array, 32 do not. */
	assert_int_equal(extras_of("{\"repository_selection\":\"0123456789012345678901234567890\"}"), 0);
	assert_string_equal(token.repository_selection, "0123456789012345678901234567890");
	assert_int_equal(extras_of("{\"repository_selection\":\"01234567890123456789012345678901\"}"), -1);
	/* Too many permissions to write in the token's array. */
	static char many[8192];
	size_t o = (size_t)snprintf(many, sizeof many, "{\"permissions\":{");
	for (int i = 0; i < 60; i++)
		o += (size_t)snprintf(many + o, sizeof many - o, "%s\"permission_%02d\":\"write\"",
			i ? "," : "", i);
	(void)snprintf(many + o, sizeof many - o, "}}");
	assert_int_equal(extras_of(many), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names),
		cmocka_unit_test(paths),
		cmocka_unit_test(body_exact_bytes),
		cmocka_unit_test(body_refusals),
		cmocka_unit_test(body_must_fit),
		cmocka_unit_test(installation_id),
		cmocka_unit_test(installation_id_malformed),
		cmocka_unit_test(installation_not_found),
		cmocka_unit_test(installation_other_answers),
		cmocka_unit_test(token_answer),
		cmocka_unit_test(token_malformed),
		cmocka_unit_test(token_unexpected_statuses),
		cmocka_unit_test(token_refused_clock),
		cmocka_unit_test(token_refusals),
		cmocka_unit_test(hints),
		cmocka_unit_test(fuzz_findings),
		cmocka_unit_test(extras),
	};
	return cmocka_run_group_tests_name("github", tests, NULL, NULL);
}
