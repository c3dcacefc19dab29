/*
 * What grant hands to whatever runs next (cli.md, "Outputs of grant"):
 *   text    Successfully authorized <username> with org ID <orgId>
 *   json    the sf envelope {"status":0,"result":{...},"warnings":[]}
 *   env     SF_ACCESS_TOKEN='…' lines for eval, single-quoted ('\'' inside)
 *   github  NAME=value lines for $GITHUB_ENV (a value holding a newline is refused)
 *   token   the access token and a newline
 */
#ifndef JG_OUTPUT_H
#define JG_OUTPUT_H

#include <stddef.h>

#include "error.h"
#include "oauth.h"

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

#endif
