/* The commands. Each returns a status and fills err; main.c prints and picks the exit code. */
#ifndef JG_COMMANDS_H
#define JG_COMMANDS_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "base/passphrase.h"
#include "cli.h"
#include "crypto/jwt.h"
#include "crypto/key.h"
#include "net/proxy.h"
#include "net/url.h"
#include "oauth/cache.h"
#include "oauth/github.h"
#include "oauth/google.h"
#include "oauth/oauth.h"
#include "tls/trust.h"
#include "x509/cert.h"

jg_status jg_cmd_grant(const jg_options *o, jg_error *err);
jg_status jg_cmd_assertion(const jg_options *o, jg_error *err);
jg_status jg_cmd_keygen(const jg_options *o, jg_error *err);
jg_status jg_cmd_check(const jg_options *o, jg_error *err);
jg_status jg_cmd_decode(const jg_options *o, jg_error *err);
jg_status jg_cmd_revoke(const jg_options *o, jg_error *err);

/* Shared by the commands (cmd/cmd.c). */

/*
 * Load the key named by --jwt-key-file or --jwt-key-env (exactly one of them), opening it with
 * the passphrase options when it is encrypted. *info (may be NULL) says what the container was.
 */
jg_status jg_cmd_load_key(const jg_options *o, jg_key *key, jg_enc_info *info, jg_error *err);

/* What jg_cmd_load_key opens an encrypted key with (cmd/unlock.c). */
typedef struct jg_cmd_unlock {
	jg_key_unlock unlock;
	unsigned char raw_key[JG_CIPHER_MAX_KEY]; /* --enc-key-env, decoded */
	unsigned char raw_iv[JG_CIPHER_MAX_BLOCK]; /* --enc-iv-env, decoded */
} jg_cmd_unlock;

/* From the options; JG_ERR_INPUT when --enc-key-env or --enc-iv-env does not hold hex. */
jg_status jg_cmd_unlock_init(const jg_options *o, jg_cmd_unlock *u, jg_error *err);
void jg_cmd_unlock_wipe(jg_cmd_unlock *u);

/* 1 when a passphrase can be had: --passphrase-env, --passphrase-file, or a terminal. */
int jg_cmd_has_passphrase_source(const jg_options *o);

/*
 * The passphrase from --passphrase-env, --passphrase-file or a prompt on the terminal naming
 * `source` ("Passphrase for <source>: "), asked twice when confirm is set.
 */
jg_status jg_cmd_read_passphrase(const jg_options *o, const char *source, int confirm,
	jg_passphrase *p, jg_error *err);

/*
 * Read and parse the certificate at path (PEM or DER) into der[0..cap) and *info (which points
 * into der). JG_ERR_INPUT naming the path when it cannot be read or parsed, and saying so when
 * the file holds a private or public key instead.
 */
jg_status jg_cmd_load_cert(const char *path, unsigned char *der, size_t cap, size_t *der_len,
	jg_cert_info *info, jg_error *err);

/* Require the options grant and assertion need: --client-id, --username and a key source. */
jg_status jg_cmd_require_grant_inputs(const jg_options *o, jg_error *err);

/*
 * What the assertion says, from the options: iss --client-id, sub --username, aud from
 * jg_audience_choose for the instance URL's host (or --audience), lifetime --lifetime.
 * JG_ERR_USAGE when the instance URL is not valid.
 */
jg_status jg_cmd_assertion_from_options(const jg_options *o, jg_assertion *a, jg_error *err);

/* --provider generic: the claims, header members and form fields of the options (generic.c). */
typedef struct jg_cmd_generic {
	jg_jwt_member claims[JG_CLI_LIST_MAX];
	jg_jwt_member headers[JG_CLI_LIST_MAX + 1]; /* --jwt-header, then x5t */
	size_t claim_count, header_count;
	char text[JG_CLI_LIST_MAX * (256 + JG_CLAIM_MAX + 2) + 64]; /* names, compact JSON values */
	size_t text_used;
	char x5t[32];
	jg_cert_info cert;            /* --cert, for --x5t (its DER is generic.c's, static) */
	jg_oauth_form form;
} jg_cmd_generic;

/* Check and keep --claim, --jwt-header, --x5t (with --cert) and --form: JG_ERR_USAGE naming
 * the option on a bad one, JG_ERR_INPUT when --cert cannot be read. */
jg_status jg_cmd_generic_prepare(const jg_options *o, jg_cmd_generic *g, jg_error *err);

/* Under --x5t, that --cert holds the public half of the key that signs: JG_ERR_INPUT if not
 * (the thumbprint would name another key's certificate). */
jg_status jg_cmd_generic_check_cert(const jg_options *o, const jg_cmd_generic *g,
	const jg_key *key, jg_error *err);

/* --provider github: the installation, how to find it, and the token request's body. */
typedef struct jg_cmd_github {
	jg_github_lookup by;        /* --installation-id, --repo, --org or --installation-user */
	const char *name;           /* the repository, organisation or user (NULL: by id) */
	long long installation_id;  /* given, or found by the lookup (0: not yet) */
	char body[8192];            /* {} or the narrowing: --repositories, --permission */
	size_t body_len;
	char who[128];              /* whose token, for the output: the name, or "installation N" */
} jg_cmd_github;

/* What grant and assertion sign, and where grant sends it (cmd/request.c). */
typedef struct jg_cmd_request {
	jg_provider provider;
	jg_key key;                /* the private key */
	jg_assertion claims;       /* what each assertion says (strings in the options or below) */
	jg_google_account google;  /* --provider google: the key file's account */
	jg_cmd_generic generic;    /* --provider generic: extra claims, header members, form */
	jg_cmd_github github;      /* --provider github: the installation and the narrowing */
	const char *server;        /* the URL the transport is prepared for */
	const char *path_suffix;   /* what follows its path in the POST's (Salesforce's token path) */
	char token_url[2048];      /* server and suffix: the token endpoint, as the cache names it */
	const char *who;           /* whose token: the username, or the service account */
} jg_cmd_request;

/* The key, the claims and the endpoint for o->provider, from the options (and key file). */
jg_status jg_cmd_request_prepare(const jg_options *o, jg_cmd_request *rq, jg_error *err);

/* Wipe the key and the account. */
void jg_cmd_request_wipe(jg_cmd_request *rq);

/* The token request's form body holding the assertion jwt: JG_ERR_USAGE when it does not fit. */
jg_status jg_cmd_request_body(const jg_cmd_request *rq, const char *jwt, char *out, size_t cap,
	size_t *len, jg_error *err);

/* What grant and revoke reach the server through (cmd/transport.c). */
typedef struct jg_cmd_transport {
	jg_url url;     /* the server: scheme, host, port, path prefix */
	jg_proxy proxy; /* holds the proxy password: jg_proxy_wipe after use */
	jg_trust trust; /* jg_trust_init before, jg_trust_free after, whatever happened */
} jg_cmd_transport;

/* Parse the server URL, choose the proxy for its host, check the clock, select the trust. */
jg_status jg_cmd_prepare_transport(const jg_options *o, const char *server, jg_cmd_transport *t,
	jg_error *err);

/* One try of a request: JG_OK, or a failure with *retryable set when --retry may repeat it. */
typedef jg_status (*jg_cmd_attempt_fn)(const jg_options *o, int64_t deadline_ms, int *retryable,
	jg_error *err);

/*
 * Attempts until one succeeds, fails for good, or the retries (--retry, exponential backoff with
 * jitter) or the time (deadline_ms: the command's start plus --max-time) run out.
 */
jg_status jg_cmd_with_retry(const jg_options *o, int64_t deadline_ms, jg_cmd_attempt_fn attempt,
	jg_error *err);

/* The buffers one attempt of grant works in (grant.c's, static: nothing is allocated). */
typedef struct jg_cmd_exchange {
	char *jwt;                /* the assertion */
	size_t jwt_cap;
	char *authorization;      /* GitHub: "Bearer <JWT>" */
	size_t authorization_cap;
	size_t authorization_len; /* as far as it was written: what is wiped */
	char *answer;             /* the raw answer */
	size_t answer_cap;
	jg_http_reader *reader;
	jg_token *token;          /* the token obtained */
} jg_cmd_exchange;

/* --provider github (cmd/github.c): check and keep the installation options and the body. */
jg_status jg_cmd_github_prepare(const jg_options *o, jg_cmd_github *gh, jg_error *err);

/*
 * One attempt of a GitHub App grant: a fresh JWT, the installation lookup unless its id is
 * known (the id found is kept in rq for the next attempt), then the token request. *retryable
 * as for jg_cmd_with_retry. Every buffer of x that held a secret but the token is wiped.
 */
jg_status jg_cmd_github_attempt(const jg_options *o, jg_cmd_request *rq,
	const jg_cmd_transport *net, int64_t deadline_ms, jg_cmd_exchange *x, int *retryable,
	jg_error *err);

/* The token cache, as grant --reuse and revoke use it (cmd/reuse.c). */

/* The entry name of the request (cli.md, "Token reuse"): provider, token URL, the claims but
 * iat and exp, the key id, and the public key's fingerprint. */
void jg_cmd_cache_name(const jg_cmd_request *rq, char name[JG_CACHE_NAME_LEN + 1]);

/*
 * Open the cache directory the options choose (jg_cache_dir_choose) and, when name is not NULL,
 * lock that entry until deadline_ms. JG_ERR_NETWORK when the lock's wait ran out; any other
 * failure leaves the cache closed and err saying why (for a warning, or revoke's error).
 */
jg_status jg_cmd_cache_open(const jg_options *o, const char *name, int64_t deadline_ms,
	jg_cache *c, jg_error *err);

/* "jwtgrant: warning: <message>" on stderr. */
void jg_cmd_warn(const jg_error *w);

/* Write text to --output-file (0600, atomic) when given, else to stdout. */
jg_status jg_cmd_emit(const jg_options *o, const char *text, size_t len, jg_error *err);

#endif
