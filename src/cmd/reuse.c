/*
 * The token cache as the commands use it: the request tuple that names an entry, and opening
 * the cache with its lock (cli.md, "Token reuse, revocation, CI log masking").
 */
#include <stdio.h>

#include "cmd/cmd.h"
#include "crypto/sha256.h"
#include "oauth/oauth.h"
#include "x509/der.h"

/* The public key's fingerprint as check prints it: the SHA-256 of its SubjectPublicKeyInfo DER
 * ("" in the unreachable case of a key too large for it: the other fields still name the request). */
static void key_fingerprint(const jg_key *key, char out[65])
{
	unsigned char spki[JG_DER_RSA_SPKI_MAX];
	size_t len = 0;
	jg_error ignored;
	out[0] = '\0';
	if (jg_der_rsa_spki(&key->pk, spki, sizeof spki, &len, &ignored) == JG_OK)
		jg_sha256_hex(spki, len, out);
}

/*
 * The generic request's tuple: its shape, token URL, iss, sub, aud, scope, every extra claim,
 * (its name, kind and value), header member (name, value) and form field, and the key's
 * fingerprint.
 */
static void generic_name(const jg_cmd_request *rq, const char *fingerprint,
	char name[JG_CACHE_NAME_LEN + 1])
{
	const jg_cmd_generic *g = &rq->generic;
	const jg_assertion *c = &rq->claims;
	const char *tuple[7 + 3 * JG_CLI_LIST_MAX + 2 * (JG_CLI_LIST_MAX + 1) + JG_CLI_LIST_MAX + 1];
	size_t n = 0;
	tuple[n++] = "generic";
	tuple[n++] = g->form.client_assertion ? "client_assertion" : "bearer";
	tuple[n++] = rq->token_url;
	tuple[n++] = c->issuer;
	tuple[n++] = c->subject != NULL ? c->subject : "";
	tuple[n++] = c->audience;
	tuple[n++] = g->form.scope != NULL ? g->form.scope : "";
	for (size_t i = 0; i < g->claim_count; i++) {
		tuple[n++] = g->claims[i].name;
		tuple[n++] = g->claims[i].raw ? "json" : "string"; /* n=1 and n:=1 differ */
		tuple[n++] = g->claims[i].text;
	}
	for (size_t i = 0; i < g->header_count; i++) {
		tuple[n++] = g->headers[i].name;
		tuple[n++] = g->headers[i].text;
	}
	for (size_t i = 0; i < g->form.extra_count; i++)
		tuple[n++] = g->form.extra[i];
	tuple[n++] = fingerprint;
	jg_cache_name(tuple, n, name);
}

/*
 * A GitHub App's tuple: the API URL, iss, the installation as given (its id, or how it is looked
 * up and the name), the request body (the narrowing) and the key's fingerprint.
 */
static void github_name(const jg_cmd_request *rq, const char *fingerprint,
	char name[JG_CACHE_NAME_LEN + 1])
{
	static const char *const by[] = { "id", "repo", "org", "user" };
	const jg_cmd_github *gh = &rq->github;
	char id[24] = "";
	if (gh->name == NULL)
		(void)snprintf(id, sizeof id, "%lld", gh->installation_id);
	const char *tuple[] = { "github", rq->token_url, rq->claims.issuer, by[gh->by],
		gh->name != NULL ? gh->name : id, gh->body, fingerprint };
	jg_cache_name(tuple, sizeof tuple / sizeof tuple[0], name);
}

void jg_cmd_cache_name(const jg_cmd_request *rq, char name[JG_CACHE_NAME_LEN + 1])
{
	char fingerprint[65];
	const jg_assertion *c = &rq->claims;
	key_fingerprint(&rq->key, fingerprint);
	if (rq->provider == JG_PROVIDER_SALESFORCE) {
		const char *tuple[] = { "salesforce", rq->token_url, c->issuer, c->subject, c->audience,
			fingerprint };
		jg_cache_name(tuple, sizeof tuple / sizeof tuple[0], name);
		return;
	}
	if (rq->provider == JG_PROVIDER_GOOGLE) {
		const char *tuple[] = { "google", rq->token_url, c->issuer, c->subject ? c->subject : "",
			c->scope, c->audience, c->key_id, fingerprint };
		jg_cache_name(tuple, sizeof tuple / sizeof tuple[0], name);
		return;
	}
	if (rq->provider == JG_PROVIDER_GITHUB) {
		github_name(rq, fingerprint, name);
		return;
	}
	generic_name(rq, fingerprint, name);
}

jg_status jg_cmd_cache_open(const jg_options *o, const char *name, int64_t deadline_ms,
	jg_cache *c, jg_error *err)
{
	char dir[sizeof c->dir];
	jg_status st = jg_cache_dir_choose(o->cache_dir, dir, sizeof dir, err);
	if (st == JG_OK)
		st = jg_cache_open(c, dir, err);
	if (st == JG_OK && name != NULL)
		st = jg_cache_lock(c, name, deadline_ms, err);
	if (st != JG_OK)
		jg_cache_close(c);
	return st;
}

void jg_cmd_warn(const jg_error *w)
{
	(void)fprintf(stderr, "jwtgrant: warning: %s\n", w->message);
}
