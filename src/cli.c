#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <stdio.h>

#include "base/ascii.h"
#include "base/wipe.h"
#include "crypto/cbc.h"
#include "crypto/kdf.h"

enum kind {
	FLAG,        /* sets an int to 1 */
	STRING,      /* stores the argument, which may not be empty */
	LIST,        /* stores the argument; empty allowed ("--noproxy ''": bypass nothing) */
	INTEGER,     /* a whole number in [min, max] */
	SECONDS,     /* seconds, decimals allowed, stored as milliseconds in (0, max] */
	OUTPUT_JSON, /* --json: --output json */
	PROXY,       /* stored in proxy_copy, user info scrubbed from argv */
	PROVIDER,    /* --provider: one of its values */
	APPEND,      /* --scope: repeatable, the values joined by spaces into scope[] */
	MULTI,       /* repeatable, each value kept in a jg_cli_list */
	SECRET,      /* would take a secret on the command line: refused, value never shown */
	IGNORED,     /* sf/sfdx flag without meaning here: warn once */
	IGNORED_ARG  /* the same, with an argument */
};

#define GRANT_LIKE (JG_CMD_GRANT | JG_CMD_ASSERTION)
#define REQUEST (GRANT_LIKE | JG_CMD_REVOKE) /* the options that name a request */
#define NETWORK (JG_CMD_GRANT | JG_CMD_REVOKE)
#define KEY_USERS (JG_CMD_GRANT | JG_CMD_ASSERTION | JG_CMD_CHECK | JG_CMD_REVOKE)
#define PASSPHRASE_USERS (KEY_USERS | JG_CMD_KEYGEN)
#define ALL (JG_CMD_GRANT | JG_CMD_ASSERTION | JG_CMD_KEYGEN | JG_CMD_CHECK | JG_CMD_DECODE | \
	JG_CMD_REVOKE)
#define FIELD(f) offsetof(jg_options, f)

enum group { MAIN = JG_CLI_MAIN, KEYS = JG_CLI_KEYS, COMMON = JG_CLI_COMMON };

struct option {
	const char *names;  /* the canonical name first, then aliases, '|'-separated */
	const char *arg;    /* the argument's name in --help and the man page; NULL: no argument */
	const char *help;   /* one line of --help ('\n' continues it in the help column) */
	const char *values; /* space-separated: the only values --output and --enc-md take; what
	                       completion offers for these and --enc-cipher, --bits */
	int min, max;       /* INTEGER: the range; SECONDS: the most */
	unsigned short field;
	unsigned char kind, commands;
	unsigned char complete; /* jg_cli_complete */
	unsigned char group, rank; /* --help: by group, then by rank (table order among equals) */
	unsigned char providers;   /* grant, assertion: the providers it is for (0: every one) */
	unsigned char ignored_by;  /* the providers that accept it with a warning and ignore it */
	const char *google_help;   /* --help's line under --provider google, when it differs */
	const char *generic_help;  /* the same under --provider generic */
	const char *github_help;   /* the same under --provider github */
};

#define SF JG_PROVIDER_SALESFORCE
#define GOOGLE JG_PROVIDER_GOOGLE
#define GENERIC JG_PROVIDER_GENERIC
#define GITHUB JG_PROVIDER_GITHUB
#define KEYED (SF | GENERIC | GITHUB) /* the providers whose key comes from the key options */
#define CLAIMED (SF | GOOGLE | GENERIC) /* the providers whose claims the options may set */

/* Sorted by canonical name. Every row is documented (jg_cli_option_at): --help, the man page
 * and the completions are made from it, and tests/e2e/docs.sh checks that they agree. */
static const struct option options[] = {
	{ .names = "--alias|-a|--setalias", .arg = "ALIAS", .kind = IGNORED_ARG,
	  .commands = JG_CMD_GRANT, .help = "sf: set an alias for the org" },
	{ .names = "--api-url", .arg = "URL", .kind = STRING, .commands = GRANT_LIKE,
	  .field = FIELD(api_url), .rank = 5, .providers = GITHUB,
	  .help = "github: the API (default https://api.github.com;\n"
		  "Enterprise Server: https://HOST/api/v3)" },
	{ .names = "--app-id", .arg = "N", .kind = STRING, .commands = GRANT_LIKE,
	  .field = FIELD(app_id), .rank = 11, .providers = GITHUB,
	  .help = "github: the App's ID (claim iss) instead of --client-id" },
	{ .names = "--audience", .arg = "URL", .kind = STRING, .commands = REQUEST,
	  .field = FIELD(audience), .rank = 60, .providers = CLAIMED,
	  .help = "claim aud (default: env SF_AUDIENCE_URL, else\n"
		  "test.salesforce.com for sandboxes, else login)",
	  .google_help = "claim aud (default: the key file's token_uri)",
	  .generic_help = "claim aud (default: --token-url)" },
	{ .names = "--bits", .arg = "BITS", .kind = INTEGER, .commands = JG_CMD_KEYGEN,
	  .field = FIELD(bits), .max = 1 << 20, .rank = 10, .values = "2048 3072 4096",
	  .help = "RSA key size: 2048 (default), 3072 or 4096" },
	{ .names = "--cacert", .arg = "FILE", .kind = STRING, .commands = NETWORK,
	  .field = FIELD(cacert), .rank = 80, .complete = JG_COMPLETE_FILE,
	  .help = "trust the CA certificates in FILE (PEM)" },
	{ .names = "--cache-dir", .arg = "DIR", .kind = STRING, .commands = NETWORK,
	  .field = FIELD(cache_dir), .rank = 185, .complete = JG_COMPLETE_DIR,
	  .help = "token cache (default: env JWTGRANT_CACHE_DIR, else\n"
		  "$XDG_CACHE_HOME/jwtgrant, else ~/.cache/jwtgrant)" },
	{ .names = "--capath", .arg = "DIR", .kind = STRING, .commands = NETWORK,
	  .field = FIELD(capath), .rank = 90, .complete = JG_COMPLETE_DIR,
	  .help = "trust the PEM certificates in DIR" },
	{ .names = "--cert", .arg = "FILE", .kind = STRING,
	  .commands = JG_CMD_CHECK | JG_CMD_DECODE | GRANT_LIKE, .providers = GENERIC,
	  .field = FIELD(cert), .rank = 35, .complete = JG_COMPLETE_FILE,
	  .help = "the certificate to check the key or JWT with",
	  .generic_help = "the certificate whose thumbprint --x5t sends" },
	{ .names = "--cert-out", .arg = "PATH", .kind = STRING, .commands = JG_CMD_KEYGEN,
	  .field = FIELD(cert_out), .rank = 30, .complete = JG_COMPLETE_FILE,
	  .help = "write the certificate there (default server.crt)" },
	{ .names = "--claim", .arg = "K=V", .kind = MULTI, .commands = GRANT_LIKE,
	  .field = FIELD(claims), .rank = 46, .providers = GENERIC,
	  .help = "generic: claim K=STRING or K:=JSON (repeat)" },
	{ .names = "--client-assertion", .kind = FLAG, .commands = GRANT_LIKE,
	  .field = FIELD(client_assertion), .rank = 49, .providers = GENERIC,
	  .help = "generic: client_credentials, JWT client auth" },
	{ .names = "--client-id|-i|--clientid", .arg = "ID", .kind = STRING, .commands = REQUEST,
	  .field = FIELD(client_id), .rank = 10, .providers = SF | GENERIC | GITHUB,
	  .help = "Connected App consumer key (claim iss)",
	  .generic_help = "the client: claim iss unless --issuer",
	  .github_help = "the App's client ID (claim iss)" },
	{ .names = "--connect-timeout", .arg = "SECONDS", .kind = SECONDS, .commands = NETWORK,
	  .field = FIELD(connect_timeout_ms), .max = 3600, .rank = 120,
	  .help = "per connection attempt (default 10)" },
	{ .names = "--credentials", .arg = "FILE", .kind = STRING, .commands = GRANT_LIKE,
	  .field = FIELD(credentials), .rank = 12, .complete = JG_COMPLETE_FILE, .providers = GOOGLE,
	  .help = "google: the service account's JSON key file\n"
		  "(default: env GOOGLE_APPLICATION_CREDENTIALS)" },
	{ .names = "--days", .arg = "N", .kind = INTEGER, .commands = JG_CMD_KEYGEN,
	  .field = FIELD(days), .min = -(1 << 30), .max = 1 << 30, .rank = 60,
	  .help = "certificate validity, 1 to 9999 days (default 365)" },
	{ .names = "--enc-cipher", .arg = "NAME", .kind = STRING, .commands = KEY_USERS,
	  .providers = KEYED,
	  .field = FIELD(enc_cipher), .group = KEYS, .rank = 30,
	  .values = "aes-256-cbc aes-192-cbc aes-128-cbc des-ede3-cbc",
	  .help = "openssl enc cipher: aes-256-cbc (default),\naes-192-cbc, aes-128-cbc, des-ede3-cbc" },
	{ .names = "--enc-iter", .arg = "N", .kind = INTEGER, .commands = KEY_USERS,
	  .providers = KEYED,
	  .field = FIELD(enc_iter), .min = 1, .max = JG_KDF_ITER_MAX, .group = KEYS, .rank = 40,
	  .help = "openssl enc -pbkdf2 -iter N (default 10000)" },
	{ .names = "--enc-iv-env", .arg = "VAR", .kind = STRING, .commands = KEY_USERS,
	  .providers = KEYED,
	  .field = FIELD(enc_iv_env), .group = KEYS, .rank = 70, .complete = JG_COMPLETE_ENV,
	  .help = "openssl enc -nosalt: the hex IV (-iv) in VAR" },
	{ .names = "--enc-key-env", .arg = "VAR", .kind = STRING, .commands = KEY_USERS,
	  .providers = KEYED,
	  .field = FIELD(enc_key_env), .group = KEYS, .rank = 60, .complete = JG_COMPLETE_ENV,
	  .help = "openssl enc -nosalt: the hex key (-K) in VAR" },
	{ .names = "--enc-md", .arg = "NAME", .kind = STRING, .commands = KEY_USERS,
	  .providers = KEYED,
	  .field = FIELD(enc_md), .group = KEYS, .rank = 50, .values = "sha256 sha1 sha512 md5",
	  .help = "openssl enc -md: sha256, sha1, sha512, md5" },
	{ .names = "--encrypt", .kind = FLAG, .commands = JG_CMD_KEYGEN, .field = FIELD(encrypt),
	  .rank = 80, .help = "encrypt the key with a passphrase (PBES2)" },
	{ .names = "--force", .kind = FLAG, .commands = JG_CMD_KEYGEN, .field = FIELD(force),
	  .rank = 70, .help = "overwrite existing files" },
	{ .names = "--form", .arg = "K=V", .kind = MULTI, .commands = GRANT_LIKE,
	  .field = FIELD(forms), .rank = 52, .providers = GENERIC,
	  .help = "generic: an extra form field (repeatable)" },
	{ .names = "--help|-h", .kind = FLAG, .commands = ALL, .field = FIELD(help), .group = COMMON,
	  .rank = 20, .help = "print the command's usage and exit" },
	{ .names = "--installation-id", .arg = "N", .kind = STRING, .commands = GRANT_LIKE,
	  .field = FIELD(installation_id), .rank = 47, .providers = GITHUB,
	  .help = "github: the installation to get a token for" },
	{ .names = "--installation-user", .arg = "USER", .kind = STRING, .commands = GRANT_LIKE,
	  .field = FIELD(installation_user), .rank = 51, .providers = GITHUB,
	  .help = "github: or the installation on USER's account" },
	{ .names = "--instance-url|-r|--instanceurl|-l|--login-url", .arg = "URL", .kind = STRING,
	  .commands = REQUEST, .field = FIELD(instance_url), .rank = 50,
	  .ignored_by = GOOGLE | GENERIC | GITHUB,
	  .help = "token host (default https://login.salesforce.com)" },
	{ .names = "--issuer", .arg = "ISS", .kind = STRING, .commands = GRANT_LIKE,
	  .field = FIELD(issuer), .rank = 11, .providers = GENERIC,
	  .help = "generic: claim iss (default: --client-id)" },
	{ .names = "--json", .kind = OUTPUT_JSON, .commands = JG_CMD_GRANT, .field = FIELD(output),
	  .rank = 160, .help = "same as --output json" },
	{ .names = "--jti", .kind = FLAG, .commands = GRANT_LIKE, .field = FIELD(jti), .rank = 48,
	  .providers = GENERIC, .help = "generic: a random jti claim in each assertion" },
	{ .names = "--jwt-header", .arg = "K=V", .kind = MULTI, .commands = GRANT_LIKE,
	  .field = FIELD(headers), .rank = 47, .providers = GENERIC,
	  .help = "generic: a header member, e.g. kid=K (repeat)" },
	{ .names = "--jwt-key-env", .arg = "VAR", .kind = STRING, .commands = KEY_USERS,
	  .providers = KEYED,
	  .field = FIELD(key_env), .rank = 30, .complete = JG_COMPLETE_ENV,
	  .help = "private key from an environment variable" },
	{ .names = "--jwt-key-file|-f|--jwtkeyfile|--keyfile|--key-file", .arg = "PATH",
	  .providers = KEYED,
	  .kind = STRING, .commands = KEY_USERS, .field = FIELD(key_file), .rank = 20,
	  .complete = JG_COMPLETE_FILE, .help = "RSA private key (PEM/DER/base64; - reads stdin)" },
	{ .names = "--jwt-subject", .arg = "USER", .kind = STRING, .commands = GRANT_LIKE,
	  .field = FIELD(jwt_subject), .rank = 45, .providers = GOOGLE | GENERIC,
	  .help = "claim sub: the user to act as" },
	{ .names = "--kdf-iter", .arg = "N", .kind = INTEGER, .commands = JG_CMD_KEYGEN,
	  .field = FIELD(kdf_iter), .min = 1, .max = JG_KDF_ITER_MAX, .rank = 90,
	  .help = "PBKDF2 iterations of --encrypt (default 600000)" },
	{ .names = "--key-out", .arg = "PATH", .kind = STRING, .commands = JG_CMD_KEYGEN,
	  .field = FIELD(key_out), .rank = 20, .complete = JG_COMPLETE_FILE,
	  .help = "write the private key there (default server.key)" },
	{ .names = "--lifetime", .arg = "SECONDS", .kind = INTEGER, .commands = GRANT_LIKE,
	  .field = FIELD(lifetime), .min = 1, .max = 3600, .rank = 70, .providers = CLAIMED,
	  .help = "exp = now + SECONDS, 1 to 3600 (default 180)",
	  .google_help = "exp = now + SECONDS, 1 to 3600 (default 3600)" },
	{ .names = "--loglevel", .arg = "LEVEL", .kind = IGNORED_ARG, .commands = JG_CMD_GRANT,
	  .help = "sf: the log level" },
	{ .names = "--max-time|-m", .arg = "SECONDS", .kind = SECONDS, .commands = NETWORK,
	  .field = FIELD(max_time_ms), .max = 86400, .rank = 130,
	  .help = "whole command (default 60)" },
	{ .names = "--no-prompt|--noprompt|-p", .kind = IGNORED, .commands = JG_CMD_GRANT,
	  .help = "sf: do not prompt" },
	{ .names = "--no-reuse", .kind = FLAG, .commands = JG_CMD_GRANT, .field = FIELD(no_reuse),
	  .rank = 182, .help = "log in afresh; ignore env JWTGRANT_REUSE" },
	{ .names = "--noproxy", .arg = "LIST", .kind = LIST, .commands = NETWORK,
	  .field = FIELD(noproxy), .rank = 110, .help = "hosts that bypass the proxy; env no_proxy" },
	{ .names = "--org", .arg = "O", .kind = STRING, .commands = JG_CMD_KEYGEN | GRANT_LIKE,
	  .field = FIELD(org), .rank = 50, .providers = GITHUB,
	  .help = "certificate subject organisation (O)",
	  .github_help = "github: or the installation on organisation O" },
	{ .names = "--output", .arg = "FORMAT", .kind = STRING, .commands = JG_CMD_GRANT,
	  .field = FIELD(output), .rank = 150, .values = "text json env github azure token",
	  .help = "text (default), json, env, github, azure, token" },
	{ .names = "--output-file", .arg = "PATH", .kind = STRING, .commands = GRANT_LIKE,
	  .field = FIELD(output_file), .rank = 170, .complete = JG_COMPLETE_FILE,
	  .help = "write the output there (0600, atomic)" },
	{ .names = "--passphrase|--passin|-k|--pass", .arg = "PASSPHRASE", .kind = SECRET,
	  .commands = PASSPHRASE_USERS,
	  .help = "refused: a passphrase on the command line shows in ps and shell history" },
	{ .names = "--passphrase-env", .providers = KEYED, .arg = "VAR", .kind = STRING,
	  .commands = PASSPHRASE_USERS,
	  .field = FIELD(passphrase_env), .group = KEYS, .rank = 10, .complete = JG_COMPLETE_ENV,
	  .help = "the passphrase from an environment variable" },
	{ .names = "--passphrase-file", .providers = KEYED, .arg = "PATH", .kind = STRING,
	  .commands = PASSPHRASE_USERS,
	  .field = FIELD(passphrase_file), .group = KEYS, .rank = 20, .complete = JG_COMPLETE_FILE,
	  .help = "its first line is the passphrase (- reads stdin)" },
	{ .names = "--permission", .arg = "K=V", .kind = MULTI, .commands = GRANT_LIKE,
	  .field = FIELD(permissions), .rank = 53, .providers = GITHUB,
	  .help = "github: narrow to NAME=read|write (repeatable)" },
	{ .names = "--provider", .arg = "NAME", .kind = PROVIDER, .commands = GRANT_LIKE,
	  .field = FIELD(provider), .rank = 1, .values = "salesforce google generic github",
	  .help = "salesforce (default), google, generic or github" },
	{ .names = "--proxy|-x", .arg = "URL", .kind = PROXY, .commands = NETWORK,
	  .field = FIELD(proxy), .rank = 100, .help = "HTTP proxy (CONNECT); env https_proxy, all_proxy" },
	{ .names = "--repo", .arg = "OWNER/NAME", .kind = STRING, .commands = GRANT_LIKE,
	  .field = FIELD(repo), .rank = 49, .providers = GITHUB,
	  .help = "github: or the installation on this repository" },
	{ .names = "--repositories", .arg = "A,B", .kind = STRING, .commands = GRANT_LIKE,
	  .field = FIELD(repositories), .rank = 52, .providers = GITHUB,
	  .help = "github: narrow the token to these repositories" },
	{ .names = "--retry", .arg = "N", .kind = INTEGER, .commands = NETWORK,
	  .field = FIELD(retry), .max = 100, .rank = 140,
	  .help = "retry network failures and 5xx/429 N times" },
	{ .names = "--reuse", .arg = "SECONDS", .kind = INTEGER, .commands = JG_CMD_GRANT,
	  .field = FIELD(reuse), .min = 1, .max = 86400, .rank = 180,
	  .help = "answer with a token obtained less than SECONDS ago\n"
		  "for the same request (env JWTGRANT_REUSE)" },
	{ .names = "--scope", .arg = "SCOPE", .kind = APPEND, .commands = GRANT_LIKE,
	  .field = FIELD(scope), .rank = 14, .providers = GOOGLE | GENERIC,
	  .help = "a scope to ask for (repeatable)" },
	{ .names = "--set-default|-s|--setdefaultusername", .kind = IGNORED, .commands = JG_CMD_GRANT,
	  .help = "sf: make the org the default one" },
	{ .names = "--set-default-dev-hub|-d|--setdefaultdevhubusername|--setdefaultdevhub",
	  .kind = IGNORED, .commands = JG_CMD_GRANT, .help = "sf: make the org the default Dev Hub" },
	{ .names = "--subject", .arg = "CN", .kind = STRING, .commands = JG_CMD_KEYGEN,
	  .field = FIELD(subject), .rank = 40, .help = "certificate subject CN (default jwtgrant)" },
	{ .names = "--token-env", .arg = "VAR", .kind = STRING, .commands = JG_CMD_REVOKE,
	  .field = FIELD(token_env), .rank = 5, .complete = JG_COMPLETE_ENV,
	  .help = "revoke the access token held in VAR" },
	{ .names = "--token-url", .arg = "URL", .kind = STRING, .commands = GRANT_LIKE,
	  .field = FIELD(token_url), .rank = 5, .providers = GOOGLE | GENERIC,
	  .help = "the token endpoint (google: else token_uri)" },
	{ .names = "--username|-o|-u", .arg = "USER", .kind = STRING, .commands = REQUEST,
	  .field = FIELD(username), .rank = 40, .providers = SF,
	  .help = "Salesforce username (claim sub)" },
	{ .names = "--verbose|-v", .kind = FLAG, .commands = ALL, .field = FIELD(verbose),
	  .group = COMMON, .rank = 10, .help = "trace to stderr (secrets redacted)" },
	{ .names = "--version|-V", .kind = FLAG, .commands = ALL, .field = FIELD(version),
	  .group = COMMON, .rank = 30, .help = "print the version line and exit" },
	{ .names = "--x5t", .kind = FLAG, .commands = GRANT_LIKE, .field = FIELD(x5t), .rank = 50,
	  .providers = GENERIC, .help = "generic: header x5t, --cert's SHA-1 thumbprint" },
};
#define OPTION_COUNT (sizeof options / sizeof options[0])
_Static_assert(OPTION_COUNT <= JG_CLI_OPTIONS_MAX, "jg_options.given has a byte per option");

/* The commands, their sf/sfdx names, and their usage (--help and the man page's synopsis). */
static const jg_cli_command_doc commands[] = {
	{ JG_CMD_GRANT, "grant", "login|org login jwt|force:auth:jwt:grant|auth:jwt:grant",
	  "request an access token with the JWT bearer grant",
	  "grant --client-id ID --username USER\n(--jwt-key-file PATH | --jwt-key-env VAR) [options]",
	  NULL },
	{ JG_CMD_ASSERTION, "assertion", "sign", "build and sign the JWT, print it, no network",
	  "assertion --client-id ID --username USER\n"
	  "(--jwt-key-file PATH | --jwt-key-env VAR)\n"
	  "[--instance-url URL] [--audience URL]\n"
	  "[--lifetime SECONDS] [--output-file PATH]",
	  "Build the RS256 JWT that grant would send and print it; no network.\n" },
	{ JG_CMD_KEYGEN, "keygen", NULL,
	  "create a key and a self-signed certificate for the Connected App",
	  "keygen [--bits 2048|3072|4096] [--key-out server.key]\n"
	  "[--cert-out server.crt] [--subject CN] [--org O]\n"
	  "[--days N] [--force] [--encrypt [--kdf-iter N]\n"
	  "[--passphrase-env VAR | --passphrase-file PATH]]",
	  "Create an RSA key (PKCS#8 PEM, mode 0600) and a self-signed certificate (PEM) to\n"
	  "upload to the Connected App or External Client App (\"Use digital signatures\").\n"
	  "Existing files need --force. --encrypt writes the key encrypted (PBES2,\n"
	  "PBKDF2-HMAC-SHA256 with --kdf-iter iterations, AES-256-CBC); the passphrase is\n"
	  "asked twice on the terminal unless --passphrase-env or --passphrase-file\n"
	  "gives it.\n" },
	{ JG_CMD_REVOKE, "revoke", NULL,
	  "revoke an access token and forget it in the token cache",
	  "revoke --client-id ID --username USER\n(--jwt-key-file PATH | --jwt-key-env VAR) [options]\n"
	  "revoke --token-env VAR [--instance-url URL] [options]",
	  "Revoke the token that grant --reuse cached for this request, at its instance\n"
	  "URL, or the token held in VAR at --instance-url (else env SF_ORG_INSTANCE_URL,\n"
	  "else https://login.salesforce.com), and remove it from the token cache.\n" },
	{ JG_CMD_CHECK, "check", NULL,
	  "inspect a key and certificate: size, fingerprint, match, validity",
	  "check (--jwt-key-file PATH | --jwt-key-env VAR) [--cert FILE]",
	  "Show the key's type, size and public-key SHA-256; with --cert, whether the\n"
	  "certificate holds the same key, its subject, issuer and validity. Exit 7 on a\n"
	  "mismatch or an expired certificate.\n" },
	{ JG_CMD_DECODE, "decode", NULL,
	  "print a JWT's header and claims (--cert verifies its signature)",
	  "decode [JWT|-] [--cert FILE]",
	  "Print the header and claims of a JWT (from the argument or stdin). Without\n"
	  "--cert the signature is not checked; with --cert it is verified (RS256), exit 7\n"
	  "when it fails.\n" },
};
#define COMMAND_COUNT (sizeof commands / sizeof commands[0])

static const jg_cli_command_doc *command_doc(jg_command cmd)
{
	for (size_t c = 0; c < COMMAND_COUNT; c++) {
		if (commands[c].cmd == cmd)
			return &commands[c];
	}
	return NULL;
}

const char *jg_cli_command_name(jg_command cmd)
{
	const jg_cli_command_doc *d = command_doc(cmd);
	return d != NULL ? d->name : "jwtgrant";
}

size_t jg_cli_next_name(const char **cursor, const char **name)
{
	const char *p = *cursor;
	size_t n = strcspn(p, "|");
	*name = p;
	*cursor = p + n + (p[n] == '|');
	return n;
}

/* Whether `arg` (up to '=' when it has one) is one of the '|'-separated names. */
static int name_matches(const char *names, const char *arg, size_t arg_len)
{
	const char *cursor = names, *name;
	size_t n;
	while ((n = jg_cli_next_name(&cursor, &name)) > 0) {
		if (n == arg_len && strncmp(name, arg, n) == 0)
			return 1;
	}
	return 0;
}

static const struct option *find_option(const char *arg, size_t len)
{
	for (size_t i = 0; i < OPTION_COUNT; i++) {
		if (name_matches(options[i].names, arg, len))
			return &options[i];
	}
	return NULL;
}

/* The canonical name of an option, for messages. */
static void canonical(const struct option *opt, char *out, size_t cap)
{
	size_t n = strcspn(opt->names, "|");
	(void)snprintf(out, cap, "%.*s", (int)n, opt->names);
}

static jg_status parse_integer(const char *name, const char *value, long min, long max, long *out,
	jg_error *err)
{
	long long v;
	if (!jg_ascii_parse_integer(value, min, max, &v))
		return jg_fail(err, JG_ERR_USAGE, "%s: '%.40s' is not a whole number from %ld to %ld",
			name, value, min, max);
	*out = (long)v;
	return JG_OK;
}

static jg_status parse_seconds(const char *name, const char *value, long max, long *out_ms,
	jg_error *err)
{
	if (!jg_ascii_parse_seconds(value, max, out_ms))
		return jg_fail(err, JG_ERR_USAGE, "%s: '%.40s' is not a number of seconds above 0 and up to %ld",
			name, value, max);
	return JG_OK;
}

/* Copy a proxy URL and blank its user info in argv, as curl does, so ps cannot show it. */
static const char *keep_proxy(jg_options *o, char *value)
{
	(void)jg_copy_secret(o->proxy_copy, sizeof o->proxy_copy, value); /* may hold a password */
	char *at = strrchr(value, '@');
	if (at != NULL) {
		char *start = (char *)memmem(value, strlen(value), "://", 3);
		start = (start != NULL && start < at) ? start + 3 : value;
		memset(start, '*', (size_t)(at - start));
	}
	return o->proxy_copy;
}

void jg_cli_wipe(jg_options *o)
{
	if (o->proxy == o->proxy_copy)
		o->proxy = NULL;
	jg_wipe(o->proxy_copy, sizeof o->proxy_copy);
}

static void warn_ignored(const char *name)
{
	(void)fprintf(stderr, "jwtgrant: warning: %s is accepted for sf/sfdx compatibility and ignored: "
		"jwtgrant keeps no org store\n", name);
}

/* An option without a value: a flag, --json, or an ignored sf flag. */
static void apply_flag(jg_options *o, const struct option *opt, const char *name)
{
	if (opt->kind == FLAG)
		*(int *)(void *)((char *)o + opt->field) = 1;
	else if (opt->kind == OUTPUT_JSON)
		o->output = "json";
	else
		warn_ignored(name);
}

static jg_status not_listed(const char *name, const char *value, jg_error *err);

static jg_status parse_provider(jg_options *o, const char *name, const char *value, jg_error *err)
{
	if (strcmp(value, "salesforce") == 0)
		o->provider = JG_PROVIDER_SALESFORCE;
	else if (strcmp(value, "google") == 0)
		o->provider = JG_PROVIDER_GOOGLE;
	else if (strcmp(value, "generic") == 0)
		o->provider = JG_PROVIDER_GENERIC;
	else if (strcmp(value, "github") == 0)
		o->provider = JG_PROVIDER_GITHUB;
	else
		return not_listed(name, value, err);
	return JG_OK;
}

/* A scope-token of RFC 6749, section 3.3: one or more of %x21 / %x23-5B / %x5D-7E. */
static int is_scope_token(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x21 || *p > 0x7E || *p == '"' || *p == '\\')
			return 0;
	}
	return *s != '\0';
}

/* --scope again: its value after the others, separated by a space. */
static jg_status append_scope(jg_options *o, const char *name, const char *value, jg_error *err)
{
	size_t used = strlen(o->scope), n = strlen(value);
	if (!is_scope_token(value))
		return jg_fail(err, JG_ERR_USAGE, "%s takes one scope: printable ASCII without spaces, "
			"'\"' or '\\'; repeat %s for more", name, name);
	if (used + (used > 0) + n >= sizeof o->scope)
		return jg_fail(err, JG_ERR_USAGE, "the scopes are longer than %zu bytes together",
			sizeof o->scope - 1);
	(void)snprintf(o->scope + used, sizeof o->scope - used, "%s%s", used > 0 ? " " : "", value);
	return JG_OK;
}

/* A repeatable option's value, kept after the earlier ones. */
static jg_status add_to_list(jg_cli_list *list, const char *name, const char *value, jg_error *err)
{
	if (list->count == JG_CLI_LIST_MAX)
		return jg_fail(err, JG_ERR_USAGE, "%s is given more than %d times", name, JG_CLI_LIST_MAX);
	list->items[list->count++] = value;
	return JG_OK;
}

/* An option with its value (never NULL). */
static jg_status apply_value(jg_options *o, const struct option *opt, const char *name,
	char *value, jg_error *err)
{
	char *field = (char *)o + opt->field;
	switch (opt->kind) {
	case STRING:
		if (*value == '\0')
			return jg_fail(err, JG_ERR_USAGE, "%s needs a non-empty value", name);
		*(const char **)(void *)field = value;
		return JG_OK;
	case LIST:
		*(const char **)(void *)field = value;
		return JG_OK;
	case INTEGER:
		return parse_integer(name, value, opt->min, opt->max, (long *)(void *)field, err);
	case SECONDS:
		return parse_seconds(name, value, opt->max, (long *)(void *)field, err);
	case PROXY:
		o->proxy = keep_proxy(o, value);
		return JG_OK;
	case PROVIDER:
		return parse_provider(o, name, value, err);
	case APPEND:
		return append_scope(o, name, value, err);
	case MULTI:
		return add_to_list((jg_cli_list *)(void *)field, name, value, err);
	default: /* IGNORED_ARG: its value is read and dropped */
		warn_ignored(name);
		return JG_OK;
	}
}

static int takes_value(unsigned k)
{
	return k == STRING || k == LIST || k == INTEGER || k == SECONDS || k == PROXY ||
		k == IGNORED_ARG || k == PROVIDER || k == APPEND || k == MULTI;
}

static jg_status apply_option(jg_options *o, const struct option *opt, char *value, jg_error *err)
{
	char name[64];
	canonical(opt, name, sizeof name);
	o->given[opt - options] = 1;
	if (!takes_value(opt->kind)) {
		apply_flag(o, opt, name);
		return JG_OK;
	}
	if (value == NULL)
		return jg_fail(err, JG_ERR_USAGE, "%s needs a value", name);
	return apply_value(o, opt, name, value, err);
}

/* How many arguments from argv[i] on spell name[0..len), whose words are separated by single
 * spaces ("org login jwt" is three arguments); 0 when they do not. */
static int spelled(const char *name, size_t len, int argc, char **argv, int i)
{
	int words = 0;
	for (size_t start = 0; start < len; words++) {
		size_t end = start;
		while (end < len && name[end] != ' ')
			end++;
		if (i + words >= argc || strncmp(argv[i + words], name + start, end - start) != 0 ||
			argv[i + words][end - start] != '\0')
			return 0;
		start = end + 1;
	}
	return words;
}

/* Which command argv[*i] (and the words after it) names; advances *i past it. */
static jg_command parse_command(int argc, char **argv, int *i)
{
	for (size_t c = 0; c < COMMAND_COUNT; c++) {
		const char *cursor = commands[c].aliases != NULL ? commands[c].aliases : "", *alias;
		int words = spelled(commands[c].name, strlen(commands[c].name), argc, argv, *i);
		size_t n;
		while (words == 0 && (n = jg_cli_next_name(&cursor, &alias)) > 0)
			words = spelled(alias, n, argc, argv, *i);
		if (words > 0) {
			*i += words;
			return commands[c].cmd;
		}
	}
	return JG_CMD_NONE;
}

const char jg_cli_default_instance_url[] = "https://login.salesforce.com";

static void set_defaults(jg_options *o)
{
	memset(o, 0, sizeof *o);
	o->instance_url = jg_cli_default_instance_url;
	o->lifetime = 180;
	o->connect_timeout_ms = 10000;
	o->max_time_ms = 60000;
	o->output = "text";
	o->provider = JG_PROVIDER_SALESFORCE;
	o->bits = 2048;
	o->days = 365;
	o->key_out = "server.key";
	o->cert_out = "server.crt";
	o->subject = "jwtgrant";
	o->kdf_iter = 600000;
}

/*
 * Where the option's name ends in arg, and where an attached value starts (NULL when none):
 * "--name=VALUE", or a short option with its value attached, "-xVALUE" (as curl and getopt
 * take it) or "-x=VALUE" (as sf's parser takes it).
 */
static size_t split_option(char *arg, char **attached)
{
	*attached = NULL;
	if (arg[1] == '-') {
		char *eq = strchr(arg, '=');
		if (eq == NULL)
			return strlen(arg);
		*attached = eq + 1;
		return (size_t)(eq - arg);
	}
	if (arg[2] != '\0')
		*attached = arg + 2 + (arg[2] == '=');
	return 2;
}

/* The option's value: attached to it, or the next argument. */
static jg_status take_value(int argc, char **argv, int *i, char *attached, const char *name,
	char **value, jg_error *err)
{
	if (attached != NULL)
		*value = attached;
	else if (*i + 1 < argc)
		*value = argv[++*i];
	else
		return jg_fail(err, JG_ERR_USAGE, "%s needs a value", name);
	return JG_OK;
}

/* One option at argv[*i] (and its value, which may be the next argument). An error names the
 * option but never shows a value: "-xhttp://user:password@host" must not end up in a log. */
static jg_status parse_one(int argc, char **argv, int *i, jg_options *o, jg_error *err)
{
	char *arg = argv[*i], *attached = NULL;
	size_t len = split_option(arg, &attached);
	const struct option *opt = find_option(arg, len);
	if (opt == NULL)
		return jg_fail(err, JG_ERR_USAGE, "unknown option %.*s; see jwtgrant %s --help", (int)len,
			arg, o->command ? jg_cli_command_name(o->command) : "");
	char name[64];
	canonical(opt, name, sizeof name);
	if (o->command != JG_CMD_NONE && !(opt->commands & o->command))
		return jg_fail(err, JG_ERR_USAGE, "%s is not an option of %s; see jwtgrant %s --help",
			name, jg_cli_command_name(o->command), jg_cli_command_name(o->command));
	if (opt->kind == SECRET)
		return jg_fail(err, JG_ERR_USAGE, "%.*s would put the passphrase on the command line, where "
			"ps and shell history show it; give it with --passphrase-env VAR or --passphrase-file "
			"FILE, or let jwtgrant ask on the terminal", (int)len, arg);
	char *value = NULL;
	if (takes_value(opt->kind)) {
		jg_status st = take_value(argc, argv, i, attached, name, &value, err);
		if (st != JG_OK)
			return st;
	} else if (attached != NULL) {
		return jg_fail(err, JG_ERR_USAGE, "%s takes no value", name);
	}
	return apply_option(o, opt, value, err);
}

/* Whether value is one of the values of the option `name` (ASCII case ignored when fold). */
static int listed(const char *name, const char *value, int fold)
{
	const struct option *opt = find_option(name, strlen(name));
	const char *p = opt != NULL && opt->values != NULL ? opt->values : "";
	size_t len = strlen(value);
	while (*p != '\0') {
		size_t n = strcspn(p, " ");
		if (n == len && (fold ? jg_ascii_equal_n(p, value, n) : strncmp(p, value, n) == 0))
			return 1;
		p += n + (p[n] == ' ');
	}
	return 0;
}

void jg_cli_join(const char *text, char sep, char *out, size_t cap)
{
	size_t n = 0;
	for (const char *p = text; *p != '\0' && n + 3 < cap; p++) {
		if (*p == sep) {
			out[n++] = ',';
			out[n++] = ' ';
		} else {
			out[n++] = *p;
		}
	}
	out[n] = '\0';
}

/* The error for a value that is not one of the option's values. */
static jg_status not_listed(const char *name, const char *value, jg_error *err)
{
	const struct option *opt = find_option(name, strlen(name));
	char values[128];
	jg_cli_join(opt != NULL && opt->values != NULL ? opt->values : "", ' ', values, sizeof values);
	return jg_fail(err, JG_ERR_USAGE, "%s: '%.40s' is not one of %s", name, value, values);
}

/* grant: JWTGRANT_REUSE when neither --reuse nor --no-reuse was given; --no-reuse wins. */
static jg_status apply_reuse_env(jg_options *o, jg_error *err)
{
	const char *env = getenv("JWTGRANT_REUSE");
	if (o->command != JG_CMD_GRANT || o->no_reuse) {
		o->reuse = 0;
		return JG_OK;
	}
	if (o->reuse != 0 || env == NULL || *env == '\0')
		return JG_OK;
	return parse_integer("JWTGRANT_REUSE", env, 1, 86400, &o->reuse, err);
}

/* The options of encrypted keys, together: names that exist, sources that do not clash. */
static jg_status check_encryption(const jg_options *o, jg_error *err)
{
	if (o->enc_cipher != NULL && jg_cipher_by_name(o->enc_cipher) == JG_CIPHER_NONE)
		return not_listed("--enc-cipher", o->enc_cipher, err);
	if (o->enc_md != NULL && !listed("--enc-md", o->enc_md, 1))
		return not_listed("--enc-md", o->enc_md, err);
	if (o->passphrase_env != NULL && o->passphrase_file != NULL)
		return jg_fail(err, JG_ERR_USAGE, "give either --passphrase-env or --passphrase-file, not both");
	if ((o->enc_key_env == NULL) != (o->enc_iv_env == NULL))
		return jg_fail(err, JG_ERR_USAGE, "--enc-key-env and --enc-iv-env go together: the key and the "
			"IV that openssl enc took as -K and -iv");
	if (o->passphrase_file != NULL && strcmp(o->passphrase_file, "-") == 0 && o->key_file != NULL &&
		strcmp(o->key_file, "-") == 0)
		return jg_fail(err, JG_ERR_USAGE, "--passphrase-file - and --jwt-key-file - both want standard "
			"input; give one of them a file");
	if (o->command == JG_CMD_KEYGEN && !o->encrypt &&
		(o->passphrase_env != NULL || o->passphrase_file != NULL || o->kdf_iter != 600000))
		return jg_fail(err, JG_ERR_USAGE, "--passphrase-env, --passphrase-file and --kdf-iter go with "
			"keygen --encrypt");
	return JG_OK;
}

/* Whether the option named `name` was given. */
static int was_given(const jg_options *o, const char *name)
{
	const struct option *opt = find_option(name, strlen(name));
	return opt != NULL && o->given[opt - options];
}

/*
 * grant and assertion: every option given is one the provider takes (providers.md, "Which
 * options apply where"), and the lifetime is the provider's default unless given.
 */
static jg_status check_provider(jg_options *o, jg_error *err)
{
	if (!(o->command & GRANT_LIKE))
		return JG_OK;
	for (size_t i = 0; i < OPTION_COUNT; i++) {
		const struct option *opt = &options[i];
		char name[64];
		if (!o->given[i])
			continue;
		canonical(opt, name, sizeof name);
		if (opt->ignored_by & o->provider)
			(void)fprintf(stderr, "jwtgrant: warning: %s is ignored with --provider %s\n", name,
				jg_provider_name(o->provider));
		if (opt->providers == 0 || (opt->providers & o->provider))
			continue;
		return jg_fail(err, JG_ERR_USAGE, "%s is not an option of %s --provider %s; see jwtgrant "
			"%s --provider %s --help", name, jg_cli_command_name(o->command),
			jg_provider_name(o->provider), jg_cli_command_name(o->command),
			jg_provider_name(o->provider));
	}
	if (o->provider == JG_PROVIDER_GOOGLE && !was_given(o, "--lifetime"))
		o->lifetime = 3600;
	return JG_OK;
}

jg_status jg_cli_parse(int argc, char **argv, jg_options *o, jg_error *err)
{
	set_defaults(o);
	int i = 1;
	if (i < argc && argv[i][0] != '-')
		o->command = parse_command(argc, argv, &i);
	if (o->command == JG_CMD_NONE && i < argc && argv[i][0] != '-')
		return jg_fail(err, JG_ERR_USAGE, "unknown command '%.60s'; commands: grant, assertion, "
			"revoke, keygen, check, decode (see jwtgrant --help)", argv[i]);
	int only_positional = 0;
	for (; i < argc; i++) {
		char *arg = argv[i];
		if (!only_positional && strcmp(arg, "--") == 0) {
			only_positional = 1;
		} else if (!only_positional && arg[0] == '-' && arg[1] != '\0') {
			jg_status st = parse_one(argc, argv, &i, o, err);
			if (st != JG_OK)
				return st;
		} else if (o->command == JG_CMD_DECODE && o->jwt == NULL) {
			o->jwt = arg;
		} else {
			return jg_fail(err, JG_ERR_USAGE, "unexpected argument '%.60s'; see jwtgrant %s --help",
				arg, jg_cli_command_name(o->command));
		}
	}
	if (!listed("--output", o->output, 0))
		return not_listed("--output", o->output, err);
	jg_status st = apply_reuse_env(o, err);
	if (st == JG_OK)
		st = check_provider(o, err);
	return st == JG_OK ? check_encryption(o, err) : st;
}

/* --- the tables, for documentation ---------------------------------------------------------- */

size_t jg_cli_option_count(void)
{
	return OPTION_COUNT;
}

static int is_hidden(const struct option *opt)
{
	return opt->kind == IGNORED || opt->kind == IGNORED_ARG || opt->kind == SECRET;
}

jg_cli_doc jg_cli_option_at(size_t i)
{
	const struct option *opt = &options[i];
	jg_cli_doc d = { .names = opt->names, .arg = opt->arg, .help = opt->help,
		.values = opt->values, .commands = opt->commands, .providers = opt->providers,
		.ignored_by = opt->ignored_by, .group = opt->group, .rank = opt->rank,
		.google_help = opt->google_help, .generic_help = opt->generic_help,
		.github_help = opt->github_help,
		.complete = (jg_cli_complete)opt->complete, .use = JG_OPTION_USED };
	if (opt->kind == SECRET)
		d.use = JG_OPTION_REFUSED;
	else if (is_hidden(opt))
		d.use = JG_OPTION_IGNORED;
	return d;
}

size_t jg_cli_command_count(void)
{
	return COMMAND_COUNT;
}

const jg_cli_command_doc *jg_cli_command_at(size_t i)
{
	return &commands[i];
}
