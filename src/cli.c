#include "cli.h"

#include <errno.h>
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
	SECRET,      /* would take a secret on the command line: refused, value never shown */
	IGNORED,     /* sf/sfdx flag without meaning here: warn once */
	IGNORED_ARG  /* the same, with an argument */
};

#define GRANT_LIKE (JG_CMD_GRANT | JG_CMD_ASSERTION)
#define KEY_USERS (JG_CMD_GRANT | JG_CMD_ASSERTION | JG_CMD_CHECK)
#define PASSPHRASE_USERS (KEY_USERS | JG_CMD_KEYGEN)
#define ALL (JG_CMD_GRANT | JG_CMD_ASSERTION | JG_CMD_KEYGEN | JG_CMD_CHECK | JG_CMD_DECODE)
#define FIELD(f) offsetof(jg_options, f)

struct option {
	const char *names; /* the canonical name first, then aliases, '|'-separated */
	enum kind kind;
	unsigned commands;
	size_t field;
	long min, max;
};

/* Sorted by canonical name. */
static const struct option options[] = {
	{ "--alias|-a|--setalias", IGNORED_ARG, JG_CMD_GRANT, 0, 0, 0 },
	{ "--audience", STRING, GRANT_LIKE, FIELD(audience), 0, 0 },
	{ "--bits", INTEGER, JG_CMD_KEYGEN, FIELD(bits), 0, 1L << 20 },
	{ "--cacert", STRING, JG_CMD_GRANT, FIELD(cacert), 0, 0 },
	{ "--capath", STRING, JG_CMD_GRANT, FIELD(capath), 0, 0 },
	{ "--cert", STRING, JG_CMD_CHECK | JG_CMD_DECODE, FIELD(cert), 0, 0 },
	{ "--cert-out", STRING, JG_CMD_KEYGEN, FIELD(cert_out), 0, 0 },
	{ "--client-id|-i|--clientid", STRING, GRANT_LIKE, FIELD(client_id), 0, 0 },
	{ "--connect-timeout", SECONDS, JG_CMD_GRANT, FIELD(connect_timeout_ms), 0, 3600 },
	{ "--days", INTEGER, JG_CMD_KEYGEN, FIELD(days), -(1L << 30), 1L << 30 },
	{ "--enc-cipher", STRING, KEY_USERS, FIELD(enc_cipher), 0, 0 },
	{ "--enc-iter", INTEGER, KEY_USERS, FIELD(enc_iter), 1, JG_KDF_ITER_MAX },
	{ "--enc-iv-env", STRING, KEY_USERS, FIELD(enc_iv_env), 0, 0 },
	{ "--enc-key-env", STRING, KEY_USERS, FIELD(enc_key_env), 0, 0 },
	{ "--enc-md", STRING, KEY_USERS, FIELD(enc_md), 0, 0 },
	{ "--encrypt", FLAG, JG_CMD_KEYGEN, FIELD(encrypt), 0, 0 },
	{ "--force", FLAG, JG_CMD_KEYGEN, FIELD(force), 0, 0 },
	{ "--help|-h", FLAG, ALL, FIELD(help), 0, 0 },
	{ "--instance-url|-r|--instanceurl|-l|--login-url", STRING, GRANT_LIKE, FIELD(instance_url), 0, 0 },
	{ "--json", OUTPUT_JSON, JG_CMD_GRANT, FIELD(output), 0, 0 },
	{ "--jwt-key-env", STRING, KEY_USERS, FIELD(key_env), 0, 0 },
	{ "--jwt-key-file|-f|--jwtkeyfile|--keyfile|--key-file", STRING, KEY_USERS, FIELD(key_file), 0, 0 },
	{ "--kdf-iter", INTEGER, JG_CMD_KEYGEN, FIELD(kdf_iter), 1, JG_KDF_ITER_MAX },
	{ "--key-out", STRING, JG_CMD_KEYGEN, FIELD(key_out), 0, 0 },
	{ "--lifetime", INTEGER, GRANT_LIKE, FIELD(lifetime), 1, 3600 },
	{ "--loglevel", IGNORED_ARG, JG_CMD_GRANT, 0, 0, 0 },
	{ "--max-time|-m", SECONDS, JG_CMD_GRANT, FIELD(max_time_ms), 0, 86400 },
	{ "--no-prompt|--noprompt|-p", IGNORED, JG_CMD_GRANT, 0, 0, 0 },
	{ "--noproxy", LIST, JG_CMD_GRANT, FIELD(noproxy), 0, 0 },
	{ "--org", STRING, JG_CMD_KEYGEN, FIELD(org), 0, 0 },
	{ "--output", STRING, JG_CMD_GRANT, FIELD(output), 0, 0 },
	{ "--output-file", STRING, GRANT_LIKE, FIELD(output_file), 0, 0 },
	{ "--passphrase|--passin|-k|--pass", SECRET, PASSPHRASE_USERS, 0, 0, 0 },
	{ "--passphrase-env", STRING, PASSPHRASE_USERS, FIELD(passphrase_env), 0, 0 },
	{ "--passphrase-file", STRING, PASSPHRASE_USERS, FIELD(passphrase_file), 0, 0 },
	{ "--proxy|-x", PROXY, JG_CMD_GRANT, FIELD(proxy), 0, 0 },
	{ "--retry", INTEGER, JG_CMD_GRANT, FIELD(retry), 0, 100 },
	{ "--set-default|-s|--setdefaultusername", IGNORED, JG_CMD_GRANT, 0, 0, 0 },
	{ "--set-default-dev-hub|-d|--setdefaultdevhubusername|--setdefaultdevhub", IGNORED, JG_CMD_GRANT, 0, 0, 0 },
	{ "--subject", STRING, JG_CMD_KEYGEN, FIELD(subject), 0, 0 },
	{ "--username|-o|-u", STRING, GRANT_LIKE, FIELD(username), 0, 0 },
	{ "--verbose|-v", FLAG, ALL, FIELD(verbose), 0, 0 },
	{ "--version|-V", FLAG, ALL, FIELD(version), 0, 0 },
};

static const struct {
	const char *name;
	jg_command cmd;
	int words;
} commands[] = {
	{ "grant", JG_CMD_GRANT, 1 },
	{ "login", JG_CMD_GRANT, 1 },
	{ "force:auth:jwt:grant", JG_CMD_GRANT, 1 },
	{ "auth:jwt:grant", JG_CMD_GRANT, 1 },
	{ "org login jwt", JG_CMD_GRANT, 3 },
	{ "assertion", JG_CMD_ASSERTION, 1 },
	{ "sign", JG_CMD_ASSERTION, 1 },
	{ "keygen", JG_CMD_KEYGEN, 1 },
	{ "check", JG_CMD_CHECK, 1 },
	{ "decode", JG_CMD_DECODE, 1 },
};

const char *jg_cli_command_name(jg_command cmd)
{
	switch (cmd) {
	case JG_CMD_GRANT: return "grant";
	case JG_CMD_ASSERTION: return "assertion";
	case JG_CMD_KEYGEN: return "keygen";
	case JG_CMD_CHECK: return "check";
	case JG_CMD_DECODE: return "decode";
	default: return "jwtgrant";
	}
}

/* Whether `arg` (up to '=' when it has one) is one of the '|'-separated names. */
static int name_matches(const char *names, const char *arg, size_t arg_len)
{
	const char *p = names;
	while (*p) {
		const char *end = strchr(p, '|');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n == arg_len && strncmp(p, arg, n) == 0)
			return 1;
		p += n + (end ? 1 : 0);
	}
	return 0;
}

static const struct option *find_option(const char *arg, size_t len)
{
	for (size_t i = 0; i < sizeof options / sizeof options[0]; i++) {
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

/* A decimal number as strtod writes one: [+] digits [. digits] [e [+-] digits], with at least
 * one digit before the exponent. The digits lie in text; the point is not among them. */
struct decimal_text {
	const char *whole, *fraction; /* the digits before and after the point */
	size_t whole_len, fraction_len;
	long exponent;                /* saturated at ±EXPONENT_CAP */
};

#define EXPONENT_CAP 100000L

static size_t count_digits(const char *s)
{
	size_t n = 0;
	while (s[n] >= '0' && s[n] <= '9')
		n++;
	return n;
}

/* Split text into d; 0, or -1 when it is not such a number from its first byte to its end. */
static int split_decimal(const char *text, struct decimal_text *d)
{
	const char *p = text;
	if (*p == '+')
		p++;
	d->whole = p;
	d->whole_len = count_digits(p);
	p += d->whole_len;
	d->fraction = p;
	d->fraction_len = 0;
	if (*p == '.') {
		d->fraction = ++p;
		d->fraction_len = count_digits(p);
		p += d->fraction_len;
	}
	d->exponent = 0;
	if (d->whole_len + d->fraction_len == 0)
		return -1;
	if (*p == 'e' || *p == 'E') {
		int negative = p[1] == '-';
		p += (p[1] == '-' || p[1] == '+') ? 2 : 1;
		if (count_digits(p) == 0)
			return -1;
		for (; *p >= '0' && *p <= '9'; p++) {
			if (d->exponent < EXPONENT_CAP)
				d->exponent = d->exponent * 10 + (*p - '0');
		}
		d->exponent = negative ? -d->exponent : d->exponent;
	}
	return *p == '\0' ? 0 : -1;
}

/*
 * The number in d, times 1000, rounded up to a whole number (0.0001 s is 1 ms, never 0), or
 * limit + 1 for anything above limit. Exact: the digits are walked as an integer whose point
 * sits `shift` places from its end once the exponent and the factor 1000 are applied.
 */
static long long milliseconds_up(const struct decimal_text *d, long long limit)
{
	size_t n = d->whole_len + d->fraction_len;
	long shift = d->exponent + 3 - (long)d->fraction_len;
	long long ms = 0;
	int rest = 0; /* a nonzero digit right of the point */
	for (size_t i = 0; i < n; i++) {
		int digit = (i < d->whole_len ? d->whole[i] : d->fraction[i - d->whole_len]) - '0';
		if ((long)(n - i) + shift > 0)
			ms = ms > limit ? ms : ms * 10 + digit;
		else
			rest |= digit != 0;
	}
	for (long k = 0; k < shift && ms > 0 && ms <= limit; k++)
		ms *= 10;
	ms += rest;
	return ms > limit ? limit + 1 : ms;
}

/*
 * Seconds with an optional fraction or exponent ("2", "0.25", "1.5e1", "+3"), read exactly
 * into milliseconds rounded up, in (0, max] seconds. White space before the number is skipped,
 * as strtod did; a sign other than '+', hexadecimal, "inf" and "nan" are refused.
 */
static jg_status parse_seconds(const char *name, const char *value, long max, long *out_ms,
	jg_error *err)
{
	const char *p = value;
	while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		p++;
	struct decimal_text d;
	long long limit = (long long)max * 1000;
	long long ms = split_decimal(p, &d) == 0 ? milliseconds_up(&d, limit) : 0;
	if (ms < 1 || ms > limit)
		return jg_fail(err, JG_ERR_USAGE, "%s: '%.40s' is not a number of seconds above 0 and up to %ld",
			name, value, max);
	*out_ms = (long)ms;
	return JG_OK;
}

/* Copy a proxy URL and blank its user info in argv, as curl does, so ps cannot show it. */
static const char *keep_proxy(jg_options *o, char *value)
{
	(void)snprintf(o->proxy_copy, sizeof o->proxy_copy, "%s", value);
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
	default: /* IGNORED_ARG: its value is read and dropped */
		warn_ignored(name);
		return JG_OK;
	}
}

static int takes_value(enum kind k)
{
	return k == STRING || k == LIST || k == INTEGER || k == SECONDS || k == PROXY || k == IGNORED_ARG;
}

static jg_status apply_option(jg_options *o, const struct option *opt, char *value, jg_error *err)
{
	char name[64];
	canonical(opt, name, sizeof name);
	if (!takes_value(opt->kind)) {
		apply_flag(o, opt, name);
		return JG_OK;
	}
	if (value == NULL)
		return jg_fail(err, JG_ERR_USAGE, "%s needs a value", name);
	return apply_value(o, opt, name, value, err);
}

/* Which command argv[*i] names; advances *i past it. */
static jg_command parse_command(int argc, char **argv, int *i)
{
	for (size_t c = 0; c < sizeof commands / sizeof commands[0]; c++) {
		if (commands[c].words == 3) {
			if (*i + 2 < argc && strcmp(argv[*i], "org") == 0 &&
				strcmp(argv[*i + 1], "login") == 0 && strcmp(argv[*i + 2], "jwt") == 0) {
				*i += 3;
				return commands[c].cmd;
			}
		} else if (strcmp(argv[*i], commands[c].name) == 0) {
			*i += 1;
			return commands[c].cmd;
		}
	}
	return JG_CMD_NONE;
}

static void set_defaults(jg_options *o)
{
	memset(o, 0, sizeof *o);
	o->instance_url = "https://login.salesforce.com";
	o->lifetime = 180;
	o->connect_timeout_ms = 10000;
	o->max_time_ms = 60000;
	o->output = "text";
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

static jg_status check_output(const jg_options *o, jg_error *err)
{
	static const char *const formats[] = { "text", "json", "env", "github", "token" };
	for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
		if (strcmp(o->output, formats[i]) == 0)
			return JG_OK;
	}
	return jg_fail(err, JG_ERR_USAGE, "--output: '%.40s' is not one of text, json, env, github, token",
		o->output);
}

/* The options of encrypted keys, together: names that exist, sources that do not clash. */
static jg_status check_encryption(const jg_options *o, jg_error *err)
{
	static const char *const digests[] = { "sha256", "sha1", "sha512", "md5" };
	int md_known = o->enc_md == NULL;
	for (size_t i = 0; i < sizeof digests / sizeof digests[0] && !md_known; i++)
		md_known = jg_ascii_equal_word(o->enc_md, strlen(o->enc_md), digests[i]);
	if (o->enc_cipher != NULL && jg_cipher_by_name(o->enc_cipher) == JG_CIPHER_NONE)
		return jg_fail(err, JG_ERR_USAGE, "--enc-cipher: '%.40s' is not one of aes-256-cbc, "
			"aes-192-cbc, aes-128-cbc, des-ede3-cbc", o->enc_cipher);
	if (!md_known)
		return jg_fail(err, JG_ERR_USAGE, "--enc-md: '%.40s' is not one of sha256, sha1, sha512, md5",
			o->enc_md);
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

jg_status jg_cli_parse(int argc, char **argv, jg_options *o, jg_error *err)
{
	set_defaults(o);
	int i = 1;
	if (i < argc && argv[i][0] != '-')
		o->command = parse_command(argc, argv, &i);
	if (o->command == JG_CMD_NONE && i < argc && argv[i][0] != '-')
		return jg_fail(err, JG_ERR_USAGE, "unknown command '%.60s'; commands: grant, assertion, "
			"keygen, check, decode (see jwtgrant --help)", argv[i]);
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
	jg_status st = check_output(o, err);
	return st == JG_OK ? check_encryption(o, err) : st;
}

static const char usage_overview[] =
	"Usage: jwtgrant COMMAND [options]\n"
	"\n"
	"Get a Salesforce OAuth access token with the JWT bearer flow: one static binary.\n"
	"\n"
	"Commands:\n"
	"  grant       request an access token (aliases: login, org login jwt, force:auth:jwt:grant)\n"
	"  assertion   build and sign the JWT, print it, no network (alias: sign)\n"
	"  keygen      create an RSA key and a self-signed certificate for the Connected App\n"
	"  check       inspect a key (and a certificate): size, fingerprint, match, validity\n"
	"  decode      print a JWT's header and claims (--cert verifies its signature)\n"
	"\n"
	"  jwtgrant grant --client-id ID --jwt-key-file server.key --username USER\n"
	"\n"
	"Every command takes -v/--verbose and --help; jwtgrant --version prints the versions.\n"
	"Exit codes: 0 ok, 1 refused by the server, 2 usage, 3 local input, 4 network, 5 TLS,\n"
	"6 protocol, 7 check failed.\n";

static const char usage_grant[] =
	"Usage: jwtgrant grant --client-id ID (--jwt-key-file PATH | --jwt-key-env VAR) --username USER\n"
	"                      [options]\n"
	"\n"
	"  -i, --client-id ID         Connected App consumer key (claim iss)\n"
	"  -f, --jwt-key-file PATH    RSA private key (PEM/DER/base64; - reads stdin)\n"
	"      --jwt-key-env VAR      private key from an environment variable\n"
	"  -o, -u, --username USER    Salesforce username (claim sub)\n"
	"  -r, --instance-url URL     token host (default https://login.salesforce.com)\n"
	"      --audience URL         claim aud (default: SF_AUDIENCE_URL, SFDX_AUDIENCE_URL,\n"
	"                             else test.salesforce.com for sandboxes, else login)\n"
	"      --lifetime SECONDS     exp = now + SECONDS, 1 to 3600 (default 180)\n"
	"      --cacert FILE          trust the CA certificates in FILE (PEM)\n"
	"      --capath DIR           trust the PEM certificates in DIR\n"
	"  -x, --proxy URL            HTTP proxy (CONNECT); env https_proxy, all_proxy\n"
	"      --noproxy LIST         hosts that bypass the proxy; env no_proxy\n"
	"      --connect-timeout S    per connection attempt (default 10)\n"
	"  -m, --max-time S           whole command (default 60)\n"
	"      --retry N              retry network failures and 5xx/429 N times\n"
	"      --output FORMAT        text, json, env, github or token (default text)\n"
	"      --json                 --output json\n"
	"      --output-file PATH     write the output there (0600, atomic)\n"
	"  -v, --verbose              trace to stderr (secrets redacted)\n"
	"\n"
	"sf/sfdx flags (-a, -d, -s, -p, --loglevel, ...) are accepted and ignored with a warning.\n";

static const char usage_encrypted[] =
	"\n"
	"An encrypted key (PKCS#8, traditional PEM, openssl enc) is opened with its passphrase:\n"
	"      --passphrase-env VAR   the passphrase from an environment variable\n"
	"      --passphrase-file PATH its first line (- reads stdin); neither: asked on the terminal\n"
	"      --enc-cipher NAME      openssl enc files: aes-256-cbc (default), aes-192-cbc,\n"
	"                             aes-128-cbc, des-ede3-cbc\n"
	"      --enc-iter N           openssl enc -pbkdf2 -iter N (default 10000)\n"
	"      --enc-md NAME          openssl enc -md: sha256, sha1, sha512, md5\n"
	"      --enc-key-env VAR      openssl enc -nosalt: the hex key (-K) in VAR\n"
	"      --enc-iv-env VAR       ... and the hex IV (-iv) in VAR\n";

static const char usage_assertion[] =
	"Usage: jwtgrant assertion --client-id ID (--jwt-key-file PATH | --jwt-key-env VAR)\n"
	"                          --username USER [--instance-url URL] [--audience URL]\n"
	"                          [--lifetime SECONDS] [--output-file PATH]\n"
	"\n"
	"Build the RS256 JWT that grant would send and print it; no network.\n";

static const char usage_keygen[] =
	"Usage: jwtgrant keygen [--bits 2048|3072|4096] [--key-out server.key]\n"
	"                       [--cert-out server.crt] [--subject CN] [--org O] [--days N] [--force]\n"
	"                       [--encrypt [--kdf-iter N] [--passphrase-env VAR | --passphrase-file F]]\n"
	"\n"
	"Create an RSA key (PKCS#8 PEM, mode 0600) and a self-signed certificate (PEM) to upload\n"
	"to the Connected App or External Client App (\"Use digital signatures\"). Existing files\n"
	"need --force. --encrypt writes the key encrypted (PBES2, PBKDF2-HMAC-SHA256 with\n"
	"--kdf-iter iterations, default 600000, AES-256-CBC); the passphrase is asked twice on the\n"
	"terminal unless --passphrase-env or --passphrase-file gives it.\n";

static const char usage_check[] =
	"Usage: jwtgrant check (--jwt-key-file PATH | --jwt-key-env VAR) [--cert FILE]\n"
	"\n"
	"Show the key's type, size and public-key SHA-256; with --cert, whether the certificate\n"
	"holds the same key, its subject, issuer and validity. Exit 7 on a mismatch or an\n"
	"expired certificate.\n";

static const char usage_decode[] =
	"Usage: jwtgrant decode [JWT|-] [--cert FILE]\n"
	"\n"
	"Print the header and claims of a JWT (from the argument or stdin). Without --cert the\n"
	"signature is not checked; with --cert it is verified (RS256), exit 7 when it fails.\n";

static void usage_text(jg_command cmd, FILE *out)
{
	switch (cmd) {
	case JG_CMD_GRANT: (void)fputs(usage_grant, out); break;
	case JG_CMD_ASSERTION: (void)fputs(usage_assertion, out); break;
	case JG_CMD_KEYGEN: (void)fputs(usage_keygen, out); break;
	case JG_CMD_CHECK: (void)fputs(usage_check, out); break;
	case JG_CMD_DECODE: (void)fputs(usage_decode, out); break;
	default: (void)fputs(usage_overview, out); break;
	}
}

void jg_cli_usage(jg_command cmd, FILE *out)
{
	usage_text(cmd, out);
	if (cmd & KEY_USERS)
		(void)fputs(usage_encrypted, out);
}
