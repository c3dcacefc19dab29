/*
 * jwtgrant revoke: POST token=<access token> to <instance>/services/oauth2/revoke, then forget
 * the token in the cache (cli.md, "Token reuse, revocation, CI log masking"). Two forms:
 *   by request: --client-id, --username and the key name the cache entry grant --reuse wrote;
 *               the token is revoked at its own instance_url; no entry is exit 3;
 *   by value:   --token-env VAR, at --instance-url, else SF_ORG_INSTANCE_URL, else login.
 * The transport (proxy, trust, retry, timeouts) is grant's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/wipe.h"
#include "cmd/cmd.h"
#include "net/net.h"
#include "oauth/cache.h"
#include "oauth/https.h"
#include "oauth/oauth.h"

/* What one revocation holds; static, as grant's. */
static struct revoke_state {
	jg_cmd_request request;       /* the request tuple: key, claims, token URL (by request) */
	jg_cache cache;
	jg_cache_entry entry;         /* the token to revoke, and where it was issued */
	char body[3 * sizeof ((jg_token *)0)->access_token + 8]; /* token=<percent-encoded token> */
	size_t body_len;
	char answer[JG_ANSWER_MAX];
	jg_http_reader reader;
	jg_cmd_transport net;
} r;

static void wipe_secrets(void)
{
	jg_cmd_request_wipe(&r.request);
	jg_wipe(&r.entry, sizeof r.entry);
	jg_wipe(r.body, r.body_len); /* as far as build_body wrote */
	jg_http_reader_wipe(&r.reader);
	jg_proxy_wipe(&r.net.proxy);
}

/* By request: the cached entry of the tuple, locked until the command ends. */
static jg_status token_from_cache(const jg_options *o, int64_t deadline_ms, jg_error *err)
{
	char name[JG_CACHE_NAME_LEN + 1];
	jg_status st = jg_cmd_request_prepare(o, &r.request, err);
	if (st != JG_OK)
		return st;
	jg_cmd_cache_name(&r.request, name);
	st = jg_cmd_cache_open(o, name, deadline_ms, &r.cache, err);
	if (st != JG_OK)
		return st == JG_ERR_NETWORK ? st : jg_fail_context(err, JG_ERR_INPUT, "nothing to revoke");
	jg_cache_read_result found = jg_cache_read(&r.cache, &r.entry, err);
	if (found == JG_CACHE_HIT)
		return JG_OK;
	if (found == JG_CACHE_MISS)
		(void)jg_fail(err, JG_ERR_INPUT, "no cached token for %s at %s in %s: nothing to revoke "
			"(grant --reuse caches tokens; revoke --token-env VAR revokes one you hold)",
			o->username, o->instance_url, r.cache.dir);
	return JG_ERR_INPUT;
}

/* By value: the token in the variable --token-env names. */
static jg_status token_from_env(const jg_options *o, jg_error *err)
{
	if (o->client_id != NULL || o->username != NULL || o->key_file != NULL || o->key_env != NULL)
		return jg_fail(err, JG_ERR_USAGE, "--token-env revokes a token you hold; --client-id, "
			"--username and the key name a cached one: give one or the other");
	const char *token = getenv(o->token_env);
	jg_token *t = &r.entry.token;
	if (token == NULL || *token == '\0')
		return jg_fail(err, JG_ERR_USAGE, "--token-env %.100s: the variable is not set or is empty",
			o->token_env);
	size_t len = strlen(token), printable = 0;
	while (printable < len && token[printable] > 0x20 && token[printable] < 0x7F)
		printable++;
	if (len >= sizeof t->access_token || printable != len)
		return jg_fail(err, JG_ERR_INPUT, "--token-env %.100s does not hold an access token (up to "
			"%zu printable ASCII characters without spaces)", o->token_env, sizeof t->access_token - 1);
	memcpy(t->access_token, token, len + 1);
	const char *env_url = getenv("SF_ORG_INSTANCE_URL");
	const char *url = o->instance_url != jg_cli_default_instance_url ? o->instance_url :
		env_url != NULL && *env_url != '\0' ? env_url : o->instance_url;
	(void)snprintf(t->instance_url, sizeof t->instance_url, "%s", url);
	return JG_OK;
}

/* "token=" and the token, percent-encoded but for the unreserved characters (the body has room
 * for every byte escaped). */
static void build_body(void)
{
	jg_out o;
	const char *token = r.entry.token.access_token;
	jg_out_init(&o, r.body, sizeof r.body);
	jg_out_puts(&o, "token=");
	jg_oauth_put_form_value(&o, token, strlen(token));
	r.body_len = o.len;
}

/* One POST of the revocation and its answer. */
static jg_status attempt(const jg_options *o, int64_t deadline_ms, int *retryable, jg_error *err)
{
	int64_t now = 0;
	*retryable = 0;
	jg_http_reader_wipe(&r.reader);
	jg_status st = jg_clock_now(&now, err);
	if (st != JG_OK)
		return st;
	char path[JG_URL_PATH_MAX + sizeof JG_OAUTH_REVOKE_PATH];
	(void)snprintf(path, sizeof path, "%s%s", r.net.url.path, JG_OAUTH_REVOKE_PATH);
	jg_https_post rq = {
		.url = &r.net.url, .proxy = &r.net.proxy, .path = path, .body = r.body,
		.body_len = r.body_len, .trust = &r.net.trust, .now = now,
		.connect_timeout_ms = o->connect_timeout_ms, .deadline_ms = deadline_ms,
	};
	st = jg_https_post_run(&rq, &r.reader, r.answer, sizeof r.answer, err);
	if (st == JG_ERR_NETWORK)
		*retryable = 1;
	if (st != JG_OK)
		return st;
	jg_refusal_context ctx = { .instance_url = r.entry.token.instance_url, .request = "revocation",
		.local_now = now };
	st = jg_oauth_read_revoke_answer(&r.reader, &ctx, err);
	*retryable = st == JG_ERR_PROTOCOL && jg_oauth_status_retryable(r.reader.status);
	return st;
}

/* The revoked token has no use any more: remove it from the cache (one that cannot be used is
 * a warning, as for grant). */
static void forget(const jg_options *o, int64_t deadline_ms)
{
	jg_error w;
	if (o->token_env == NULL) {
		(void)jg_cache_remove(&r.cache);
		return;
	}
	if (jg_cmd_cache_open(o, NULL, deadline_ms, &r.cache, &w) == JG_OK)
		(void)jg_cache_remove_token(&r.cache, r.entry.token.access_token, deadline_ms);
	else
		jg_cmd_warn(&w);
}

static jg_status revoke(const jg_options *o, int64_t deadline_ms, jg_error *err)
{
	jg_status st = o->token_env != NULL ? token_from_env(o, err) :
		token_from_cache(o, deadline_ms, err);
	if (st == JG_OK)
		st = jg_cmd_prepare_transport(o, r.entry.token.instance_url, &r.net, err);
	if (st != JG_OK)
		return st;
	build_body();
	st = jg_cmd_with_retry(o, deadline_ms, attempt, err);
	if (st != JG_OK)
		return st;
	forget(o, deadline_ms);
	(void)fprintf(stdout, "Revoked the access token for %s\n",
		o->token_env != NULL ? "the token" : o->username);
	return fflush(stdout) == 0 ? JG_OK :
		jg_fail(err, JG_ERR_INPUT, "cannot write to standard output");
}

jg_status jg_cmd_revoke(const jg_options *o, jg_error *err)
{
	int64_t started = jg_net_now_ms();
	jg_trust_init(&r.net.trust);
	jg_cache_init(&r.cache);
	jg_status st = revoke(o, started + o->max_time_ms, err);
	jg_cache_close(&r.cache);
	wipe_secrets();
	jg_trust_free(&r.net.trust);
	return st;
}
