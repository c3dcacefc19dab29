/*
 * grant --provider github (providers.md): a GitHub App's installation access token. The App's
 * JWT (iat now-60, exp now+540, iss its client ID or App ID) authorizes two requests, each on a
 * connection of its own under the command's --max-time: the installation lookup
 * (GET /repos/OWNER/NAME/installation, /orgs/ORG/installation or /users/USER/installation),
 * skipped when --installation-id gives it, then POST /app/installations/N/access_tokens with {}
 * or the narrowing, answered 201 with the token.
 */
#include <stdio.h>
#include <string.h>

#include "base/ascii.h"
#include "base/clock.h"
#include "base/trace.h"
#include "base/wipe.h"
#include "cmd/cmd.h"
#include "crypto/jwt.h"
#include "oauth/github.h"
#include "oauth/https.h"

/* Which of --installation-id, --repo, --org, --installation-user was given: exactly one. */
static jg_status choose_lookup(const jg_options *o, jg_cmd_github *gh, jg_error *err)
{
	const char *given[] = { o->installation_id, o->repo, o->org, o->installation_user };
	size_t count = 0;
	for (size_t i = 0; i < 4; i++) {
		if (given[i] != NULL) {
			gh->by = (jg_github_lookup)i;
			gh->name = given[i];
			count++;
		}
	}
	if (count == 0)
		return jg_fail(err, JG_ERR_USAGE, "missing the installation: give --installation-id N, "
			"or --repo OWNER/NAME, --org ORG or --installation-user USER to find it");
	if (count > 1)
		return jg_fail(err, JG_ERR_USAGE, "give one of --installation-id, --repo, --org and "
			"--installation-user, not several");
	return JG_OK;
}

/* The installation named by its id, or the name to look it up by; "who" for the output. */
static jg_status read_installation(jg_cmd_github *gh, jg_error *err)
{
	const char *why = NULL;
	long long id = 0;
	if (gh->by != JG_GITHUB_BY_ID) {
		if (!jg_github_name_ok(gh->by, gh->name, &why))
			return jg_fail(err, JG_ERR_USAGE, "%s", why);
		(void)snprintf(gh->who, sizeof gh->who, "%s", gh->name);
		gh->installation_id = 0;
		return JG_OK;
	}
	if (!jg_ascii_parse_integer(gh->name, 1, 9007199254740992LL, &id))
		return jg_fail(err, JG_ERR_USAGE, "--installation-id takes the installation's number, "
			"e.g. 12345678 (the end of its settings URL)");
	gh->installation_id = id;
	gh->name = NULL;
	(void)snprintf(gh->who, sizeof gh->who, "installation %lld", id);
	return JG_OK;
}

jg_status jg_cmd_github_prepare(const jg_options *o, jg_cmd_github *gh, jg_error *err)
{
	memset(gh, 0, sizeof *gh);
	jg_status st = choose_lookup(o, gh, err);
	if (st == JG_OK)
		st = read_installation(gh, err);
	if (st == JG_OK)
		st = jg_github_token_body(o->repositories, o->permissions.items, o->permissions.count,
			gh->body, sizeof gh->body, &gh->body_len, err);
	return st;
}

/* One request to the API: path after the API URL's own, the JWT in the Authorization. */
typedef struct api_call {
	const char *method;
	const char *path;          /* e.g. "/app/installations/1/access_tokens" */
	const char *body;          /* NULL for the GET */
	size_t body_len;
} api_call;

static jg_status call_api(const jg_options *o, const jg_cmd_transport *net, const api_call *c,
	int64_t now, int64_t deadline_ms, jg_cmd_exchange *x, jg_error *err)
{
	char path[JG_URL_PATH_MAX + 256];
	(void)snprintf(path, sizeof path, "%s%s", net->url.path, c->path);
	jg_https_post rq = {
		.url = &net->url, .proxy = &net->proxy, .path = path, .body = c->body,
		.body_len = c->body_len, .method = c->method, .accept = JG_GITHUB_ACCEPT,
		.content_type = c->body != NULL ? "application/json" : NULL,
		.authorization = x->authorization, .extra = JG_GITHUB_API_VERSION, .trust = &net->trust,
		.now = now, .connect_timeout_ms = o->connect_timeout_ms, .deadline_ms = deadline_ms,
	};
	jg_http_reader_wipe(x->reader); /* the last answer */
	return jg_https_post_run(&rq, x->reader, x->answer, x->answer_cap, err);
}

/* "Bearer <JWT>" into x->authorization: a JWT signed now. */
static jg_status authorize(const jg_cmd_request *rq, int64_t now, jg_cmd_exchange *x,
	jg_error *err)
{
	static const char bearer[] = "Bearer ";
	size_t len = 0;
	jg_status st = jg_jwt_make_assertion(&rq->claims, now, &rq->key.sk, &rq->key.pk, x->jwt,
		x->jwt_cap, &len, err);
	if (st == JG_OK && len + sizeof bearer > x->authorization_cap)
		st = jg_fail(err, JG_ERR_USAGE, "the JWT does not fit in the Authorization header");
	if (st == JG_OK) { /* memcpy, not snprintf: see jg_copy_secret */
		memcpy(x->authorization, bearer, sizeof bearer - 1);
		memcpy(x->authorization + sizeof bearer - 1, x->jwt, len + 1);
		x->authorization_len = sizeof bearer - 1 + len;
	}
	jg_wipe(x->jwt, len); /* a builder that fails wipes its output */
	return st;
}

/* Whether the failure of a request may be tried again: the network, or a 5xx/429 answer. */
static int may_retry(jg_status st, const jg_http_reader *answer)
{
	return st == JG_ERR_NETWORK ||
		(st == JG_ERR_PROTOCOL && answer->complete && jg_oauth_status_retryable(answer->status));
}

/* GET the installation of the repository, organisation or user: its id into rq->github. */
static jg_status look_up(const jg_options *o, jg_cmd_request *rq, const jg_cmd_transport *net,
	int64_t now, int64_t deadline_ms, jg_cmd_exchange *x, int *retryable, jg_error *err)
{
	char path[256], request[160];
	jg_github_lookup_path(rq->github.by, rq->github.name, path, sizeof path);
	const api_call c = { .method = "GET", .path = path };
	jg_status st = call_api(o, net, &c, now, deadline_ms, x, err);
	(void)snprintf(request, sizeof request, "installation lookup for %s", rq->github.name);
	jg_refusal_context ctx = { .provider = JG_PROVIDER_GITHUB, .instance_url = rq->server,
		.request = request, .local_now = now };
	if (st == JG_OK)
		st = jg_github_read_installation(x->reader, &ctx, &rq->github.installation_id, err);
	if (st == JG_OK)
		jg_trace("%s is installation %lld", rq->github.name, rq->github.installation_id);
	*retryable = may_retry(st, x->reader);
	return st;
}

/* POST for the installation's token (narrowed by the body) into x->token. */
static jg_status ask_token(const jg_options *o, jg_cmd_request *rq, const jg_cmd_transport *net,
	int64_t now, int64_t deadline_ms, jg_cmd_exchange *x, int *retryable, jg_error *err)
{
	char path[128], request[96];
	jg_github_token_path(rq->github.installation_id, path, sizeof path);
	const api_call c = { .method = "POST", .path = path, .body = rq->github.body,
		.body_len = rq->github.body_len };
	jg_status st = call_api(o, net, &c, now, deadline_ms, x, err);
	(void)snprintf(request, sizeof request, "token request for installation %lld",
		rq->github.installation_id);
	jg_refusal_context ctx = { .provider = JG_PROVIDER_GITHUB, .instance_url = rq->server,
		.request = request, .local_now = now };
	if (st == JG_OK)
		st = jg_github_read_token(x->reader, &ctx, x->token, err);
	if (st == JG_OK)
		x->token->installation_id = rq->github.installation_id;
	*retryable = may_retry(st, x->reader);
	return st;
}

jg_status jg_cmd_github_attempt(const jg_options *o, jg_cmd_request *rq,
	const jg_cmd_transport *net, int64_t deadline_ms, jg_cmd_exchange *x, int *retryable,
	jg_error *err)
{
	int64_t now = 0;
	*retryable = 0;
	jg_status st = jg_clock_now(&now, err);
	if (st == JG_OK)
		st = authorize(rq, now, x, err);
	if (st == JG_OK && rq->github.installation_id == 0)
		st = look_up(o, rq, net, now, deadline_ms, x, retryable, err);
	if (st == JG_OK)
		st = ask_token(o, rq, net, now, deadline_ms, x, retryable, err);
	jg_wipe(x->authorization, x->authorization_len);
	x->authorization_len = 0;
	return st;
}
