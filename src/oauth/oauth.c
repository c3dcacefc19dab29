#include "oauth/oauth.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <cJSON.h>

#include "base/clock.h"
#include "base/utf8.h"
#include "base/wipe.h"
#include "net/url.h"
#include "oauth/github.h"

static const char grant_prefix[] =
	"grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=";

void jg_oauth_put_form_value(jg_out *o, const char *value, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)value[i];
		char escaped[3] = { '%', hex[c >> 4], hex[c & 15] };
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			c == '-' || c == '.' || c == '_' || c == '~')
			jg_out_put(o, value + i, 1);
		else
			jg_out_put(o, escaped, 3);
	}
}

/* "&NAME=VALUE" from "NAME=VALUE", both parts encoded. */
static void put_extra_field(jg_out *o, const char *field)
{
	size_t name = strcspn(field, "=");
	jg_out_puts(o, "&");
	jg_oauth_put_form_value(o, field, name);
	jg_out_puts(o, "=");
	if (field[name] == '=')
		jg_oauth_put_form_value(o, field + name + 1, strlen(field + name + 1));
}

jg_status jg_oauth_build_form(const jg_oauth_form *f, const char *jwt, char *out, size_t cap,
	size_t *len, jg_error *err)
{
	jg_out o;
	jg_out_init(&o, out, cap);
	jg_out_puts(&o, f->client_assertion ? "grant_type=client_credentials&client_assertion_type="
		"urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=" :
		grant_prefix);
	jg_out_puts(&o, jwt); /* base64url parts and dots: nothing to encode */
	if (f->scope != NULL && f->scope[0] != '\0') {
		jg_out_puts(&o, "&scope=");
		jg_oauth_put_form_value(&o, f->scope, strlen(f->scope));
	}
	for (size_t i = 0; i < f->extra_count; i++)
		put_extra_field(&o, f->extra[i]);
	if (o.failed) {
		jg_wipe(out, cap);
		return jg_fail(err, JG_ERR_USAGE, "the request body does not fit in %zu bytes", cap);
	}
	*len = o.len;
	return JG_OK;
}

/* Salesforce's refusals and their hints (salesforce-jwt.md). A NULL description matches any;
 * the others match the whole description, ignoring case. */
static const struct hint {
	const char *error, *description, *hint;
} salesforce_hints[] = {
	{ "invalid_client_id", NULL,
		"check the consumer key (--client-id) of the Connected App in the org behind the instance "
		"URL; a new app takes up to 10 minutes to be known" },
	{ "invalid_grant", "user hasn't approved this consumer",
		"set the app's policy to \"Admin approved users are pre-authorized\" and add the user's "
		"profile or permission set to the app; also check the audience (login vs test)" },
	{ "invalid_app_access", NULL,
		"assign the user's profile or permission set to the Connected App (Manage > Profiles or "
		"Permission Sets)" },
	{ "invalid_grant", "audience is invalid",
		"use --audience https://test.salesforce.com for sandboxes and scratch orgs, "
		"https://login.salesforce.com otherwise, or the site URL for Experience Cloud" },
	{ "invalid_grant", "invalid assertion",
		"the signature does not verify with the uploaded certificate: compare the key with it "
		"(jwtgrant check --jwt-key-file KEY --cert server.crt) and re-upload the certificate" },
	{ "invalid_grant", "expired authorization code",
		"exp is already past on the server: the local clock is off; sync it (NTP) and retry" },
	{ "invalid_grant", "ip restricted",
		"the caller's IP or the time is outside the profile's limits: relax the app's IP "
		"restrictions or allow the CI egress IP (a proxy changes the egress IP)" },
	{ "invalid_grant", "IP restricted or invalid login hours",
		"the caller's IP or the time is outside the profile's limits: relax the app's IP "
		"restrictions or allow the CI egress IP (a proxy changes the egress IP)" },
	{ "invalid_grant", "inactive user",
		"the user cannot log in: reactivate it, then see Setup > Login History" },
	{ "invalid_grant", "user is locked",
		"the user cannot log in: unlock it, then see Setup > Login History" },
	{ "invalid_grant", "authentication failure",
		"the user cannot log in: check that it is active and unlocked, see Setup > Login History" },
	{ "invalid_grant", "inactive organization",
		"the org is locked or deleted, or an expired scratch org: use a live org's instance URL" },
	{ "app_not_found", NULL,
		"install the External Client App in the org behind the instance URL, use that org's "
		"My Domain as --instance-url and try it as --audience too" },
	{ "unsupported_grant_type", NULL,
		"the grant type is misspelled or the app does not allow the JWT bearer flow: enable "
		"\"Use digital signatures\" on the app" },
	{ "unsupported_token_type", NULL,
		"the token had already expired or been revoked, or another org issued it (--instance-url)" },
	{ "invalid_token", NULL,
		"the token had already expired or been revoked, or another org issued it (--instance-url)" },
	{ "rate_limit_exceeded", NULL,
		"too many logins for this user: reuse the token for its lifetime instead of logging in "
		"per job" },
	{ NULL, NULL, NULL },
};

/* Google's refusals of a service account's grant (providers.md); a description matches when it
 * starts with the one here, as Google's longer texts go on with details. */
static const struct hint google_hints[] = {
	{ "invalid_grant", "Invalid JWT Signature",
		"the key is no longer one of the service account's (deleted or rotated): create a new "
		"key (IAM > Service accounts > Keys > Add key > JSON) and use that file" },
	{ "invalid_grant", "Invalid JWT: Token must be a short-lived token",
		"iat and exp must lie around Google's clock and at most 3600 s apart: sync the local "
		"clock (NTP) and keep --lifetime at 3600 or less" },
	{ "invalid_grant", "Invalid JWT: Failed audience check",
		"aud must be the key file's token_uri: drop --audience" },
	{ "invalid_grant", "Invalid grant: account not found",
		"the service account (client_email) does not exist: it was deleted, or the key file "
		"is from another project" },
	{ "invalid_grant", "Robot is disabled",
		"the service account is disabled: enable it (IAM > Service accounts), or use another" },
	{ "invalid_scope", NULL,
		"give each scope the API needs with --scope, e.g. "
		"https://www.googleapis.com/auth/cloud-platform" },
	{ "unauthorized_client", NULL,
		"--jwt-subject needs domain-wide delegation: allow the service account's client ID "
		"for these scopes (Admin console > Security > API controls > Domain-wide delegation)" },
	{ NULL, NULL, NULL },
};

const char *jg_oauth_hint(jg_provider p, const char *error, const char *description)
{
	int google = p == JG_PROVIDER_GOOGLE;
	if (p == JG_PROVIDER_GENERIC)
		return NULL; /* any server: its words are all there is */
	for (const struct hint *h = google ? google_hints : salesforce_hints; h->error != NULL; h++) {
		if (strcmp(h->error, error) != 0)
			continue;
		if (h->description == NULL)
			return h->hint;
		if (description != NULL && (google ?
				strncasecmp(h->description, description, strlen(h->description)) == 0 :
				strcasecmp(h->description, description) == 0))
			return h->hint;
	}
	return NULL;
}

int jg_oauth_status_retryable(int status)
{
	return status >= 500 || status == 429;
}

/* A string member, or NULL when absent or not a string. */
static const char *member_string(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void copy_field(char *dst, size_t cap, const char *src)
{
	(void)jg_copy_secret(dst, cap, src != NULL ? src : "");
}

/* Whether a member of any object in the tree is named access_token (or token, as GitHub
 * names it), as its name decodes ("access\u005ftoken" included). */
static int tree_names_token(const cJSON *item)
{
	for (const cJSON *c = item != NULL ? item->child : NULL; c != NULL; c = c->next) {
		if (c->string != NULL && (strcmp(c->string, "access_token") == 0 ||
				strcmp(c->string, "token") == 0))
			return 1;
		if (tree_names_token(c))
			return 1;
	}
	return 0;
}

/*
 * Whether the answer may hold an access token: then none of it may be quoted in a message.
 * Decided on the parsed JSON, where escapes are decoded (the caller's object, else the body
 * parsed here as any JSON value: an array may hold the object); on the raw text too, for a body
 * that does not parse.
 */
static int holds_token(const jg_http_reader *a, const cJSON *json)
{
	static const char needle[] = "access_token", github[] = "\"token\"";
	if (memmem(a->body, a->body_len, needle, sizeof needle - 1) != NULL ||
		memmem(a->body, a->body_len, github, sizeof github - 1) != NULL || tree_names_token(json))
		return 1;
	cJSON *any = json == NULL ? cJSON_ParseWithLength(a->body, a->body_len) : NULL;
	int named = tree_names_token(any);
	cJSON_Delete(any); /* frees through jg_wipe_free (main.c) */
	return named;
}

static void value_for_terminal(const jg_http_header *h, char *out, size_t cap);

static jg_status unexpected(const jg_http_reader *a, const cJSON *json, const char *why,
	jg_error *err)
{
	return jg_oauth_unexpected(a, json, "the token endpoint", why, err);
}

jg_status jg_oauth_unexpected(const jg_http_reader *a, const cJSON *json, const char *from,
	const char *why, jg_error *err)
{
	char start[81];
	if (holds_token(a, json))
		(void)snprintf(start, sizeof start, "(not shown: it holds an access_token)");
	else
		jg_http_printable_prefix(a->body, a->body_len, start, sizeof start);
	const jg_http_header *ct = jg_http_find_header(&a->head, "Content-Type");
	char type[256] = "";
	if (ct != NULL)
		value_for_terminal(ct, type, sizeof type);
	return jg_fail(err, JG_ERR_PROTOCOL, "unexpected answer from %s: HTTP %d%s%s%s: "
		"%s; it begins \"%s\"", from, a->status, ct ? " (" : "", type, ct ? ")" : "", why, start);
}

/* Whether text[i] starts the escape \u0000 (a backslash that is not itself escaped). */
static int is_escaped_nul(const char *text, size_t len, size_t i, size_t backslashes_before)
{
	return text[i] == '\\' && backslashes_before % 2 == 0 && len - i >= 6 &&
		(text[i + 1] == 'u') && memcmp(text + i + 2, "0000", 4) == 0;
}

/*
 * RFC 8259 text: valid UTF-8, and no control character but the whitespace between tokens
 * (inside strings they must be escaped). cJSON is lenient about both, so we check first: a NUL
 * inside a string, raw or written \u0000 (which cJSON decodes into the C string), would
 * silently cut a token short.
 */
int jg_oauth_strict_json_text(const char *text, size_t len)
{
	size_t backslashes = 0; /* how many backslashes run up to text[i] */
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
			is_escaped_nul(text, len, i, backslashes))
			return 0;
		backslashes = c == '\\' ? backslashes + 1 : 0;
	}
	return jg_utf8_valid(text, len);
}

/*
 * The server's words for a terminal: verbatim, but control characters (an ESC sequence, a
 * newline that would forge a line of our own; DEL; the C1 controls U+0080 to U+009F, whose
 * UTF-8 form is C2 80 to C2 9F and which terminals obey too) written as \xNN, byte by byte.
 */
void jg_oauth_terminal_text(char *out, size_t cap, const char *in)
{
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)in; *p && o + 9 < cap; p++) {
		if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {
			o += (size_t)snprintf(out + o, cap - o, "\\x%02x\\x%02x", p[0], p[1]);
			p++;
		} else if (*p < 0x20 || *p == 0x7F) {
			o += (size_t)snprintf(out + o, cap - o, "\\x%02x", *p);
		} else {
			out[o++] = (char)*p;
		}
	}
	out[o] = '\0';
}

/* Every byte in [low, 0x7E]: printable ASCII (low 0x20) or without spaces (low 0x21). */
static int is_ascii_from(const char *s, char low)
{
	for (; *s; s++) {
		if (*s < low || *s > 0x7E)
			return 0;
	}
	return 1;
}

/* Salesforce ids: letters and digits only (15 or 18 of them, checked by the caller). */
static int is_id_text(const char *s)
{
	for (; *s; s++) {
		if (!((*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')))
			return 0;
	}
	return 1;
}

/* orgId and userId: the last two path segments of the `id` URL. */
static int split_id(const char *id, jg_token *t)
{
	const char *end = id + strlen(id);
	const char *slash2 = NULL, *slash1 = NULL;
	for (const char *p = end; p > id; p--) {
		if (p[-1] == '/') {
			if (slash2 == NULL)
				slash2 = p - 1;
			else {
				slash1 = p - 1;
				break;
			}
		}
	}
	if (slash1 == NULL || slash2 - slash1 - 1 < 15 || end - slash2 - 1 < 15 ||
		slash2 - slash1 - 1 > 18 || end - slash2 - 1 > 18)
		return -1;
	(void)snprintf(t->org_id, sizeof t->org_id, "%.*s", (int)(slash2 - slash1 - 1), slash1 + 1);
	(void)snprintf(t->user_id, sizeof t->user_id, "%.*s", (int)(end - slash2 - 1), slash2 + 1);
	return strncmp(t->org_id, "00D", 3) == 0 && strncmp(t->user_id, "005", 3) == 0 &&
		is_id_text(t->org_id) && is_id_text(t->user_id) ? 0 : -1;
}

/* The optional text members of a token answer: printable ASCII, or absent. */
static int optional_text_ok(const char *text, size_t cap)
{
	return text == NULL || (strlen(text) < cap && is_ascii_from(text, 0x20));
}

/* Why json is not a token answer (NULL when it is one), filling t as far as it read. */
static const char *token_fields(const cJSON *json, jg_token *t)
{
	const char *token = member_string(json, "access_token");
	const char *instance = member_string(json, "instance_url");
	const char *id = member_string(json, "id");
	const char *type = member_string(json, "token_type"), *scope = member_string(json, "scope");
	if (token == NULL || *token == '\0' || strlen(token) >= sizeof t->access_token ||
		!is_ascii_from(token, 0x21))
		return "no access_token string in the token answer";
	if (instance == NULL || strncmp(instance, "https://", 8) != 0 ||
		strlen(instance) >= sizeof t->instance_url || !is_ascii_from(instance, 0x21))
		return "no https instance_url in the token answer";
	if (id == NULL || strlen(id) >= sizeof t->id || !is_ascii_from(id, 0x21) || split_id(id, t) != 0)
		return "the id URL of the token answer does not end in /<orgId 00D…>/<userId 005…> "
			"(letters and digits)";
	if (!optional_text_ok(type, sizeof t->token_type) || !optional_text_ok(scope, sizeof t->scope))
		return "token_type or scope is not printable ASCII";
	copy_field(t->access_token, sizeof t->access_token, token);
	copy_field(t->instance_url, sizeof t->instance_url, instance);
	copy_field(t->id, sizeof t->id, id);
	copy_field(t->token_type, sizeof t->token_type, type);
	copy_field(t->scope, sizeof t->scope, scope);
	return NULL;
}

/* expires_in: absent (-1), or a whole number of seconds from 1 to ten years. */
static int read_expires_in(const cJSON *json, long *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(json, "expires_in");
	*out = -1;
	if (v == NULL)
		return 0;
	if (!cJSON_IsNumber(v) || !(v->valuedouble >= 1 && v->valuedouble <= 315360000.0) ||
		v->valuedouble != (double)(long)v->valuedouble)
		return -1;
	*out = (long)v->valuedouble;
	return 0;
}

/* Why json is not an RFC 6749 token answer (section 5.1), or NULL, filling t. */
static const char *rfc6749_token_fields(const cJSON *json, jg_token *t)
{
	const char *token = member_string(json, "access_token");
	const char *type = member_string(json, "token_type"), *scope = member_string(json, "scope");
	if (token == NULL || *token == '\0' || strlen(token) >= sizeof t->access_token ||
		!is_ascii_from(token, 0x21))
		return "no access_token string in the token answer";
	if (!optional_text_ok(type, sizeof t->token_type) || !optional_text_ok(scope, sizeof t->scope))
		return "token_type or scope is not printable ASCII";
	if (read_expires_in(json, &t->expires_in) != 0)
		return "expires_in is not a whole number of seconds from 1 to ten years";
	copy_field(t->access_token, sizeof t->access_token, token);
	copy_field(t->token_type, sizeof t->token_type, type);
	copy_field(t->scope, sizeof t->scope, scope);
	return NULL;
}

/* Why json is not provider p's token answer, or NULL, filling t. */
static const char *provider_token_fields(const cJSON *json, jg_provider p, jg_token *t)
{
	if (p == JG_PROVIDER_GITHUB) { /* as the token cache keeps it */
		const char *why = rfc6749_token_fields(json, t);
		return why != NULL ? why : jg_github_token_extras(json, t) != 0 ?
			"the installation, permissions or repository selection is malformed" : NULL;
	}
	if (p == JG_PROVIDER_GOOGLE || p == JG_PROVIDER_GENERIC)
		return rfc6749_token_fields(json, t);
	t->expires_in = -1;
	return token_fields(json, t);
}

int jg_oauth_token_from_json(const cJSON *json, jg_provider p, jg_token *t)
{
	return provider_token_fields(json, p, t) == NULL ? 0 : -1;
}

static jg_status read_token(const jg_http_reader *a, const cJSON *json, jg_provider p, jg_token *t,
	jg_error *err)
{
	const char *why = provider_token_fields(json, p, t);
	return why == NULL ? JG_OK : unexpected(a, json, why, err);
}

/* On clock trouble: the local clock against the answer's Date header, and their difference. */
void jg_oauth_describe_clock(const jg_http_reader *a, const jg_refusal_context *ctx, char *out,
	size_t cap)
{
	char local[32];
	jg_clock_iso8601(ctx->local_now, local);
	const jg_http_header *date = jg_http_find_header(&a->head, "Date");
	char text[64];
	if (date == NULL || date->value_len >= sizeof text) {
		(void)snprintf(out, cap, "local clock: %s (the answer had no Date header)\n", local);
		return;
	}
	int64_t server = 0;
	memcpy(text, date->value, date->value_len);
	text[date->value_len] = '\0';
	if (jg_clock_parse_http_date(text, date->value_len, &server) != 0) {
		char shown[64 * 8];
		jg_oauth_terminal_text(shown, sizeof shown, text); /* the server's bytes */
		(void)snprintf(out, cap, "local clock: %s, server Date: %s\n", local, shown);
		return;
	}
	long long diff = (long long)(ctx->local_now - server);
	(void)snprintf(out, cap, "local clock: %s, server Date: %s (local clock %s by %lld s)\n", local, text,
		diff >= 0 ? "ahead" : "behind", diff >= 0 ? diff : -diff);
}

/* Whether the refusal blames the clock: then the message shows it against the server's. */
static int is_clock_trouble(jg_provider p, const char *description)
{
	static const char google[] = "Invalid JWT: Token must be a short-lived token";
	if (p == JG_PROVIDER_GOOGLE)
		return strncasecmp(description, google, sizeof google - 1) == 0;
	return strcasecmp(description, "expired authorization code") == 0;
}

static jg_status refusal(const jg_http_reader *a, const cJSON *json, const jg_refusal_context *ctx,
	jg_error *err)
{
	char error[sizeof err->code], description[512];
	const char *raw_description = member_string(json, "error_description");
	jg_oauth_terminal_text(error, sizeof error, member_string(json, "error"));
	jg_oauth_terminal_text(description, sizeof description, raw_description ? raw_description : "");
	const char *hint = jg_oauth_hint(ctx->provider, error, raw_description ? description : NULL);
	jg_fail(err, JG_ERR_REFUSED, "the %s was refused (HTTP %d): %s%s%s",
		ctx->request != NULL ? ctx->request : "token request", a->status, error,
		raw_description ? ": " : "", description);
	(void)snprintf(err->code, sizeof err->code, "%s", error);
	char clock[256] = "";
	if (raw_description != NULL && is_clock_trouble(ctx->provider, description))
		jg_oauth_describe_clock(a, ctx, clock, sizeof clock);
	(void)snprintf(err->detail, sizeof err->detail,
		"error: %s\nerror_description: %s\n%s: %s\n%s%s%s%s%s%s%s",
		error, raw_description ? description : "(none)",
		ctx->provider == JG_PROVIDER_GOOGLE || ctx->provider == JG_PROVIDER_GENERIC ? "token URL" :
		"instance URL", ctx->instance_url,
		ctx->audience ? "audience: " : "", ctx->audience ? ctx->audience : "",
		ctx->audience ? "\n" : "", clock,
		hint ? "hint: " : "", hint ? hint : "", hint ? "\n" : "");
	return JG_ERR_REFUSED;
}

/* The answer's JSON object, parsed; NULL when the body is not one. */
cJSON *jg_oauth_parse_object(const jg_http_reader *a)
{
	cJSON *json = cJSON_ParseWithLength(a->body, a->body_len);
	if (json != NULL && !cJSON_IsObject(json)) {
		cJSON_Delete(json);
		return NULL;
	}
	return json;
}

/* A 4xx that may carry the server's OAuth error (cli.md: exit 1); a 429 is retried instead. */
static int is_client_error(int status)
{
	return status >= 400 && status < 500 && status != 429;
}

static jg_status read_parsed_answer(const jg_http_reader *a, const cJSON *json,
	const jg_refusal_context *ctx, jg_token *token, jg_error *err)
{
	if (a->status != 200 && !is_client_error(a->status))
		return unexpected(a, json, jg_oauth_status_retryable(a->status) ?
			"the server is failing or rate-limiting" : "not a token answer", err);
	if (!jg_oauth_strict_json_text(a->body, a->body_len))
		return unexpected(a, json, "the body is not valid JSON text (control characters or "
			"invalid UTF-8)", err);
	if (json == NULL)
		return unexpected(a, json, "the body is not a JSON object", err);
	if (a->status == 200)
		return read_token(a, json, ctx->provider, token, err);
	if (member_string(json, "error") != NULL)
		return refusal(a, json, ctx, err);
	return unexpected(a, json, "an error answer without an OAuth \"error\"", err);
}

/* --- answers that are not for us: redirects, encodings we did not ask for ------------------- */

static int is_redirect(int status)
{
	return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

/* A header's value for the terminal (jg_oauth_terminal_text), cut at 200 bytes with "...". */
static void value_for_terminal(const jg_http_header *h, char *out, size_t cap)
{
	char raw[204];
	size_t n = h->value_len > 200 ? 200 : h->value_len;
	memcpy(raw, h->value, n);
	(void)snprintf(raw + n, sizeof raw - n, "%s", n < h->value_len ? "..." : "");
	jg_oauth_terminal_text(out, cap, raw);
}

/*
 * "https://host[:port]" of an absolute https Location, to suggest as --instance-url: its
 * authority goes through jg_url_parse (the host checked and lowercased) and is written back by
 * jg_url_redacted, so only what an instance URL may hold reaches the terminal. 0 otherwise.
 */
static int location_origin(const jg_http_header *location, char *out, size_t cap)
{
	static const char https[] = "https://";
	const size_t skip = sizeof https - 1;
	char origin[JG_URL_HOST_MAX + 32];
	size_t end = skip;
	if (location->value_len < skip || strncasecmp(location->value, https, skip) != 0)
		return 0;
	while (end < location->value_len && strchr("/?#", location->value[end]) == NULL)
		end++;
	if (end >= sizeof origin)
		return 0;
	memcpy(origin, location->value, end);
	origin[end] = '\0';
	jg_url u;
	jg_error ignored;
	if (jg_url_parse(origin, &u, &ignored) != JG_OK)
		return 0;
	jg_url_redacted(&u, out, cap);
	return 1;
}

/* A redirect is shown, never followed: following it would hand the assertion to another host.
 * The fix names the option that chose the server: another provider's is not --instance-url. */
static jg_status refuse_redirect(const jg_http_reader *a, jg_provider p, jg_error *err)
{
	const jg_http_header *location = jg_http_find_header(&a->head, "Location");
	char shown[900], origin[JG_URL_HOST_MAX + 32];
	const char *option = p == JG_PROVIDER_GITHUB ? "--api-url" : "--token-url";
	if (location == NULL)
		return jg_fail(err, JG_ERR_PROTOCOL, "the token endpoint answered HTTP %d (a redirect) "
			"without a Location; check %s", a->status, p == JG_PROVIDER_SALESFORCE ?
			"--instance-url" : option);
	value_for_terminal(location, shown, sizeof shown);
	if (p == JG_PROVIDER_GITHUB)
		return jg_fail(err, JG_ERR_PROTOCOL, "the GitHub API answered HTTP %d, a redirect to "
			"\"%s\"; jwtgrant does not follow redirects with the JWT: check --api-url "
			"(https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server)",
			a->status, shown);
	if (p != JG_PROVIDER_SALESFORCE)
		return jg_fail(err, JG_ERR_PROTOCOL, "the token endpoint answered HTTP %d, a redirect to "
			"\"%s\"; jwtgrant does not follow redirects with the assertion: if that is the token "
			"endpoint, give it with --token-url", a->status, shown);
	if (location_origin(location, origin, sizeof origin))
		return jg_fail(err, JG_ERR_PROTOCOL, "the token endpoint answered HTTP %d, a redirect to "
			"\"%s\"; jwtgrant does not follow redirects with the assertion: if that host is the "
			"right one, use --instance-url %s", a->status, shown, origin);
	return jg_fail(err, JG_ERR_PROTOCOL, "the token endpoint answered HTTP %d, a redirect to "
		"\"%s\"; jwtgrant does not follow redirects with the assertion: check --instance-url "
		"(https://login.salesforce.com, https://test.salesforce.com or your My Domain URL)",
		a->status, shown);
}

/* A body in an encoding we did not ask for (we send no Accept-Encoding) cannot be read. */
static jg_status refuse_encoding(const jg_http_reader *a, jg_provider p, jg_error *err)
{
	const jg_http_header *ce = jg_http_find_header(&a->head, "Content-Encoding");
	if (ce == NULL || ce->value_len == 0 ||
		(ce->value_len == 8 && strncasecmp(ce->value, "identity", 8) == 0))
		return JG_OK;
	char shown[900];
	value_for_terminal(ce, shown, sizeof shown);
	return jg_fail(err, JG_ERR_PROTOCOL, "%s sent its answer (HTTP %d) with "
		"Content-Encoding \"%s\", which jwtgrant did not ask for and cannot read; a proxy or load "
		"balancer in front of it may be compressing answers", p == JG_PROVIDER_GITHUB ?
		"the GitHub API" : "the token endpoint", a->status, shown);
}

jg_status jg_oauth_refuse_unreadable(const jg_http_reader *a, jg_provider p, jg_error *err)
{
	if (is_redirect(a->status))
		return refuse_redirect(a, p == 0 ? JG_PROVIDER_SALESFORCE : p, err);
	return refuse_encoding(a, p, err);
}

jg_status jg_oauth_read_answer(const jg_http_reader *a, const jg_refusal_context *ctx,
	jg_token *token, jg_error *err)
{
	jg_status st = jg_oauth_refuse_unreadable(a, ctx->provider, err);
	if (st != JG_OK)
		return st;
	/* Parsed first, so that the decision to quote the body is made on the decoded names. cJSON
	 * frees through jg_wipe_free (main.c), so the tree's copy of a token dies wiped. */
	cJSON *json = jg_oauth_parse_object(a);
	st = read_parsed_answer(a, json, ctx, token, err);
	cJSON_Delete(json);
	return st;
}

/*
 * The revocation's answer (Salesforce: 200 and no body; 400 with an OAuth error for a token it
 * will not revoke). Redirects and encodings are refused as for the token answer.
 */
jg_status jg_oauth_read_revoke_answer(const jg_http_reader *a, const jg_refusal_context *ctx,
	jg_error *err)
{
	jg_status st = jg_oauth_refuse_unreadable(a, ctx->provider, err);
	if (st != JG_OK || a->status == 200)
		return st;
	cJSON *json = jg_oauth_parse_object(a);
	if (!is_client_error(a->status))
		st = unexpected(a, json, jg_oauth_status_retryable(a->status) ?
			"the server is failing or rate-limiting" : "not a revocation answer", err);
	else if (json == NULL || !jg_oauth_strict_json_text(a->body, a->body_len) ||
		member_string(json, "error") == NULL)
		st = unexpected(a, json, "an error answer without an OAuth \"error\"", err);
	else
		st = refusal(a, json, ctx, err);
	cJSON_Delete(json);
	return st;
}
