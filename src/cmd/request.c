/*
 * What grant and assertion sign, and where grant sends it, for each provider (providers.md):
 * the key, the assertion's claims and the token endpoint. Salesforce's come from the options
 * (--client-id, --username, --jwt-key-*, --instance-url); a Google service account's from its
 * JSON key file and --scope; a generic endpoint's and a GitHub App's from their options.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/trace.h"
#include "base/utf8.h"
#include "base/wipe.h"
#include "cmd/cmd.h"
#include "net/url.h"
#include "oauth/oauth.h"

static jg_status prepare_salesforce(const jg_options *o, jg_cmd_request *rq, jg_error *err)
{
	jg_status st = jg_cmd_require_grant_inputs(o, err);
	if (st == JG_OK)
		st = jg_cmd_load_key(o, &rq->key, NULL, err);
	if (st == JG_OK)
		st = jg_cmd_assertion_from_options(o, &rq->claims, err);
	rq->server = o->instance_url;
	rq->path_suffix = JG_OAUTH_TOKEN_PATH;
	rq->who = o->username;
	(void)snprintf(rq->token_url, sizeof rq->token_url, "%s%s", o->instance_url,
		JG_OAUTH_TOKEN_PATH);
	return st;
}

/* --credentials, else GOOGLE_APPLICATION_CREDENTIALS, as Google's libraries read it. */
static jg_status credentials_path(const jg_options *o, const char **path, const char **what,
	jg_error *err)
{
	const char *env = getenv("GOOGLE_APPLICATION_CREDENTIALS");
	*path = o->credentials;
	*what = "--credentials";
	if (*path == NULL && env != NULL && *env != '\0') {
		*path = env;
		*what = "GOOGLE_APPLICATION_CREDENTIALS";
	}
	if (*path == NULL)
		return jg_fail(err, JG_ERR_USAGE, "no service account key file: give --credentials FILE "
			"or set GOOGLE_APPLICATION_CREDENTIALS");
	return JG_OK;
}

/* The options a Google grant needs, and valid UTF-8 in those that become claims. */
static jg_status require_google_inputs(const jg_options *o, jg_error *err)
{
	if (o->scope[0] == '\0')
		return jg_fail(err, JG_ERR_USAGE, "missing --scope: the scope the token is for, e.g. "
			"--scope https://www.googleapis.com/auth/cloud-platform (repeat it for more)");
	const char *claims[] = { o->jwt_subject, o->audience };
	const char *names[] = { "--jwt-subject", "--audience" };
	for (size_t i = 0; i < 2; i++) {
		if (claims[i] != NULL && !jg_utf8_valid(claims[i], strlen(claims[i])))
			return jg_fail(err, JG_ERR_USAGE, "%s is not valid UTF-8 text; give it as UTF-8",
				names[i]);
	}
	return JG_OK;
}

static jg_status prepare_google(const jg_options *o, jg_cmd_request *rq, jg_error *err)
{
	const char *path = NULL, *what = NULL;
	jg_google_account *a = &rq->google;
	jg_status st = require_google_inputs(o, err);
	if (st == JG_OK)
		st = credentials_path(o, &path, &what, err);
	if (st == JG_OK)
		st = jg_google_read_account(path, what, a, &rq->key, err);
	if (st != JG_OK)
		return st;
	memset(&rq->claims, 0, sizeof rq->claims);
	rq->claims.issuer = a->client_email;
	rq->claims.subject = o->jwt_subject;
	rq->claims.scope = o->scope;
	rq->claims.audience = o->audience != NULL ? o->audience : a->token_uri;
	rq->claims.key_id = a->key_id;
	rq->claims.lifetime = o->lifetime;
	rq->server = o->token_url != NULL ? o->token_url : a->token_uri;
	rq->path_suffix = "";
	jg_url url;
	if (jg_url_parse(rq->server, &url, err) != JG_OK)
		return jg_fail(err, o->token_url != NULL ? JG_ERR_USAGE : JG_ERR_INPUT, "the token URL "
			"%.200s (%s) is not one jwtgrant can use: https://HOST[:PORT][/PATH], no query; give "
			"another with --token-url", rq->server, o->token_url != NULL ? "--token-url" : path);
	rq->who = a->client_email;
	(void)snprintf(rq->token_url, sizeof rq->token_url, "%s", rq->server);
	jg_trace("service account %s, key id %s, token URL %s, audience %s, lifetime %ld s",
		a->client_email, a->key_id, rq->server, rq->claims.audience, rq->claims.lifetime);
	return JG_OK;
}

/* The generic provider's inputs that go together, or not at all. */
static jg_status require_generic_inputs(const jg_options *o, jg_error *err)
{
	if (o->token_url == NULL)
		return jg_fail(err, JG_ERR_USAGE, "missing --token-url: the token endpoint, e.g. "
			"https://auth.example.com/oauth2/token");
	if (o->client_assertion && o->client_id == NULL)
		return jg_fail(err, JG_ERR_USAGE, "--client-assertion needs --client-id: the client, "
			"which is the assertion's iss and sub");
	if (o->client_assertion && (o->issuer != NULL || o->jwt_subject != NULL))
		return jg_fail(err, JG_ERR_USAGE, "with --client-assertion, iss and sub are --client-id: "
			"leave out --issuer and --jwt-subject");
	if (o->issuer == NULL && o->client_id == NULL)
		return jg_fail(err, JG_ERR_USAGE, "missing --issuer (or --client-id): the assertion's iss");
	const char *texts[] = { o->issuer, o->client_id, o->jwt_subject, o->audience };
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		if (texts[i] != NULL && !jg_utf8_valid(texts[i], strlen(texts[i])))
			return jg_fail(err, JG_ERR_USAGE, "a claim's option is not valid UTF-8 text; give it as "
				"UTF-8");
	}
	return JG_OK;
}

static jg_status prepare_generic(const jg_options *o, jg_cmd_request *rq, jg_error *err)
{
	jg_url url;
	jg_status st = require_generic_inputs(o, err);
	if (st == JG_OK && jg_url_parse(o->token_url, &url, err) != JG_OK)
		st = jg_fail(err, JG_ERR_USAGE, "--token-url %.200s is not one jwtgrant can use: "
			"https://HOST[:PORT][/PATH], no query", o->token_url);
	if (st == JG_OK)
		st = jg_cmd_generic_prepare(o, &rq->generic, err);
	if (st == JG_OK)
		st = jg_cmd_load_key(o, &rq->key, NULL, err);
	if (st == JG_OK)
		st = jg_cmd_generic_check_cert(o, &rq->generic, &rq->key, err);
	if (st != JG_OK)
		return st;
	jg_assertion *a = &rq->claims;
	memset(a, 0, sizeof *a);
	a->issuer = o->client_assertion || o->issuer == NULL ? o->client_id : o->issuer;
	a->subject = o->client_assertion ? o->client_id : o->jwt_subject;
	a->audience = o->audience != NULL ? o->audience : o->token_url;
	a->lifetime = o->lifetime;
	a->jti = o->jti || o->client_assertion;
	a->extra_claims = rq->generic.claims;
	a->extra_claim_count = rq->generic.claim_count;
	a->extra_headers = rq->generic.headers;
	a->extra_header_count = rq->generic.header_count;
	rq->server = o->token_url;
	rq->path_suffix = "";
	rq->who = a->issuer;
	(void)snprintf(rq->token_url, sizeof rq->token_url, "%s", o->token_url);
	jg_trace("%s to %s, iss %s, audience %s, lifetime %ld s", o->client_assertion ?
		"client assertion" : "bearer grant", o->token_url, a->issuer, a->audience, a->lifetime);
	return JG_OK;
}

/* --client-id or --app-id, one of them: the App's JWT's iss. */
static jg_status github_issuer(const jg_options *o, const char **iss, jg_error *err)
{
	if (o->client_id != NULL && o->app_id != NULL)
		return jg_fail(err, JG_ERR_USAGE, "give --client-id or --app-id, not both: either names "
			"the App (the client ID is GitHub's preferred one)");
	*iss = o->client_id != NULL ? o->client_id : o->app_id;
	if (*iss == NULL)
		return jg_fail(err, JG_ERR_USAGE, "missing --client-id (or --app-id): the App's client ID, "
			"shown in the App's settings > General > About");
	if (o->app_id != NULL && (strspn(o->app_id, "0123456789") != strlen(o->app_id) ||
			strlen(o->app_id) > 15))
		return jg_fail(err, JG_ERR_USAGE, "--app-id takes the App's numeric ID, e.g. 123456");
	if (!jg_utf8_valid(*iss, strlen(*iss)))
		return jg_fail(err, JG_ERR_USAGE, "--client-id is not valid UTF-8 text; give it as UTF-8");
	return JG_OK;
}

static jg_status prepare_github(const jg_options *o, jg_cmd_request *rq, jg_error *err)
{
	const char *iss = NULL;
	jg_url url;
	rq->server = o->api_url != NULL ? o->api_url : JG_GITHUB_API_URL;
	jg_status st = github_issuer(o, &iss, err);
	if (st == JG_OK && jg_url_parse(rq->server, &url, err) != JG_OK)
		st = jg_fail(err, JG_ERR_USAGE, "--api-url %.200s is not one jwtgrant can use: "
			"https://HOST[:PORT][/PATH], no query (GitHub Enterprise Server: https://HOST/api/v3)",
			rq->server);
	/* assertion needs no installation: it only signs the App's JWT */
	if (st == JG_OK && (o->command == JG_CMD_GRANT || o->installation_id != NULL ||
			o->repo != NULL || o->org != NULL || o->installation_user != NULL))
		st = jg_cmd_github_prepare(o, &rq->github, err);
	if (st == JG_OK)
		st = jg_cmd_load_key(o, &rq->key, NULL, err);
	if (st != JG_OK)
		return st;
	jg_assertion *a = &rq->claims;
	memset(a, 0, sizeof *a);
	a->issuer = iss;
	a->times_first = 1;
	a->backdate = JG_GITHUB_JWT_BACKDATE;
	a->lifetime = JG_GITHUB_JWT_LIFETIME;
	rq->path_suffix = "";
	rq->who = rq->github.who;
	(void)snprintf(rq->token_url, sizeof rq->token_url, "%s", rq->server);
	jg_trace("GitHub App %s, API %s, %s", iss, rq->server, rq->github.who);
	return JG_OK;
}

jg_status jg_cmd_request_prepare(const jg_options *o, jg_cmd_request *rq, jg_error *err)
{
	rq->provider = o->provider;
	if (o->provider == JG_PROVIDER_GITHUB)
		return prepare_github(o, rq, err);
	if (o->provider == JG_PROVIDER_GOOGLE)
		return prepare_google(o, rq, err);
	if (o->provider == JG_PROVIDER_GENERIC)
		return prepare_generic(o, rq, err);
	return prepare_salesforce(o, rq, err);
}

jg_status jg_cmd_request_body(const jg_cmd_request *rq, const char *jwt, char *out, size_t cap,
	size_t *len, jg_error *err)
{
	static const jg_oauth_form bearer = { 0 }; /* Salesforce's and Google's: nothing more */
	const jg_oauth_form *form = rq->provider == JG_PROVIDER_GENERIC ? &rq->generic.form : &bearer;
	return jg_oauth_build_form(form, jwt, out, cap, len, err);
}

void jg_cmd_request_wipe(jg_cmd_request *rq)
{
	jg_key_wipe(&rq->key);
	jg_wipe(&rq->google, sizeof rq->google);
}
