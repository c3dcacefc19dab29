#include "oauth/github.h"

#include <stdio.h>
#include <string.h>

#include <cJSON.h>

#include "base/clock.h"
#include "base/json_out.h"
#include "base/wipe.h"

#define NAME_MAX_LEN 100 /* GitHub's repository names; logins are shorter */

/* --- names, paths and the request body ------------------------------------------------------- */

/* GitHub's letters, digits, '-', '_' and '.' (none needs percent-encoding in a path), neither
 * "." nor "..", and 1..NAME_MAX_LEN bytes of them. */
static int is_name_part(const char *s, size_t len)
{
	if (len == 0 || len > NAME_MAX_LEN || (len <= 2 && strncmp(s, "..", len) == 0))
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
				c == '-' || c == '_' || c == '.'))
			return 0;
	}
	return 1;
}

int jg_github_name_ok(jg_github_lookup by, const char *name, const char **why)
{
	size_t slash = strcspn(name, "/"), len = strlen(name);
	if (by == JG_GITHUB_BY_REPO) {
		*why = "--repo takes OWNER/NAME, e.g. octo-org/app (letters, digits, '-', '_', '.')";
		return slash < len && is_name_part(name, slash) &&
			is_name_part(name + slash + 1, len - slash - 1);
	}
	*why = by == JG_GITHUB_BY_ORG ?
		"--org takes an organisation's login (letters, digits, '-', '_', '.')" :
		"--installation-user takes a user's login (letters, digits, '-', '_', '.')";
	return is_name_part(name, len);
}

void jg_github_lookup_path(jg_github_lookup by, const char *name, char *out, size_t cap)
{
	const char *kind = by == JG_GITHUB_BY_REPO ? "repos" : by == JG_GITHUB_BY_ORG ? "orgs" : "users";
	(void)snprintf(out, cap, "/%s/%s/installation", kind, name);
}

void jg_github_token_path(long long installation_id, char *out, size_t cap)
{
	(void)snprintf(out, cap, "/app/installations/%lld/access_tokens", installation_id);
}

/* Whether the n-th comma-separated name of list (length len) appeared earlier in it. */
static int repeated_before(const char *list, const char *name, size_t len)
{
	for (const char *p = list; p < name;) {
		size_t n = strcspn(p, ",");
		if (n == len && strncmp(p, name, len) == 0)
			return 1;
		p += n + 1;
	}
	return 0;
}

/* "repositories":["a","b"] from "a,b". */
static jg_status put_repositories(jg_out *o, const char *list, jg_error *err)
{
	jg_out_puts(o, "\"repositories\":[");
	for (const char *p = list;; p++) {
		size_t n = strcspn(p, ",");
		char name[NAME_MAX_LEN + 1];
		if (!is_name_part(p, n) || memchr(p, '/', n) != NULL)
			return jg_fail(err, JG_ERR_USAGE, "--repositories takes repository names of the "
				"installation's owner, comma-separated, e.g. app,docs (letters, digits, '-', '_', '.')");
		if (repeated_before(list, p, n))
			return jg_fail(err, JG_ERR_USAGE, "--repositories names %.*s twice", (int)n, p);
		(void)snprintf(name, sizeof name, "%.*s", (int)n, p);
		if (p != list)
			jg_out_puts(o, ",");
		jg_json_put_string(o, name);
		p += n;
		if (*p == '\0')
			break;
	}
	jg_out_puts(o, "]");
	return JG_OK;
}

/* A permission's name: lower-case letters and '_' (e.g. contents, pull_requests). */
static int is_permission_name(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_'))
			return 0;
	}
	return len > 0 && len <= 64;
}

/* "permissions":{"contents":"read"} from "contents=read" and the others. */
static jg_status put_permissions(jg_out *o, const char *const *items, size_t count, jg_error *err)
{
	jg_out_puts(o, "\"permissions\":{");
	for (size_t i = 0; i < count; i++) {
		const char *item = items[i], *level = strchr(item, '=');
		size_t n = level != NULL ? (size_t)(level - item) : 0;
		char name[65];
		if (level == NULL || !is_permission_name(item, n) ||
			(strcmp(level + 1, "read") != 0 && strcmp(level + 1, "write") != 0))
			return jg_fail(err, JG_ERR_USAGE, "--permission takes NAME=read or NAME=write, e.g. "
				"contents=read (NAME as GitHub spells it: lower case and '_')");
		for (size_t j = 0; j < i; j++) {
			if (strncmp(items[j], item, n + 1) == 0)
				return jg_fail(err, JG_ERR_USAGE, "--permission gives %.*s twice", (int)n, item);
		}
		(void)snprintf(name, sizeof name, "%.*s", (int)n, item);
		if (i > 0)
			jg_out_puts(o, ",");
		jg_json_put_name(o, name);
		jg_json_put_string(o, level + 1);
	}
	jg_out_puts(o, "}");
	return JG_OK;
}

jg_status jg_github_token_body(const char *repositories, const char *const *permissions,
	size_t permission_count, char *out, size_t cap, size_t *len, jg_error *err)
{
	jg_out o;
	jg_status st = JG_OK;
	jg_out_init(&o, out, cap);
	jg_out_puts(&o, "{");
	if (repositories != NULL)
		st = put_repositories(&o, repositories, err);
	if (st == JG_OK && permission_count > 0) {
		if (repositories != NULL)
			jg_out_puts(&o, ",");
		st = put_permissions(&o, permissions, permission_count, err);
	}
	jg_out_puts(&o, "}");
	if (st == JG_OK && o.failed)
		st = jg_fail(err, JG_ERR_USAGE, "--repositories and --permission make a request body over "
			"%zu bytes", cap);
	*len = st == JG_OK ? o.len : 0;
	return st;
}

/* --- refusals -------------------------------------------------------------------------------- */

static const char clock_hint[] =
	"GitHub takes the JWT only between its iat and exp, at most 10 minutes apart, by GitHub's "
	"clock: sync the local clock (NTP)";

/* Whether GitHub's message blames the JWT's times (its words name the claims). */
static int is_clock_trouble(int status, const char *message)
{
	return status == 401 && (strstr(message, "('exp')") != NULL || strstr(message, "('iat')") != NULL);
}

const char *jg_github_hint(int status, const char *message, int lookup)
{
	if (is_clock_trouble(status, message))
		return clock_hint;
	if (status == 401 && strstr(message, "could not be decoded") != NULL)
		return "the JWT does not verify with the App's key: give the App's own private key (the "
			"App's settings > Private keys) and its client ID (--client-id) or App ID (--app-id)";
	if (status == 401)
		return "check --client-id or --app-id: the App's settings > General > About show both, "
			"and the key must be that App's";
	if (status == 403 && strstr(message, "rate limit") != NULL)
		return "too many requests for now: wait for the limit to reset, and keep the token for "
			"its hour with --reuse instead of asking per job";
	if (status == 403)
		return "the App or this installation is suspended, or the App lacks the access: an owner "
			"can unsuspend it in the installation's settings, or grant the App's permissions";
	if (status == 404 && lookup)
		return "the App is not installed there, or the name is misspelled: install it (the App's "
			"page > Install App) with access to the repository";
	if (status == 404)
		return "no installation with that id for this App: check --installation-id (the number "
			"at the end of the installation's settings URL), or find it with --repo, --org or "
			"--installation-user";
	if (status == 422)
		return "the installation cannot grant this: ask only for repositories it can access "
			"(--repositories) and permissions it was granted, at most at that level (--permission)";
	return NULL;
}

/* GitHub's {"message":…} answer to a request it refused: JG_ERR_REFUSED, code github_<status>. */
static jg_status refusal(const jg_http_reader *a, const cJSON *json, const jg_refusal_context *ctx,
	int lookup, jg_error *err)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(json, "message");
	const cJSON *doc = cJSON_GetObjectItemCaseSensitive(json, "documentation_url");
	char message[400], documentation[160] = "", clock[256] = "";
	jg_oauth_terminal_text(message, sizeof message, m->valuestring);
	if (cJSON_IsString(doc))
		jg_oauth_terminal_text(documentation, sizeof documentation, doc->valuestring);
	const char *hint = jg_github_hint(a->status, m->valuestring, lookup);
	jg_fail(err, JG_ERR_REFUSED, "GitHub refused the %s (HTTP %d): %s", ctx->request, a->status,
		message);
	(void)snprintf(err->code, sizeof err->code, "github_%d", a->status);
	if (is_clock_trouble(a->status, m->valuestring))
		jg_oauth_describe_clock(a, ctx, clock, sizeof clock);
	(void)snprintf(err->detail, sizeof err->detail, "message: %s\n%s%s%sAPI URL: %s\n%s%s%s%s",
		message, documentation[0] ? "documentation: " : "", documentation,
		documentation[0] ? "\n" : "", ctx->instance_url, clock, hint ? "hint: " : "",
		hint ? hint : "", hint ? "\n" : "");
	return JG_ERR_REFUSED;
}

/* The answer's JSON when its status is `expected`; a refusal or JG_ERR_PROTOCOL otherwise. */
static jg_status expected_json(const jg_http_reader *a, const jg_refusal_context *ctx, int expected,
	int lookup, cJSON **json, jg_error *err)
{
	jg_status st = jg_oauth_refuse_unreadable(a, JG_PROVIDER_GITHUB, err);
	/* Parsed before anything is quoted, so that the check for a token sees decoded names. */
	*json = st == JG_OK ? jg_oauth_parse_object(a) : NULL;
	if (st != JG_OK)
		return st;
	if (a->status != expected && (a->status < 400 || jg_oauth_status_retryable(a->status)))
		return jg_oauth_unexpected(a, *json, "the GitHub API", jg_oauth_status_retryable(a->status) ?
			"the server is failing or rate-limiting" : "not an answer GitHub gives", err);
	if (!jg_oauth_strict_json_text(a->body, a->body_len))
		return jg_oauth_unexpected(a, *json, "the GitHub API", "the body is not valid JSON text "
			"(control characters or invalid UTF-8)", err);
	if (*json == NULL)
		return jg_oauth_unexpected(a, NULL, "the GitHub API", "the body is not a JSON object", err);
	if (a->status == expected)
		return JG_OK;
	if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(*json, "message")))
		return refusal(a, *json, ctx, lookup, err);
	return jg_oauth_unexpected(a, *json, "the GitHub API", "an error answer without GitHub's "
		"\"message\"", err);
}

/* --- answers --------------------------------------------------------------------------------- */

/* A whole number member from 1 to 2^53 - 1 (a double holds those exactly, and 2^53 + 1 reads
 * as 2^53, so 2^53 itself is refused too). */
static int positive_integer(const cJSON *json, const char *name, long long *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(json, name);
	if (!cJSON_IsNumber(v) || !(v->valuedouble >= 1 && v->valuedouble < 9007199254740992.0))
		return -1;
	*out = (long long)v->valuedouble;
	return (double)*out == v->valuedouble ? 0 : -1;
}

jg_status jg_github_read_installation(const jg_http_reader *a, const jg_refusal_context *ctx,
	long long *id, jg_error *err)
{
	cJSON *json = NULL;
	jg_status st = expected_json(a, ctx, 200, 1, &json, err);
	if (st == JG_OK && positive_integer(json, "id", id) != 0)
		st = jg_oauth_unexpected(a, json, "the GitHub API", "no installation id (a whole number) "
			"in the answer", err);
	cJSON_Delete(json);
	return st;
}

/* Printable ASCII from first up to '~', 1..cap-1 bytes. */
static int is_text(const char *s, char first, size_t cap)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n; i++) {
		if (s[i] < first || s[i] > '~')
			return 0;
	}
	return n > 0 && n < cap;
}

/* An object of printable strings, written compact into out[0..cap). */
static int permissions_text(const cJSON *p, char *out, size_t cap)
{
	if (!cJSON_IsObject(p))
		return -1;
	for (const cJSON *c = p->child; c != NULL; c = c->next) {
		if (!cJSON_IsString(c) || !is_text(c->string, '!', 65) || !is_text(c->valuestring, '!', 65))
			return -1;
	}
	return cJSON_PrintPreallocated((cJSON *)p, out, (int)cap, 0) ? 0 : -1;
}

int jg_github_token_extras(const cJSON *json, jg_token *t)
{
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(json, "permissions");
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(json, "repository_selection");
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(json, "installation_id");
	t->permissions[0] = t->repository_selection[0] = '\0';
	if (p != NULL && permissions_text(p, t->permissions, sizeof t->permissions) != 0)
		return -1;
	if (s != NULL && !(cJSON_IsString(s) && is_text(s->valuestring, '!', sizeof t->repository_selection)))
		return -1;
	if (s != NULL)
		(void)snprintf(t->repository_selection, sizeof t->repository_selection, "%s", s->valuestring);
	t->installation_id = 0;
	return id == NULL || positive_integer(json, "installation_id", &t->installation_id) == 0 ? 0 : -1;
}

/* Why json is not a 201 token answer (NULL when it is one), filling t. */
static const char *token_fields(const cJSON *json, jg_token *t)
{
	const cJSON *token = cJSON_GetObjectItemCaseSensitive(json, "token");
	const cJSON *expires = cJSON_GetObjectItemCaseSensitive(json, "expires_at");
	if (!cJSON_IsString(token) || !is_text(token->valuestring, '!', sizeof t->access_token))
		return "no token string in the answer";
	if (!cJSON_IsString(expires) || jg_clock_parse_iso8601(expires->valuestring,
			strlen(expires->valuestring), &t->expires_at) != 0)
		return "expires_at is not a time like 2026-12-05T14:09:34Z";
	if (jg_github_token_extras(json, t) != 0)
		return "the permissions or repository selection is malformed";
	(void)jg_copy_secret(t->access_token, sizeof t->access_token, token->valuestring);
	return NULL;
}

jg_status jg_github_read_token(const jg_http_reader *a, const jg_refusal_context *ctx, jg_token *t,
	jg_error *err)
{
	cJSON *json = NULL;
	jg_status st = expected_json(a, ctx, 201, 0, &json, err);
	const char *why = st == JG_OK ? token_fields(json, t) : NULL;
	if (why != NULL) {
		jg_wipe(t, sizeof *t);
		st = jg_oauth_unexpected(a, json, "the GitHub API", why, err);
	}
	cJSON_Delete(json); /* frees through jg_wipe_free (main.c): the token's copy dies wiped */
	return st;
}
