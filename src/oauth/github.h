/*
 * A GitHub App's installation access token (providers.md, "--provider github"): the REST API's
 * paths and headers, the token request's JSON body, and the two answers read (the installation
 * lookup's id, the 201 token) or refused in GitHub's words with a hint.
 */
#ifndef JG_GITHUB_H
#define JG_GITHUB_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "net/http.h"
#include "oauth/oauth.h"

#define JG_GITHUB_API_URL "https://api.github.com"
#define JG_GITHUB_ACCEPT "application/vnd.github+json"
#define JG_GITHUB_API_VERSION "X-GitHub-Api-Version: 2022-11-28"
#define JG_GITHUB_JWT_BACKDATE 60 /* iat = now - 60, for a clock behind GitHub's */
#define JG_GITHUB_JWT_LIFETIME 600 /* exp = iat + 600 = now + 540: GitHub takes 10 minutes */

/* How the installation is named: its id, or the repository, organisation or user it is on. */
typedef enum jg_github_lookup {
	JG_GITHUB_BY_ID = 0,
	JG_GITHUB_BY_REPO,
	JG_GITHUB_BY_ORG,
	JG_GITHUB_BY_USER
} jg_github_lookup;

/*
 * Whether name is one the lookup takes, with the fix in *why when not: OWNER/NAME for a
 * repository, a login for an organisation or a user; each part of letters, digits, '-', '_'
 * (Enterprise Managed Users' logins) and '.' (repositories), neither "." nor "..", at most 100
 * bytes.
 */
int jg_github_name_ok(jg_github_lookup by, const char *name, const char **why);

/* The lookup's path after the API URL's: "/repos/OWNER/NAME/installation",
 * "/orgs/ORG/installation" or "/users/USER/installation". */
void jg_github_lookup_path(jg_github_lookup by, const char *name, char *out, size_t cap);

/* "/app/installations/<id>/access_tokens". */
void jg_github_token_path(long long installation_id, char *out, size_t cap);

/*
 * The token request's body: {} or, to narrow the token, {"repositories":["a","b"],
 * "permissions":{"contents":"read"}} from --repositories A,B (comma-separated) and --permission
 * NAME=read|write (NULL and 0 when not given). JG_ERR_USAGE naming the option when a repository
 * or permission is malformed or repeated, or the body does not fit.
 */
jg_status jg_github_token_body(const char *repositories, const char *const *permissions,
	size_t permission_count, char *out, size_t cap, size_t *len, jg_error *err);

/*
 * The installation lookup's answer: 200 with {"id":N,…} gives *id (a whole number from 1 to
 * 2^53 - 1). A 4xx with GitHub's {"message":…} is JG_ERR_REFUSED with err->code "github_<status>",
 * the message verbatim and a hint (404: the App is not installed there); anything else
 * JG_ERR_PROTOCOL as for a token answer.
 */
jg_status jg_github_read_installation(const jg_http_reader *answer, const jg_refusal_context *ctx,
	long long *id, jg_error *err);

/*
 * The token request's answer: 201 with {"token","expires_at","permissions",
 * "repository_selection"} fills t (access_token, expires_at from the ISO 8601 time, the
 * permissions as compact JSON, the selection); refusals and the rest as above.
 */
jg_status jg_github_read_token(const jg_http_reader *answer, const jg_refusal_context *ctx,
	jg_token *t, jg_error *err);

/* The members a GitHub token adds (also what the token cache keeps): installation_id,
 * permissions (an object of strings), repository_selection; 0, or -1 when malformed. */
int jg_github_token_extras(const struct cJSON *json, jg_token *t);

/* The hint for a GitHub refusal (HTTP status and message), or NULL. */
const char *jg_github_hint(int status, const char *message, int lookup);

#endif
