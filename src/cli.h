/*
 * The command line: one sorted table of options with their aliases and argument kinds (as curl
 * keeps it), the command names and their sf/sfdx aliases, and the usage screens.
 */
#ifndef JG_CLI_H
#define JG_CLI_H

#include <stdio.h>

#include "base/error.h"

typedef enum jg_command {
	JG_CMD_NONE = 0,
	JG_CMD_GRANT = 1,
	JG_CMD_ASSERTION = 2,
	JG_CMD_KEYGEN = 4,
	JG_CMD_CHECK = 8,
	JG_CMD_DECODE = 16
} jg_command;

typedef struct jg_options {
	jg_command command;
	int help, version, verbose;
	/* grant, assertion */
	const char *client_id, *key_file, *key_env, *username, *instance_url, *audience;
	long lifetime;             /* seconds, 1..3600 */
	const char *cacert, *capath, *proxy, *noproxy;
	long connect_timeout_ms, max_time_ms, retry;
	const char *output, *output_file;
	/* keygen */
	long bits, days;
	const char *key_out, *cert_out, *subject, *org;
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

/* Parse argv into o (defaults applied). JG_ERR_USAGE with a one-line message on bad input. */
jg_status jg_cli_parse(int argc, char **argv, jg_options *o, jg_error *err);

/*
 * Wipe what the options keep that may hold a secret: the copy of --proxy, whose user info can
 * hold a password (the other values point into argv or the environment). o->proxy is cleared
 * when it pointed there. Called by main once the command has finished.
 */
void jg_cli_wipe(jg_options *o);

/* The usage screen for a command (JG_CMD_NONE: the overview). */
void jg_cli_usage(jg_command cmd, FILE *out);

/* The name of a command ("grant", ...). */
const char *jg_cli_command_name(jg_command cmd);

#endif
