/*
 * The generic provider's request (providers.md, "--provider generic"): the extra claims
 * (--claim NAME=STRING, NAME:=JSON), header members (--jwt-header, --x5t) and form fields
 * (--form) from the options, each checked before anything is signed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "cmd/cmd.h"
#include "crypto/base64.h"
#include "oauth/oauth.h"
#include "x509/cert.h"
#include "x509/cert_verify.h"

/* A copy of s[0..n) kept in g's text, or NULL when it is full. */
static const char *keep(jg_cmd_generic *g, const char *s, size_t n)
{
	if (n + 1 > sizeof g->text - g->text_used)
		return NULL;
	char *copy = g->text + g->text_used;
	memcpy(copy, s, n);
	copy[n] = '\0';
	g->text_used += n + 1;
	return copy;
}

/* A member name: printable ASCII but '"', '\' and '='. */
static int is_member_name(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] < 0x21 || s[i] > 0x7e || s[i] == '"' || s[i] == '\\' || s[i] == '=')
			return 0;
	}
	return n > 0 && n <= 256;
}

/* The option that sets a claim jwtgrant writes itself, or NULL for any other name. */
static const char *reserved_claim(const char *name)
{
	static const char *const reserved[][2] = { { "iss", "--issuer" }, { "sub", "--jwt-subject" },
		{ "aud", "--audience" }, { "exp", "--lifetime" }, { "iat", "--lifetime" },
		{ "jti", "--jti" } };
	for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++) {
		if (strcmp(name, reserved[i][0]) == 0)
			return reserved[i][1];
	}
	return NULL;
}

static int already_named(const jg_jwt_member *m, size_t count, const char *name)
{
	for (size_t i = 0; i < count; i++) {
		if (strcmp(m[i].name, name) == 0)
			return 1;
	}
	return 0;
}

/* JSON text that is not a string, made compact by cJSON into *out (kept in g). */
static jg_status json_value(jg_cmd_generic *g, const char *name, const char *text, const char **out,
	jg_error *err)
{
	size_t len = strlen(text);
	cJSON *json = jg_oauth_strict_json_text(text, len) ? cJSON_ParseWithLength(text, len) : NULL;
	char *compact = json != NULL && !cJSON_IsString(json) ? cJSON_PrintUnformatted(json) : NULL;
	*out = compact != NULL && strlen(compact) <= JG_CLAIM_MAX ? keep(g, compact, strlen(compact)) :
		NULL;
	cJSON_free(compact);
	cJSON_Delete(json);
	if (*out == NULL)
		return jg_fail(err, JG_ERR_USAGE, "--claim %.64s:=…: the value is not a JSON number, "
			"true, false, null, array or object of at most %d bytes (a string: %.64s=TEXT)", name,
			JG_CLAIM_MAX, name);
	return JG_OK;
}

/* --claim NAME=STRING or NAME:=JSON. */
static jg_status add_claim(jg_cmd_generic *g, const char *item, jg_error *err)
{
	size_t eq = strcspn(item, "="), n = eq > 0 && item[eq - 1] == ':' ? eq - 1 : eq;
	jg_jwt_member *m = &g->claims[g->claim_count];
	const char *name = item[eq] == '=' && is_member_name(item, n) ? keep(g, item, n) : NULL;
	if (name == NULL)
		return jg_fail(err, JG_ERR_USAGE, "--claim takes NAME=STRING or NAME:=JSON, the name "
			"printable ASCII without '\"', '\\' or '='");
	if (reserved_claim(name) != NULL || already_named(g->claims, g->claim_count, name))
		return jg_fail(err, JG_ERR_USAGE, "--claim %s: %s%s", name, reserved_claim(name) ?
			"jwtgrant writes that claim; use " : "given twice",
			reserved_claim(name) ? reserved_claim(name) : "");
	m->name = name;
	m->raw = n < eq;
	if (!m->raw)
		m->text = item + eq + 1;
	else if (json_value(g, name, item + eq + 1, &m->text, err) != JG_OK)
		return JG_ERR_USAGE;
	g->claim_count++;
	return JG_OK;
}

/* --jwt-header NAME=STRING; alg and typ are jwtgrant's. */
static jg_status add_header(jg_cmd_generic *g, const char *item, jg_error *err)
{
	size_t eq = strcspn(item, "=");
	const char *name = item[eq] == '=' && is_member_name(item, eq) ? keep(g, item, eq) : NULL;
	if (name == NULL)
		return jg_fail(err, JG_ERR_USAGE, "--jwt-header takes NAME=STRING, e.g. kid=KEY-ID");
	if (strcmp(name, "alg") == 0 || strcmp(name, "typ") == 0 || strcmp(name, "x5t") == 0 ||
		already_named(g->headers, g->header_count, name))
		return jg_fail(err, JG_ERR_USAGE, "--jwt-header %s: %s", name, strcmp(name, "x5t") == 0 ?
			"give --x5t with --cert" : already_named(g->headers, g->header_count, name) ?
			"given twice" : "alg and typ are RS256 and JWT, and cannot be changed");
	g->headers[g->header_count++] = (jg_jwt_member){ .name = name, .text = item + eq + 1 };
	return JG_OK;
}

/* --x5t: base64url of the SHA-1 of --cert's DER (RFC 7515, section 4.1.7). */
static jg_status add_x5t(const jg_options *o, jg_cmd_generic *g, jg_error *err)
{
	static unsigned char der[JG_CERT_DER_MAX];
	unsigned char sha1[br_sha1_SIZE];
	size_t der_len = 0;
	br_sha1_context hc;
	if (o->cert == NULL)
		return jg_fail(err, JG_ERR_USAGE, "--x5t needs --cert FILE, the certificate registered "
			"for the key");
	jg_status st = jg_cmd_load_cert(o->cert, der, sizeof der, &der_len, &g->cert, err);
	if (st != JG_OK)
		return st;
	br_sha1_init(&hc);
	br_sha1_update(&hc, der, der_len);
	br_sha1_out(&hc, sha1);
	(void)jg_base64_encode(sha1, sizeof sha1, g->x5t, sizeof g->x5t, JG_B64_URL);
	g->headers[g->header_count++] = (jg_jwt_member){ .name = "x5t", .text = g->x5t };
	return JG_OK;
}

jg_status jg_cmd_generic_check_cert(const jg_options *o, const jg_cmd_generic *g,
	const jg_key *key, jg_error *err)
{
	if (g->x5t[0] == '\0' || jg_cert_holds_rsa_key(&g->cert, &key->pk))
		return JG_OK;
	return jg_fail(err, JG_ERR_INPUT, "--cert %.200s does not hold the public key of the key "
		"that signs, so --x5t would name another certificate; give the certificate registered "
		"for this key (jwtgrant check --jwt-key-file KEY --cert CERT compares them)", o->cert);
}

/* --form NAME=VALUE, but not a field jwtgrant writes itself. */
static jg_status check_forms(const jg_options *o, jg_error *err)
{
	static const char *const ours[] = { "grant_type", "assertion", "client_assertion",
		"client_assertion_type", "scope" };
	for (size_t i = 0; i < o->forms.count; i++) {
		const char *f = o->forms.items[i];
		size_t eq = strcspn(f, "=");
		if (eq == 0 || f[eq] != '=')
			return jg_fail(err, JG_ERR_USAGE, "--form takes NAME=VALUE");
		for (size_t k = 0; k < sizeof ours / sizeof ours[0]; k++) {
			if (strlen(ours[k]) == eq && strncmp(f, ours[k], eq) == 0)
				return jg_fail(err, JG_ERR_USAGE, "--form %s: jwtgrant writes that field%s",
					ours[k], k == 4 ? "; use --scope" : "");
		}
	}
	return JG_OK;
}

jg_status jg_cmd_generic_prepare(const jg_options *o, jg_cmd_generic *g, jg_error *err)
{
	jg_status st = check_forms(o, err);
	memset(g, 0, sizeof *g);
	for (size_t i = 0; st == JG_OK && i < o->claims.count; i++)
		st = add_claim(g, o->claims.items[i], err);
	for (size_t i = 0; st == JG_OK && i < o->headers.count; i++)
		st = add_header(g, o->headers.items[i], err);
	if (st == JG_OK && o->x5t)
		st = add_x5t(o, g, err);
	else if (st == JG_OK && o->cert != NULL)
		st = jg_fail(err, JG_ERR_USAGE, "--cert goes with --x5t");
	g->form.client_assertion = o->client_assertion;
	g->form.scope = o->scope;
	g->form.extra = o->forms.items;
	g->form.extra_count = o->forms.count;
	return st;
}
