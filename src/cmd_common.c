#include <stdio.h>
#include <string.h>

#include "audience.h"
#include "commands.h"
#include "fileio.h"
#include "jwt.h"
#include "trace.h"
#include "url.h"
#include "wipe.h"

jg_status jg_cmd_load_key(const jg_options *o, jg_key *key, jg_error *err)
{
	if (o->key_file != NULL && o->key_env != NULL)
		return jg_fail(err, JG_ERR_USAGE, "give either --jwt-key-file or --jwt-key-env, not both");
	if (o->key_file != NULL)
		return jg_key_load_file(o->key_file, key, err);
	if (o->key_env != NULL)
		return jg_key_load_env(o->key_env, key, err);
	return jg_fail(err, JG_ERR_USAGE,
		"no private key: give --jwt-key-file PATH (or - for stdin) or --jwt-key-env VAR");
}

jg_status jg_cmd_require_grant_inputs(const jg_options *o, jg_error *err)
{
	if (o->client_id == NULL)
		return jg_fail(err, JG_ERR_USAGE,
			"missing --client-id: the Connected App's consumer key (App Manager > View)");
	if (o->username == NULL)
		return jg_fail(err, JG_ERR_USAGE, "missing --username: the Salesforce user to log in as");
	if (o->key_file == NULL && o->key_env == NULL)
		return jg_fail(err, JG_ERR_USAGE,
			"no private key: give --jwt-key-file PATH (or - for stdin) or --jwt-key-env VAR");
	return JG_OK;
}

jg_status jg_cmd_make_assertion(const jg_options *o, const jg_key *key, int64_t now, char *out,
	size_t cap, size_t *len, const char **aud, jg_error *err)
{
	jg_url url;
	jg_status st = jg_url_parse(o->instance_url, &url, err);
	if (st != JG_OK)
		return st;
	const char *source = NULL;
	jg_claims claims = {
		.iss = o->client_id,
		.sub = o->username,
		.aud = jg_audience_choose(o->audience, url.host, &source),
		.exp = now + o->lifetime,
		.iat = now,
	};
	jg_trace("audience %s (from %s), exp %lld (now + %ld s)", claims.aud, source,
		(long long)claims.exp, o->lifetime);
	*aud = claims.aud;
	return jg_jwt_sign(&claims, &key->sk, out, cap, len, err);
}

jg_status jg_cmd_emit(const jg_options *o, const char *text, size_t len, jg_error *err)
{
	if (o->output_file != NULL)
		return jg_file_write_atomic(o->output_file, text, len, 0600, 1, err);
	if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0)
		return jg_fail(err, JG_ERR_INPUT, "cannot write to standard output");
	return JG_OK;
}
