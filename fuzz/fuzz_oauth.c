/*
 * The token endpoint's answer (src/oauth/oauth.h: jg_oauth_read_answer). The input is the body the
 * server sent; it is read three times, each time behind a head built here and framed by
 * Content-Length, through the real reader:
 *
 *   1. "HTTP/1.1 200 OK": a token answer;
 *   2. "HTTP/1.1 400 Bad Request": a refusal;
 *   3. "HTTP/1.1 401 Unauthorized" with a Date header whose value is the input's first line
 *      (when it has one and it makes a valid header), and the rest as the body: the clock
 *      comparison made for "expired authorization code" parses that Date.
 *
 * Each is also read as a revocation's answer (jg_oauth_read_revoke_answer), whose context has
 * no audience, and as a Google token endpoint's answer (provider JG_PROVIDER_GOOGLE: RFC 6749,
 * access_token with optional token_type, scope and expires_in; Google's refusals and hints) and
 * a generic one's (the same answers; refusals without a hint).
 *
 * Checked: the status is one of those documented for each; a token is complete, visible
 * ASCII, and its strings end within their arrays (a Google token: a non-empty visible ASCII
 * access_token, printable token_type and scope, no Salesforce member, expires_in -1 or 1 to
 * 315360000 and the body's own); a refusal carries the server's words with
 * every control character escaped (no ESC sequence or forged line reaches the terminal); no
 * message quotes the access token of the body.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cJSON.h>

#include "fuzz_util.h"
#include "net/http.h"
#include "oauth/oauth.h"

static int has_control(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	}
	return 0;
}

/* The body's access_token as our own cJSON parse sees it, when it is long enough that finding
 * it in a message cannot be chance (and it is not part of the fixed context strings). */
static char *body_token(const uint8_t *body, size_t len, const char *extra,
	const jg_refusal_context *ctx)
{
	cJSON *json = cJSON_ParseWithLength((const char *)body, len);
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(json, "access_token");
	char *copy = NULL;
	if (cJSON_IsString(t) && strlen(t->valuestring) >= 20 &&
		strstr(ctx->instance_url, t->valuestring) == NULL &&
		(ctx->audience == NULL || strstr(ctx->audience, t->valuestring) == NULL) &&
		strstr(extra, t->valuestring) == NULL)
		copy = fuzz_strdup(t->valuestring, strlen(t->valuestring));
	cJSON_Delete(json);
	return copy;
}

static void check_token(const jg_token *t)
{
	FUZZ_CHECK(fuzz_terminated(t->access_token, sizeof t->access_token));
	FUZZ_CHECK(fuzz_terminated(t->instance_url, sizeof t->instance_url));
	FUZZ_CHECK(fuzz_terminated(t->id, sizeof t->id));
	FUZZ_CHECK(fuzz_terminated(t->org_id, sizeof t->org_id));
	FUZZ_CHECK(fuzz_terminated(t->user_id, sizeof t->user_id));
	FUZZ_CHECK(fuzz_terminated(t->token_type, sizeof t->token_type));
	FUZZ_CHECK(fuzz_terminated(t->scope, sizeof t->scope));
	FUZZ_CHECK(t->access_token[0] != '\0');
	for (const char *p = t->access_token; *p != '\0'; p++)
		FUZZ_CHECK(*p > 0x20 && *p < 0x7f);
	FUZZ_CHECK(strncmp(t->instance_url, "https://", 8) == 0);
	FUZZ_CHECK(strncmp(t->org_id, "00D", 3) == 0 && strncmp(t->user_id, "005", 3) == 0);
}

/* Whether every byte of s is in [low, 0x7e]. */
static int ascii_from(const char *s, char low)
{
	for (; *s != '\0'; s++) {
		if (*s < low || *s > 0x7e)
			return 0;
	}
	return 1;
}

/* A Google (RFC 6749) token: the access token, the optional text members, expires_in as the
 * body says (-1 when it has none), and nothing of Salesforce's. */
static void check_google_token(const jg_token *t, const uint8_t *body, size_t len)
{
	FUZZ_CHECK(fuzz_terminated(t->access_token, sizeof t->access_token));
	FUZZ_CHECK(fuzz_terminated(t->token_type, sizeof t->token_type));
	FUZZ_CHECK(fuzz_terminated(t->scope, sizeof t->scope));
	FUZZ_CHECK(t->access_token[0] != '\0' && ascii_from(t->access_token, 0x21));
	FUZZ_CHECK(ascii_from(t->token_type, 0x20) && ascii_from(t->scope, 0x20));
	FUZZ_CHECK(t->instance_url[0] == '\0' && t->id[0] == '\0');
	FUZZ_CHECK(t->org_id[0] == '\0' && t->user_id[0] == '\0');
	FUZZ_CHECK(t->expires_in == -1 || (t->expires_in >= 1 && t->expires_in <= 315360000));
	FUZZ_CHECK(t->expires_at == 0); /* the caller's to set */

	cJSON *json = cJSON_ParseWithLength((const char *)body, len);
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(json, "expires_in");
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(json, "access_token");
	FUZZ_CHECK(cJSON_IsString(a) && strcmp(a->valuestring, t->access_token) == 0);
	if (e == NULL)
		FUZZ_CHECK(t->expires_in == -1);
	else
		FUZZ_CHECK(cJSON_IsNumber(e) && e->valuedouble == (double)t->expires_in);
	cJSON_Delete(json);
}

/* An error's fields: terminated, no control character, the server's words on a refusal, and
 * never the body's access token. */
static void check_error(jg_status st, const jg_error *err, const uint8_t *body, size_t len,
	const char *extra, const jg_refusal_context *ctx)
{
	FUZZ_CHECK(err->status == st);
	FUZZ_CHECK(fuzz_terminated(err->message, sizeof err->message));
	FUZZ_CHECK(fuzz_terminated(err->detail, sizeof err->detail));
	FUZZ_CHECK(fuzz_terminated(err->code, sizeof err->code));
	FUZZ_CHECK(!has_control(err->message) && !has_control(err->code));
	if (st == JG_ERR_REFUSED)
		FUZZ_CHECK(err->detail[0] != '\0');
	char *secret = body_token(body, len, extra, ctx);
	if (secret != NULL) {
		FUZZ_CHECK(strstr(err->message, secret) == NULL);
		FUZZ_CHECK(strstr(err->detail, secret) == NULL);
		free(secret);
	}
}

/* The same answer read as a revocation's (no audience in the context): 200 is success, a
 * refusal needs a 400 or 401. */
static void read_revoke(const jg_http_reader *r, const uint8_t *body, size_t len,
	const char *extra)
{
	const jg_refusal_context ctx = { .instance_url = "https://example.my.salesforce.com",
		.request = "revocation", .local_now = 1700000000 };
	jg_error err;
	memset(&err, 0, sizeof err);
	jg_status st = jg_oauth_read_revoke_answer(r, &ctx, &err);
	if (st == JG_OK) {
		FUZZ_CHECK(r->status == 200);
		return;
	}
	FUZZ_CHECK(st == JG_ERR_PROTOCOL ||
		(st == JG_ERR_REFUSED && (r->status == 400 || r->status == 401)));
	check_error(st, &err, body, len, extra, &ctx);
}

/* The same answer from Google's token endpoint, or a generic one: an RFC 6749 token on 200, a
 * refusal on 400 or 401 naming the token URL (not an instance URL). */
static void read_rfc6749(jg_provider provider, const jg_http_reader *r, const uint8_t *body,
	size_t len, const char *extra)
{
	static jg_token token;
	const jg_refusal_context ctx = { .provider = provider,
		.instance_url = "https://oauth2.googleapis.com/token",
		.audience = "https://oauth2.googleapis.com/token", .local_now = 1700000000 };
	jg_error err;
	memset(&err, 0, sizeof err);
	memset(&token, 0, sizeof token);
	jg_status st = jg_oauth_read_answer(r, &ctx, &token, &err);
	if (st == JG_OK) {
		FUZZ_CHECK(r->status == 200);
		check_google_token(&token, body, len);
	} else {
		FUZZ_CHECK(st == JG_ERR_PROTOCOL || (st == JG_ERR_REFUSED && r->status != 200));
		check_error(st, &err, body, len, extra, &ctx);
		if (st == JG_ERR_REFUSED)
			FUZZ_CHECK(strstr(err.detail, "\ntoken URL: https://oauth2.googleapis.com/token\n")
				!= NULL);
		if (st == JG_ERR_REFUSED && provider == JG_PROVIDER_GENERIC)
			FUZZ_CHECK(strstr(err.detail, "\nhint: ") == NULL); /* any server: no hint */
	}
	memset(&token, 0, sizeof token);
}

/* Frame body[0..len) behind the status line and extra header lines, read it as a token answer,
 * as a revocation answer and as Google's token answer, and check. */
static void read_answer(const char *status_line, const char *extra, const uint8_t *body,
	size_t len)
{
	static char wire[JG_HTTP_ANSWER_MAX], buf[JG_HTTP_ANSWER_MAX];
	static jg_token token;
	jg_http_reader r;
	jg_error err;
	int complete = 0;
	int n = snprintf(wire, sizeof wire, "%s\r\n%sContent-Length: %zu\r\n\r\n", status_line, extra,
		len);

	if (n < 0 || (size_t)n > sizeof wire || len > sizeof wire - (size_t)n)
		return;
	memcpy(wire + n, body, len);
	jg_http_reader_init(&r, buf, sizeof buf);
	if (jg_http_reader_push(&r, wire, (size_t)n + len, &complete, &err) != JG_OK || !complete)
		return; /* a Date line the reader refuses: not this target's business */

	const jg_refusal_context ctx = { .instance_url = "https://example.my.salesforce.com",
		.audience = "https://login.salesforce.com", .local_now = 1700000000 };
	memset(&err, 0, sizeof err);
	memset(&token, 0, sizeof token);
	jg_status st = jg_oauth_read_answer(&r, &ctx, &token, &err);
	if (st == JG_OK) {
		FUZZ_CHECK(r.status == 200);
		check_token(&token);
	} else {
		FUZZ_CHECK(st == JG_ERR_PROTOCOL || (st == JG_ERR_REFUSED && r.status != 200));
		check_error(st, &err, body, len, extra, &ctx);
	}
	memset(&token, 0, sizeof token);
	read_revoke(&r, body, len, extra);
	read_rfc6749(JG_PROVIDER_GOOGLE, &r, body, len, extra);
	read_rfc6749(JG_PROVIDER_GENERIC, &r, body, len, extra);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	read_answer("HTTP/1.1 200 OK", "", data, size);
	read_answer("HTTP/1.1 400 Bad Request", "", data, size);

	const uint8_t *nl = memchr(data, '\n', size);
	if (nl != NULL) {
		size_t line = (size_t)(nl - data);
		char extra[128];
		if (line < 100 && memchr(data, '\0', line) == NULL) {
			snprintf(extra, sizeof extra, "Date: %.*s\r\n", (int)line, (const char *)data);
			read_answer("HTTP/1.1 401 Unauthorized", extra, nl + 1, size - line - 1);
		}
	}
	return 0;
}
