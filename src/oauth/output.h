/*
 * What grant hands to whatever runs next (cli.md, "Outputs of grant"):
 *   text    Successfully authorized <username> with org ID <orgId>
 *   json    the sf envelope {"status":0,"result":{...},"warnings":[]}
 *   env     SF_ACCESS_TOKEN='…' lines for eval, single-quoted ('\'' inside)
 *   github  NAME=value lines for $GITHUB_ENV (a value holding a newline is refused)
 *   token   the access token and a newline
 * and, for a failure under --json, the sf failure envelope. The JSON is written with
 * src/base/json_out.h, byte for byte as cJSON_PrintUnformatted wrote it.
 */
#ifndef JG_OUTPUT_H
#define JG_OUTPUT_H

#include <stddef.h>

#include "base/error.h"
#include "base/json_out.h"
#include "oauth/oauth.h"

typedef struct jg_grant_facts {
	const char *username;
	const char *login_url;   /* the instance URL the token was requested from */
	const char *client_id;
	const char *private_key; /* the key file path, or NULL (stdin, variable) */
} jg_grant_facts;

#define JG_OUTPUT_MAX 16384

/* Render `format` into out (NUL-terminated). The result holds the token: wipe it after use. */
jg_status jg_output_render(const char *format, const jg_token *token, const jg_grant_facts *facts,
	char *out, size_t cap, size_t *len, jg_error *err);

/*
 * The sf-style failure envelope of --json for err, and a newline:
 * {"status":<exit code>,"name":"JwtGrantError","message":…,"exitCode":<exit code>,"code":…,
 * "commandName":"grant","warnings":[]}, `code` being err->code, or else the status's short name.
 */
void jg_output_failure_json(const jg_error *err, jg_out *out);

#endif
