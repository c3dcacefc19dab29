/*
 * The OAuth 2.0 JWT bearer exchange (RFC 7523) as Salesforce speaks it: the form body, the
 * token answer, and refusals explained with a hint (salesforce-jwt.md).
 */
#ifndef JG_OAUTH_H
#define JG_OAUTH_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "base/json_out.h"
#include "net/http.h"
#include "oauth/provider.h"

#define JG_OAUTH_TOKEN_PATH "/services/oauth2/token"
#define JG_OAUTH_REVOKE_PATH "/services/oauth2/revoke"

struct cJSON;

typedef struct jg_token {
	char access_token[4096]; /* a secret: wipe the struct after use */
	char instance_url[1024];
	char id[1024];
	char org_id[64];
	char user_id[64];
	char token_type[64];
	char scope[1024];
	long expires_in;         /* seconds, from the answer; -1: it gave none (Salesforce never does) */
	int64_t expires_at;      /* epoch seconds: obtained + expires_in; 0: not known */
	/* A GitHub App's installation token (oauth/github.h): */
	long long installation_id;
	char permissions[1024];  /* the granted permissions, compact JSON ("": none) */
	char repository_selection[32];
} jg_token;

/* A token request's form: Salesforce's and Google's are the bearer grant with nothing more; a
 * generic one's may add the rest (providers.md, "--provider generic"). */
typedef struct jg_oauth_form {
	int client_assertion;     /* RFC 7523 2.2 (client_credentials) instead of 2.1 */
	const char *scope;        /* NULL or "": none */
	const char *const *extra; /* "NAME=VALUE" fields, each part percent-encoded here */
	size_t extra_count;
} jg_oauth_form;

/*
 * "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=<jwt>", or with
 * client_assertion "grant_type=client_credentials&client_assertion_type=urn%3Aietf%3Aparams%3A
 * oauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=<jwt>", then "&scope=…" and the
 * extra fields. The JWT is base64url parts and dots, which need no percent-encoding.
 * JG_ERR_USAGE (out wiped) when it does not fit.
 */
jg_status jg_oauth_build_form(const jg_oauth_form *f, const char *jwt, char *out, size_t cap,
	size_t *len, jg_error *err);

/* value percent-encoded as a form field's (RFC 3986 unreserved characters as they are). */
void jg_oauth_put_form_value(jg_out *o, const char *value, size_t len);

/* What the refusal message names besides the server's words. */
typedef struct jg_refusal_context {
	jg_provider provider;    /* whose refusals and hints (0: Salesforce) */
	const char *instance_url; /* the server (Google: the token URL) */
	const char *audience;    /* NULL: not shown (a revocation has none) */
	const char *request;     /* "token request" (NULL) or "revocation", for the message */
	int64_t local_now; /* epoch seconds, shown against the answer's Date on clock trouble */
} jg_refusal_context;

/*
 * Read a complete answer. 200 with the token JSON: JG_OK and *token filled (orgId and userId
 * are the last two segments of the `id` URL). A 4xx but 429 with a JSON `error`: JG_ERR_REFUSED,
 * err->code = the error, err->detail = the server's words verbatim, the instance URL and
 * audience, and a hint. A redirect (301, 302, 303, 307, 308): JG_ERR_PROTOCOL showing the
 * Location (made safe for a terminal) and, for an absolute https one, its scheme, host and port
 * as the --instance-url to use; it is never followed. A Content-Encoding other than identity
 * (none is asked for): JG_ERR_PROTOCOL naming it. Anything else (HTML, empty, 5xx, 429,
 * malformed token JSON): JG_ERR_PROTOCOL naming the status and the first bytes, printable
 * characters only.
 */
jg_status jg_oauth_read_answer(const jg_http_reader *answer, const jg_refusal_context *ctx,
	jg_token *token, jg_error *err);

/*
 * The revocation's answer: 200 is JG_OK; a 4xx but 429 with an OAuth error is JG_ERR_REFUSED with
 * the server's words and a hint, as for the token request; anything else JG_ERR_PROTOCOL.
 */
jg_status jg_oauth_read_revoke_answer(const jg_http_reader *answer, const jg_refusal_context *ctx,
	jg_error *err);

/* Fill t from a parsed token answer of provider p (also what the token cache keeps), checked
 * as a 200 answer's members are: 0, or -1 when it is not one. Salesforce's needs instance_url
 * and id; any other's is RFC 6749's (section 5.1): access_token, optional token_type, scope
 * and expires_in (t->expires_in -1 when absent; t->expires_at is the caller's to set). */
int jg_oauth_token_from_json(const struct cJSON *json, jg_provider p, jg_token *t);

/* RFC 8259 text: valid UTF-8, no control character but white space between tokens. */
int jg_oauth_strict_json_text(const char *text, size_t len);

/* The hint for provider p's OAuth error and description, or NULL when none is known. */
const char *jg_oauth_hint(jg_provider p, const char *error, const char *description);

/* --- what the other answer readers share (oauth/github.c) --- */

/* A redirect (never followed; the fix names p's option for the server) or a Content-Encoding
 * nobody asked for: JG_ERR_PROTOCOL saying so. JG_OK for any other answer. */
jg_status jg_oauth_refuse_unreadable(const jg_http_reader *a, jg_provider p, jg_error *err);

/* The body's JSON object, parsed (jg_oauth_strict_json_text is the caller's to check); NULL
 * when it is not one. Free it with cJSON_Delete. */
struct cJSON *jg_oauth_parse_object(const jg_http_reader *a);

/* JG_ERR_PROTOCOL "unexpected answer from <from>: HTTP <status> (<type>): <why>; it begins
 * "<first bytes>"", the bytes not shown when the answer may hold a token. */
jg_status jg_oauth_unexpected(const jg_http_reader *a, const struct cJSON *json, const char *from,
	const char *why, jg_error *err);

/* A server's words for a terminal: control characters (C0, DEL, C1) written as \xNN. */
void jg_oauth_terminal_text(char *out, size_t cap, const char *in);

/* "local clock: …, server Date: … (local clock ahead by N s)\n", for a refusal that blames
 * the clock. */
void jg_oauth_describe_clock(const jg_http_reader *a, const jg_refusal_context *ctx, char *out,
	size_t cap);

/* Whether an answer with this HTTP status is worth retrying (5xx, 429). */
int jg_oauth_status_retryable(int status);

#endif
