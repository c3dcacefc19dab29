/*
 * The command line: one sorted table of options with their aliases and argument kinds (as curl
 * keeps it), the command names and their sf/sfdx aliases, and the usage screens.
 */
#ifndef JG_CLI_H
#define JG_CLI_H

#include <stdio.h>

#include "base/error.h"
#include "oauth/provider.h"

typedef enum jg_command {
	JG_CMD_NONE = 0,
	JG_CMD_GRANT = 1,
	JG_CMD_ASSERTION = 2,
	JG_CMD_KEYGEN = 4,
	JG_CMD_CHECK = 8,
	JG_CMD_DECODE = 16,
	JG_CMD_REVOKE = 32
} jg_command;

#define JG_CLI_LIST_MAX 16
#define JG_CLI_OPTIONS_MAX 96 /* rows of the option table, at most */

/* The values of a repeatable option, in the order given (pointers into argv). */
typedef struct jg_cli_list {
	const char *items[JG_CLI_LIST_MAX];
	size_t count;
} jg_cli_list;

typedef struct jg_options {
	jg_command command;
	int help, version, verbose;
	/* grant, assertion */
	const char *client_id, *key_file, *key_env, *username, *instance_url, *audience;
	long lifetime;             /* seconds, 1..3600 */
	const char *cacert, *capath, *proxy, *noproxy;
	long connect_timeout_ms, max_time_ms, retry;
	const char *output, *output_file;
	/* grant --provider (providers.md) */
	jg_provider provider;      /* JG_PROVIDER_SALESFORCE unless --provider says otherwise */
	const char *credentials, *jwt_subject, *token_url, *issuer;
	char scope[2048];          /* the --scope values, joined by spaces ("": none) */
	jg_cli_list claims, headers, forms; /* generic: --claim, --jwt-header, --form, in order */
	int jti, client_assertion, x5t;     /* generic: --jti, --client-assertion, --x5t */
	/* grant --provider github: the App, its installation, the narrowing */
	const char *app_id, *installation_id, *repo, *installation_user, *api_url, *repositories;
	jg_cli_list permissions;   /* --permission NAME=read|write, in order */
	unsigned char given[JG_CLI_OPTIONS_MAX]; /* given[i]: the option table's row i was given */
	/* grant --reuse (cli.md, "Token reuse"); revoke */
	long reuse;                /* seconds, 1..86400; 0: no reuse (--no-reuse, or none given) */
	int no_reuse;
	const char *cache_dir, *token_env;
	/* keygen */
	long bits, days;
	const char *key_out, *cert_out, *subject, *org; /* org: also github's --org */
	int force;
	/* encrypted keys (grant, assertion, check; keygen --encrypt) */
	const char *passphrase_env, *passphrase_file;
	const char *enc_cipher, *enc_md, *enc_key_env, *enc_iv_env;
	long enc_iter;             /* 0: the default of openssl enc -pbkdf2 */
	int encrypt;               /* keygen --encrypt */
	long kdf_iter;             /* keygen --kdf-iter, default 600000 */
	/* check, decode */
	const char *cert;
	const char *jwt; /* decode's positional argument */
	char proxy_copy[2048]; /* --proxy, kept here because its user info is scrubbed from argv */
} jg_options;

/* The --instance-url when none is given (revoke --token-env tells the two apart). */
extern const char jg_cli_default_instance_url[];

/* Parse argv into o (defaults applied). JG_ERR_USAGE with a one-line message on bad input. */
jg_status jg_cli_parse(int argc, char **argv, jg_options *o, jg_error *err);

/*
 * Wipe what the options keep that may hold a secret: the copy of --proxy, whose user info can
 * hold a password (the other values point into argv or the environment). o->proxy is cleared
 * when it pointed there. Called by main once the command has finished.
 */
void jg_cli_wipe(jg_options *o);

/* The usage screen for a command (JG_CMD_NONE: the overview), made from the tables below;
 * for grant and assertion, the options of o->provider (grant --provider google --help). */
void jg_cli_usage(const jg_options *o, FILE *out);

/* The name of a command ("grant", ...). */
const char *jg_cli_command_name(jg_command cmd);

/*
 * The tables the parser reads, read-only, for what documents the command line: --help (above),
 * and the man page and shell completions that src/tools/gen_docs.c writes at build time.
 */
typedef enum jg_cli_complete {
	JG_COMPLETE_NONE = 0, /* free text (an ID, a URL, a number) */
	JG_COMPLETE_FILE,     /* a file name */
	JG_COMPLETE_DIR,      /* a directory name */
	JG_COMPLETE_ENV       /* the name of an environment variable */
} jg_cli_complete;

typedef enum jg_cli_use {
	JG_OPTION_USED = 0,   /* an option of jwtgrant */
	JG_OPTION_IGNORED,    /* an sf/sfdx flag, accepted with a warning and no effect */
	JG_OPTION_REFUSED     /* would put a secret on the command line: always refused */
} jg_cli_use;

/* Where --help lists an option: with the command's own options, with those of encrypted keys
 * (under their own heading), or last, with the options every command takes. */
typedef enum jg_cli_group { JG_CLI_MAIN = 0, JG_CLI_KEYS, JG_CLI_COMMON } jg_cli_group;

typedef struct jg_cli_doc {
	const char *names;    /* the canonical name first, then its aliases, '|'-separated */
	const char *arg;      /* the argument's name ("PATH"), NULL when the option takes none */
	const char *help;     /* what it does, for --help: one line, a '\n' continues it */
	const char *google_help;  /* the same under --provider google when it differs, or NULL */
	const char *generic_help; /* the same under --provider generic when it differs, or NULL */
	const char *github_help;  /* the same under --provider github when it differs, or NULL */
	const char *values;   /* the values completion offers, space-separated, or NULL (for
	                         --output and --enc-md, the only ones the parser takes) */
	unsigned commands;    /* the jg_command bits of the commands that take it */
	unsigned providers;   /* the jg_provider bits of the providers grant takes it for (0: all) */
	unsigned ignored_by;  /* the providers that accept it, warn and ignore it */
	unsigned group;       /* jg_cli_group */
	unsigned rank;        /* --help lists a group's options by rank */
	jg_cli_complete complete;
	jg_cli_use use;       /* --help lists the options in use; the others only by name */
} jg_cli_doc;

/* How many options there are, and the i-th (i < count), in the parser's table order. */
size_t jg_cli_option_count(void);
jg_cli_doc jg_cli_option_at(size_t i);

typedef struct jg_cli_command_doc {
	jg_command cmd;
	const char *name;     /* "grant" */
	const char *aliases;  /* '|'-separated, or NULL; an alias of several words ("org login
	                         jwt") is as many arguments */
	const char *summary;  /* one line, for the list of commands */
	const char *usage;    /* its synopsis after "jwtgrant ", lines separated by '\n' */
	const char *about;    /* the paragraph --help prints under the synopsis, or NULL */
} jg_cli_command_doc;

/* Steps through a '|'-separated list from *cursor: sets *name to the next name and returns its
 * length, or 0 at the end of the list. */
size_t jg_cli_next_name(const char **cursor, const char **name);

/* text with each `sep` written as ", ", cut to fit out[0..cap). */
void jg_cli_join(const char *text, char sep, char *out, size_t cap);

/* Whether `cmd [--provider provider] --help` lists the option (cli_help.c). */
int jg_cli_help_lists(const jg_cli_doc *opt, jg_command cmd, jg_provider provider);

/* How many commands there are, and the i-th (i < count). */
size_t jg_cli_command_count(void);
const jg_cli_command_doc *jg_cli_command_at(size_t i);

#endif
