/*
 * The GitHub API's answers (src/oauth/github.h): a whole HTTP answer, fed through the real
 * reader as fuzz_http.c feeds it (the split control of fuzz_util.h first; flag bit 0 a small
 * buffer, flag bit 1 no final close), then, once complete, read as the installation lookup's
 * answer (jg_github_read_installation) and as the token request's (jg_github_read_token); the
 * body, parsed by cJSON, also goes through jg_github_token_extras, as the token cache's entry
 * does.
 *
 * Checked: a lookup gives an id from 1 to 2^53 only on a 200; a token only on a 201, non-empty
 * visible ASCII (no space), the body's own "token", an expires_at after 1970, its permissions
 * compact JSON or "" and its selection visible ASCII; any failure is JG_ERR_PROTOCOL, or
 * JG_ERR_REFUSED for a 4xx (not 429) with code github_<status>, GitHub's words and the API URL
 * in the detail; every message, detail and code ends within its array, holds no control
 * character (C0, DEL, C1), but for the detail's line ends, and never the body's token.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cJSON.h>

#include "fuzz_util.h"
#include "net/http.h"
#include "oauth/github.h"

#define API_URL "https://api.github.com"

static const jg_refusal_context lookup_ctx = {
	.provider = JG_PROVIDER_GITHUB, .instance_url = API_URL,
	.request = "installation lookup for octo-org/app", .local_now = 1700000000,
};
static const jg_refusal_context token_ctx = {
	.provider = JG_PROVIDER_GITHUB, .instance_url = API_URL,
	.request = "token request for installation 42", .local_now = 1700000000,
};

/* Whether s holds a control character: C0 (but '\n' when lines are allowed), DEL, or C1
 * (UTF-8 C2 80 to C2 9F), which a terminal obeys too. */
static int has_control(const char *s, int lines)
{
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p < 0x20 && !(lines && *p == '\n')) || *p == 0x7f ||
			(p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
			return 1;
	}
	return 0;
}

/* Every byte in [low, 0x7e]. */
static int ascii_from(const char *s, char low)
{
	for (; *s != '\0'; s++) {
		if (*s < low || *s > 0x7e)
			return 0;
	}
	return 1;
}

/* The body's top-level "token" string as cJSON decodes it, when it is long enough that finding
 * it in a message cannot be chance, and it is neither part of the fixed context strings nor in
 * the head (whose Content-Type and Location a message may quote); else NULL. */
static char *body_token(const cJSON *json, const char *head, size_t head_len)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(json, "token");
	if (!cJSON_IsString(t) || strlen(t->valuestring) < 20 ||
		memmem(head, head_len, t->valuestring, strlen(t->valuestring)) != NULL ||
		strstr(API_URL, t->valuestring) != NULL ||
		strstr(lookup_ctx.request, t->valuestring) != NULL ||
		strstr(token_ctx.request, t->valuestring) != NULL)
		return NULL;
	return fuzz_strdup(t->valuestring, strlen(t->valuestring));
}

/* A failure: its status and code as documented, its text safe for a terminal, no token. */
static void check_error(jg_status st, const jg_error *err, int http_status, int expected,
	const char *secret)
{
	char code[32];
	FUZZ_CHECK(err->status == st);
	FUZZ_CHECK(fuzz_terminated(err->message, sizeof err->message));
	FUZZ_CHECK(fuzz_terminated(err->detail, sizeof err->detail));
	FUZZ_CHECK(fuzz_terminated(err->code, sizeof err->code));
	FUZZ_CHECK(err->message[0] != '\0');
	FUZZ_CHECK(!has_control(err->message, 0) && !has_control(err->detail, 1));
	FUZZ_CHECK(!has_control(err->code, 0));
	if (st == JG_ERR_REFUSED) {
		FUZZ_CHECK(http_status >= 400 && http_status <= 499 && http_status != 429 &&
			http_status != expected);
		(void)snprintf(code, sizeof code, "github_%d", http_status);
		FUZZ_CHECK(strcmp(err->code, code) == 0);
		FUZZ_CHECK(strncmp(err->detail, "message: ", 9) == 0);
		FUZZ_CHECK(strstr(err->detail, "\nAPI URL: " API_URL "\n") != NULL);
	} else {
		FUZZ_CHECK(st == JG_ERR_PROTOCOL);
		FUZZ_CHECK(err->code[0] == '\0' && err->detail[0] == '\0');
	}
	if (secret != NULL) {
		/* A protocol error quotes the body last, after "it begins": a token that happens to
		 * spell our own words (the fuzzer made one "2026-12-05T14:09:34Z", the example in
		 * the expires_at message) is not a leak before that. The last "it begins" is the
		 * body's: the fuzzer also wrote those words into the Content-Type, quoted earlier. */
		const char *quoted = NULL;
		for (const char *p = err->message; (p = strstr(p, "it begins \"")) != NULL; p++)
			quoted = p;
		FUZZ_CHECK(strstr(st == JG_ERR_PROTOCOL && quoted != NULL ? quoted : err->message,
			secret) == NULL);
		FUZZ_CHECK(strstr(err->detail, secret) == NULL);
	}
}

/* The members a token adds, as jg_github_token_extras leaves them when it took them. */
static void check_extras(const jg_token *t)
{
	size_t n = strlen(t->permissions);
	FUZZ_CHECK(fuzz_terminated(t->permissions, sizeof t->permissions));
	FUZZ_CHECK(fuzz_terminated(t->repository_selection, sizeof t->repository_selection));
	FUZZ_CHECK(n == 0 || (t->permissions[0] == '{' && t->permissions[n - 1] == '}'));
	FUZZ_CHECK(ascii_from(t->permissions, 0x21));
	FUZZ_CHECK(ascii_from(t->repository_selection, 0x21));
	FUZZ_CHECK(t->installation_id >= 0 && t->installation_id <= 9007199254740992LL);
}

static void read_installation(const jg_http_reader *r, const char *secret)
{
	jg_error err;
	long long id = 0;
	memset(&err, 0, sizeof err);
	jg_status st = jg_github_read_installation(r, &lookup_ctx, &id, &err);
	if (st == JG_OK) {
		FUZZ_CHECK(r->status == 200);
		FUZZ_CHECK(id >= 1 && id <= 9007199254740992LL);
		return;
	}
	check_error(st, &err, r->status, 200, secret);
}

static void read_token(const jg_http_reader *r, const cJSON *json, const char *secret)
{
	static jg_token t;
	jg_error err;
	memset(&err, 0, sizeof err);
	memset(&t, 0, sizeof t);
	jg_status st = jg_github_read_token(r, &token_ctx, &t, &err);
	if (st == JG_OK) {
		const cJSON *token = cJSON_GetObjectItemCaseSensitive(json, "token");
		FUZZ_CHECK(r->status == 201);
		FUZZ_CHECK(fuzz_terminated(t.access_token, sizeof t.access_token));
		FUZZ_CHECK(t.access_token[0] != '\0' && ascii_from(t.access_token, 0x21));
		FUZZ_CHECK(cJSON_IsString(token) && strcmp(token->valuestring, t.access_token) == 0);
		FUZZ_CHECK(t.expires_at > 0);
		check_extras(&t);
	} else {
		check_error(st, &err, r->status, 201, secret);
		FUZZ_CHECK(t.access_token[0] == '\0');
	}
	memset(&t, 0, sizeof t);
}

/* The body as the cache would hand it over: jg_github_token_extras on any object. */
static void read_extras(const cJSON *json)
{
	static jg_token t;
	if (!cJSON_IsObject(json))
		return;
	memset(&t, 0x5a, sizeof t);
	if (jg_github_token_extras(json, &t) == 0)
		check_extras(&t);
	memset(&t, 0, sizeof t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_split s;
	jg_http_reader r;
	jg_error err;
	jg_status st = JG_OK;
	int complete = 0;
	if (fuzz_split_read(data, size, &s) != 0)
		return 0;
	size_t cap = (s.flags & 1) && s.count > 0 ? 64 + (size_t)s.sizes[0] * 16 : JG_HTTP_ANSWER_MAX;
	char *buf = fuzz_alloc(cap);
	jg_http_reader_init(&r, buf, cap);
	for (size_t i = 0, pos = 0; pos < s.len && !complete && st == JG_OK; i++) {
		size_t n = fuzz_split_piece(&s, i, s.len - pos);
		char *piece = fuzz_copy(s.data + pos, n); /* exact size: an over-read is caught */
		st = jg_http_reader_push(&r, piece, n, &complete, &err);
		free(piece);
		pos += n;
	}
	if (st == JG_OK && !complete && !(s.flags & 2))
		st = jg_http_reader_eof(&r, &err);
	if (st == JG_OK && r.complete) {
		cJSON *json = cJSON_ParseWithLength(r.body, r.body_len);
		char *secret = body_token(json, buf, (size_t)(r.body - buf));
		read_installation(&r, secret);
		read_token(&r, json, secret);
		read_extras(json);
		free(secret);
		cJSON_Delete(json);
	}
	jg_http_reader_wipe(&r);
	free(buf);
	return 0;
}
