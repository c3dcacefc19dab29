/*
 * What grant hands to whatever runs next (cli.md, "Outputs of grant"):
 *   text    Successfully authorized <username> with org ID <orgId>
 *   json    the sf envelope {"status":0,"result":{...},"warnings":[]}
 *   env     SF_ACCESS_TOKEN='…' lines for eval, single-quoted ('\'' inside)
 *   github  NAME=value lines for $GITHUB_ENV (a value holding a newline is refused)
 *   azure   ##vso[task.setvariable variable=NAME]value lines, the token's with ;issecret=true
 *   token   the access token and a newline
 * and, for a failure under --json, the sf failure envelope. The JSON is written with
 * src/base/json_out.h, byte for byte as cJSON_PrintUnformatted wrote it.
 */
#ifndef JG_OUTPUT_H
#define JG_OUTPUT_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "base/json_out.h"
#include "oauth/oauth.h"

typedef struct jg_grant_facts {
	const char *username;
	const char *login_url;   /* the instance URL the token was requested from */
	const char *client_id;
	const char *private_key; /* the key file path, or NULL (stdin, variable) */
	jg_provider provider;    /* 0 or JG_PROVIDER_SALESFORCE: sf's outputs */
	const char *who;         /* another provider's: whose token it is (Google: client_email;
	                            GitHub: OWNER/NAME, the organisation, the user or the installation) */
	int64_t now;             /* another provider's: the time, for expiresIn */
} jg_grant_facts;

#define JG_OUTPUT_MAX 16384

/* Render `format` into out (NUL-terminated). The result holds the token: wipe it after use. */
jg_status jg_output_render(const char *format, const jg_token *token, const jg_grant_facts *facts,
	char *out, size_t cap, size_t *len, jg_error *err);

/* Room for the masking line of the longest token, each byte escaped to 3. */
#define JG_OUTPUT_MASK_MAX (sizeof "::add-mask::\n" + 3 * sizeof ((jg_token *)0)->access_token)

/*
 * Under GitHub Actions (GITHUB_ACTIONS=true), "::add-mask::<token>\n" in out, the token's %, CR
 * and LF escaped as the runner reads them: its length, written to stderr and flushed before the
 * token is shown or written anywhere (cli.md, "CI log masking"). 0 elsewhere, and when out is
 * too small (then wiped).
 */
size_t jg_output_mask_line(const jg_token *token, char *out, size_t cap);

/*
 * The sf-style failure envelope of --json for err, and a newline:
 * {"status":<exit code>,"name":"JwtGrantError","message":…,"exitCode":<exit code>,"code":…,
 * "commandName":"grant","warnings":[]}, `code` being err->code, or else the status's short name.
 */
void jg_output_failure_json(const jg_error *err, jg_out *out);

#endif
