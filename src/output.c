#include "output.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <cJSON.h>

#include "wipe.h"

/* A growing string in the caller's buffer; `overflow` is sticky, checked once at the end. */
struct text {
	char *buf;
	size_t cap, len;
	int overflow;
};

static void put(struct text *t, const char *s, size_t n)
{
	if (t->overflow || n >= t->cap - t->len) {
		t->overflow = 1;
		return;
	}
	memcpy(t->buf + t->len, s, n);
	t->len += n;
	t->buf[t->len] = '\0';
}

static void puts_text(struct text *t, const char *s)
{
	put(t, s, strlen(s));
}

/* NAME='value' with each ' written as '\'' so that a POSIX shell reads value back exactly. */
static void put_shell_line(struct text *t, const char *name, const char *value)
{
	puts_text(t, name);
	puts_text(t, "='");
	for (const char *p = value; *p; p++) {
		if (*p == '\'')
			puts_text(t, "'\\''");
		else
			put(t, p, 1);
	}
	puts_text(t, "'\n");
}

static void put_plain_line(struct text *t, const char *name, const char *value)
{
	puts_text(t, name);
	puts_text(t, "=");
	puts_text(t, value);
	puts_text(t, "\n");
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

static jg_status render_variables(struct text *t, const jg_token *tok, const jg_grant_facts *f,
	int github, jg_error *err)
{
	struct variable v[5];
	list_variables(tok, f, v);
	for (size_t i = 0; i < 5; i++) {
		if (github && strpbrk(v[i].value, "\r\n") != NULL)
			return jg_fail(err, github && i < 4 ? JG_ERR_PROTOCOL : JG_ERR_USAGE,
				"%s holds a line break, which $GITHUB_ENV lines cannot carry; use --output env or json",
				v[i].name);
		if (github)
			put_plain_line(t, v[i].name, v[i].value);
		else
			put_shell_line(t, v[i].name, v[i].value);
	}
	return JG_OK;
}

static jg_status render_json(struct text *t, const jg_token *tok, const jg_grant_facts *f,
	jg_error *err)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *result = cJSON_CreateObject();
	if (root == NULL || result == NULL) {
		cJSON_Delete(root);
		cJSON_Delete(result);
		return jg_fail(err, JG_ERR_INPUT, "out of memory writing the JSON output");
	}
	cJSON_AddNumberToObject(root, "status", 0);
	cJSON_AddItemToObject(root, "result", result);
	cJSON_AddStringToObject(result, "accessToken", tok->access_token);
	cJSON_AddStringToObject(result, "instanceUrl", tok->instance_url);
	cJSON_AddStringToObject(result, "orgId", tok->org_id);
	cJSON_AddStringToObject(result, "userId", tok->user_id);
	cJSON_AddStringToObject(result, "username", f->username);
	cJSON_AddStringToObject(result, "loginUrl", f->login_url);
	cJSON_AddStringToObject(result, "clientId", f->client_id);
	if (f->private_key != NULL)
		cJSON_AddStringToObject(result, "privateKey", f->private_key);
	else
		cJSON_AddNullToObject(result, "privateKey");
	cJSON_AddStringToObject(result, "tokenType", tok->token_type);
	cJSON_AddStringToObject(result, "scope", tok->scope);
	cJSON_AddStringToObject(result, "id", tok->id);
	cJSON_AddItemToObject(root, "warnings", cJSON_CreateArray());
	char *json = cJSON_PrintUnformatted(root);
	/* The tree's copy of the token dies with the tree; wipe it first. */
	cJSON *copy = cJSON_GetObjectItemCaseSensitive(result, "accessToken");
	if (cJSON_IsString(copy))
		jg_wipe(copy->valuestring, strlen(copy->valuestring));
	cJSON_Delete(root);
	if (json == NULL)
		return jg_fail(err, JG_ERR_INPUT, "out of memory writing the JSON output");
	puts_text(t, json);
	puts_text(t, "\n");
	jg_wipe(json, strlen(json));
	cJSON_free(json);
	return JG_OK;
}

jg_status jg_output_render(const char *format, const jg_token *token, const jg_grant_facts *facts,
	char *out, size_t cap, size_t *len, jg_error *err)
{
	struct text t = { out, cap, 0, cap == 0 };
	jg_status st = JG_OK;
	if (cap > 0)
		out[0] = '\0';
	if (strcmp(format, "json") == 0) {
		st = render_json(&t, token, facts, err);
	} else if (strcmp(format, "env") == 0 || strcmp(format, "github") == 0) {
		st = render_variables(&t, token, facts, strcmp(format, "github") == 0, err);
	} else if (strcmp(format, "token") == 0) {
		puts_text(&t, token->access_token);
		puts_text(&t, "\n");
	} else {
		puts_text(&t, "Successfully authorized ");
		puts_text(&t, facts->username);
		puts_text(&t, " with org ID ");
		puts_text(&t, token->org_id);
		puts_text(&t, "\n");
	}
	if (st == JG_OK && t.overflow)
		st = jg_fail(err, JG_ERR_PROTOCOL, "the output does not fit in %zu bytes", cap);
	if (st != JG_OK) {
		jg_wipe(out, t.len < cap ? t.len + 1 : cap);
		return st;
	}
	*len = t.len;
	return JG_OK;
}
