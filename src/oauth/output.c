#include "oauth/output.h"

#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/json_out.h"
#include "base/wipe.h"

/* NAME='value' with each ' written as '\'' so that a POSIX shell reads value back exactly. */
static void put_shell_line(jg_out *t, const char *name, const char *value)
{
	jg_out_puts(t, name);
	jg_out_puts(t, "='");
	for (const char *p = value; *p; p++) {
		if (*p == '\'')
			jg_out_puts(t, "'\\''");
		else
			jg_out_put(t, p, 1);
	}
	jg_out_puts(t, "'\n");
}

static void put_plain_line(jg_out *t, const char *name, const char *value)
{
	jg_out_puts(t, name);
	jg_out_puts(t, "=");
	jg_out_puts(t, value);
	jg_out_puts(t, "\n");
}

struct variable {
	const char *name, *value;
};

static void list_variables(const jg_token *tok, const jg_grant_facts *f, struct variable v[5])
{
	v[0] = (struct variable){ "SF_ACCESS_TOKEN", tok->access_token };
	v[1] = (struct variable){ "SF_ORG_INSTANCE_URL", tok->instance_url };
	v[2] = (struct variable){ "SF_ORG_ID", tok->org_id };
	v[3] = (struct variable){ "SF_USER_ID", tok->user_id };
	v[4] = (struct variable){ "SF_USERNAME", f->username };
}

/* Azure Pipelines' logging command: ##vso[task.setvariable variable=NAME(;issecret=true)]value */
static void put_azure_line(jg_out *t, const char *name, const char *value, int secret)
{
	jg_out_puts(t, "##vso[task.setvariable variable=");
	jg_out_puts(t, name);
	jg_out_puts(t, secret ? ";issecret=true]" : "]");
	jg_out_puts(t, value);
	jg_out_puts(t, "\n");
}

enum variable_style { SHELL, GITHUB, AZURE };

/* The five variables as lines; GITHUB and AZURE lines cannot carry a line break in a value. */
static jg_status render_variables(jg_out *t, const jg_token *tok, const jg_grant_facts *f,
	enum variable_style style, jg_error *err)
{
	struct variable v[5];
	list_variables(tok, f, v);
	for (size_t i = 0; i < 5; i++) {
		if (style != SHELL && strpbrk(v[i].value, "\r\n") != NULL)
			return jg_fail(err, i < 4 ? JG_ERR_PROTOCOL : JG_ERR_USAGE,
				"%s holds a line break, which %s lines cannot carry; use --output env or json",
				v[i].name, style == GITHUB ? "$GITHUB_ENV" : "Azure Pipelines logging command");
		if (style == GITHUB)
			put_plain_line(t, v[i].name, v[i].value);
		else if (style == AZURE)
			put_azure_line(t, v[i].name, v[i].value, i == 0);
		else
			put_shell_line(t, v[i].name, v[i].value);
	}
	return JG_OK;
}

/* The members of the sf envelope's result, in sf's order; a NULL value is written as null. */
static void list_result(const jg_token *tok, const jg_grant_facts *f, struct variable r[11])
{
	r[0] = (struct variable){ "accessToken", tok->access_token };
	r[1] = (struct variable){ "instanceUrl", tok->instance_url };
	r[2] = (struct variable){ "orgId", tok->org_id };
	r[3] = (struct variable){ "userId", tok->user_id };
	r[4] = (struct variable){ "username", f->username };
	r[5] = (struct variable){ "loginUrl", f->login_url };
	r[6] = (struct variable){ "clientId", f->client_id };
	r[7] = (struct variable){ "privateKey", f->private_key };
	r[8] = (struct variable){ "tokenType", tok->token_type };
	r[9] = (struct variable){ "scope", tok->scope };
	r[10] = (struct variable){ "id", tok->id };
}

/* {"status":0,"result":{"accessToken":…,…,"id":…},"warnings":[]} and a newline. */
static void render_json(jg_out *t, const jg_token *tok, const jg_grant_facts *f)
{
	struct variable r[11];
	list_result(tok, f, r);
	jg_out_puts(t, "{\"status\":0,\"result\":{");
	for (size_t i = 0; i < 11; i++) {
		if (i > 0)
			jg_out_puts(t, ",");
		jg_json_put_name(t, r[i].name);
		if (r[i].value != NULL)
			jg_json_put_string(t, r[i].value);
		else
			jg_out_puts(t, "null");
	}
	jg_out_puts(t, "},\"warnings\":[]}\n");
}

/* --- providers other than Salesforce (providers.md, "Outputs") ------------------------------ */

/* When the token expires, ISO 8601 UTC, or "" when not known. */
static void expiry_text(const jg_token *tok, char out[32])
{
	out[0] = '\0';
	if (tok->expires_at > 0)
		jg_clock_iso8601(tok->expires_at, out);
}

/* The variables: ACCESS_TOKEN and the provider's own names for it, then the expiry if known. */
static size_t list_provider_variables(const jg_token *tok, jg_provider p, const char *expires,
	struct variable v[4])
{
	size_t n = 0;
	v[n++] = (struct variable){ "ACCESS_TOKEN", tok->access_token };
	if (p == JG_PROVIDER_GOOGLE) { /* what the Cloud SDK and Terraform read */
		v[n++] = (struct variable){ "GOOGLE_OAUTH_ACCESS_TOKEN", tok->access_token };
		v[n++] = (struct variable){ "CLOUDSDK_AUTH_ACCESS_TOKEN", tok->access_token };
	}
	if (p == JG_PROVIDER_GITHUB) /* what gh reads; Actions refuses GITHUB_* in $GITHUB_ENV */
		v[n++] = (struct variable){ "GH_TOKEN", tok->access_token };
	if (expires[0] != '\0')
		v[n++] = (struct variable){ "ACCESS_TOKEN_EXPIRES_AT", expires };
	return n;
}

static void render_provider_variables(jg_out *t, const jg_token *tok, jg_provider p,
	enum variable_style style)
{
	char expires[32];
	struct variable v[4];
	expiry_text(tok, expires);
	size_t n = list_provider_variables(tok, p, expires, v);
	for (size_t i = 0; i < n; i++) {
		int secret = v[i].value == tok->access_token;
		if (style == GITHUB)
			put_plain_line(t, v[i].name, v[i].value);
		else if (style == AZURE)
			put_azure_line(t, v[i].name, v[i].value, secret);
		else
			put_shell_line(t, v[i].name, v[i].value);
	}
}

static void put_string_or_null(jg_out *t, const char *name, const char *value)
{
	jg_out_puts(t, ",");
	jg_json_put_name(t, name);
	if (value != NULL && value[0] != '\0')
		jg_json_put_string(t, value);
	else
		jg_out_puts(t, "null");
}

/* A GitHub token's: ,"installationId":N,"permissions":{…},"repositorySelection":"…". The
 * permissions are the compact JSON that jg_github_read_token (or the cache) checked and wrote. */
static void render_github_members(jg_out *t, const jg_token *tok)
{
	jg_out_puts(t, ",\"installationId\":");
	jg_json_put_integer(t, tok->installation_id);
	jg_out_puts(t, ",\"permissions\":");
	jg_out_puts(t, tok->permissions[0] != '\0' ? tok->permissions : "null");
	put_string_or_null(t, "repositorySelection", tok->repository_selection);
}

/* {"status":0,"result":{"provider":…,"accessToken":…,"tokenType":…,"expiresIn":N|null,
 * "expiresAt":…|null,"scope":…|null[, GitHub's members]},"warnings":[]} and a newline. */
static void render_provider_json(jg_out *t, const jg_token *tok, const jg_grant_facts *f)
{
	char expires[32];
	expiry_text(tok, expires);
	jg_out_puts(t, "{\"status\":0,\"result\":{\"provider\":");
	jg_json_put_string(t, jg_provider_name(f->provider));
	put_string_or_null(t, "accessToken", tok->access_token);
	put_string_or_null(t, "tokenType", tok->token_type);
	jg_out_puts(t, ",\"expiresIn\":");
	if (tok->expires_at > 0)
		jg_json_put_integer(t, tok->expires_at > f->now ? tok->expires_at - f->now : 0);
	else
		jg_out_puts(t, "null");
	put_string_or_null(t, "expiresAt", expires);
	put_string_or_null(t, "scope", tok->scope);
	if (f->provider == JG_PROVIDER_GITHUB)
		render_github_members(t, tok);
	jg_out_puts(t, "},\"warnings\":[]}\n");
}

/* "Obtained an access token for <who> (<provider>), expires <when or unknown>". */
static void render_provider_text(jg_out *t, const jg_token *tok, const jg_grant_facts *f)
{
	char expires[32];
	expiry_text(tok, expires);
	jg_out_puts(t, "Obtained an access token for ");
	jg_out_puts(t, f->who);
	jg_out_puts(t, " (");
	jg_out_puts(t, jg_provider_name(f->provider));
	jg_out_puts(t, "), expires ");
	jg_out_puts(t, expires[0] != '\0' ? expires : "unknown");
	jg_out_puts(t, "\n");
}

/* Another provider's output; its values were checked to be printable ASCII. */
static void render_provider(jg_out *t, const char *format, const jg_token *tok,
	const jg_grant_facts *f)
{
	if (strcmp(format, "json") == 0)
		render_provider_json(t, tok, f);
	else if (strcmp(format, "env") == 0)
		render_provider_variables(t, tok, f->provider, SHELL);
	else if (strcmp(format, "github") == 0)
		render_provider_variables(t, tok, f->provider, GITHUB);
	else if (strcmp(format, "azure") == 0)
		render_provider_variables(t, tok, f->provider, AZURE);
	else if (strcmp(format, "token") == 0) {
		jg_out_puts(t, tok->access_token);
		jg_out_puts(t, "\n");
	} else
		render_provider_text(t, tok, f);
}

/* Salesforce's output, as sf prints it. */
static jg_status render_salesforce(jg_out *t, const char *format, const jg_token *token,
	const jg_grant_facts *facts, jg_error *err)
{
	jg_status st = JG_OK;
	if (strcmp(format, "json") == 0) {
		render_json(t, token, facts);
	} else if (strcmp(format, "env") == 0) {
		st = render_variables(t, token, facts, SHELL, err);
	} else if (strcmp(format, "github") == 0) {
		st = render_variables(t, token, facts, GITHUB, err);
	} else if (strcmp(format, "azure") == 0) {
		st = render_variables(t, token, facts, AZURE, err);
	} else if (strcmp(format, "token") == 0) {
		jg_out_puts(t, token->access_token);
		jg_out_puts(t, "\n");
	} else {
		jg_out_puts(t, "Successfully authorized ");
		jg_out_puts(t, facts->username);
		jg_out_puts(t, " with org ID ");
		jg_out_puts(t, token->org_id);
		jg_out_puts(t, "\n");
	}
	return st;
}

jg_status jg_output_render(const char *format, const jg_token *token, const jg_grant_facts *facts,
	char *out, size_t cap, size_t *len, jg_error *err)
{
	jg_out t;
	jg_status st = JG_OK;
	jg_out_init(&t, out, cap);
	if (facts->provider == 0 || facts->provider == JG_PROVIDER_SALESFORCE)
		st = render_salesforce(&t, format, token, facts, err);
	else
		render_provider(&t, format, token, facts);
	if (st == JG_OK && t.failed)
		st = jg_fail(err, JG_ERR_PROTOCOL, "the output does not fit in %zu bytes", cap);
	if (st != JG_OK) {
		jg_wipe(out, t.len < cap ? t.len + 1 : cap);
		return st;
	}
	*len = t.len;
	return JG_OK;
}

size_t jg_output_mask_line(const jg_token *token, char *out, size_t cap)
{
	const char *actions = getenv("GITHUB_ACTIONS");
	if (actions == NULL || strcmp(actions, "true") != 0)
		return 0;
	jg_out t;
	jg_out_init(&t, out, cap);
	jg_out_puts(&t, "::add-mask::");
	for (const char *p = token->access_token; *p; p++) {
		/* the runner's escapes for a command's data: %, CR and LF */
		const char *escaped = *p == '%' ? "%25" : *p == '\r' ? "%0D" : *p == '\n' ? "%0A" : NULL;
		if (escaped != NULL)
			jg_out_puts(&t, escaped);
		else
			jg_out_put(&t, p, 1);
	}
	jg_out_puts(&t, "\n");
	if (t.failed) {
		jg_wipe(out, cap);
		return 0;
	}
	return t.len;
}

void jg_output_failure_json(const jg_error *err, jg_out *out)
{
	int code = jg_exit_code(err->status);
	jg_out_puts(out, "{\"status\":");
	jg_json_put_integer(out, code);
	jg_out_puts(out, ",\"name\":\"JwtGrantError\",\"message\":");
	jg_json_put_string(out, err->message);
	jg_out_puts(out, ",\"exitCode\":");
	jg_json_put_integer(out, code);
	jg_out_puts(out, ",\"code\":");
	jg_json_put_string(out, err->code[0] ? err->code : jg_status_code(err->status));
	jg_out_puts(out, ",\"commandName\":\"grant\",\"warnings\":[]}\n");
}
