/*
 * The usage screens (--help), made from the command line's tables (cli.h: jg_cli_option_at,
 * jg_cli_command_at), as the man page and the completions are.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define GRANT_LIKE (JG_CMD_GRANT | JG_CMD_ASSERTION)

#define HELP_COLUMN 29 /* where an option's help text starts */

static int is_hidden(const jg_cli_doc *opt)
{
	return opt->use != JG_OPTION_USED;
}

/* text, each line after the first indented by `indent` spaces. */
static void print_lines(const char *text, int indent, FILE *out)
{
	for (const char *p = text;;) {
		size_t n = strcspn(p, "\n");
		(void)fprintf(out, "%.*s\n", (int)n, p);
		if (p[n] == '\0' || p[n + 1] == '\0')
			return;
		p += n + 1;
		(void)fprintf(out, "%*s", indent, "");
	}
}

/* "  -i, --client-id ID         Connected App consumer key (claim iss)": the one-letter aliases,
 * the canonical name and the argument, then the help text in its column. */
static void print_option(const jg_cli_doc *opt, jg_provider provider, FILE *out)
{
	const char *cursor = opt->names, *canonical_name, *name;
	size_t canonical_len = jg_cli_next_name(&cursor, &canonical_name), n;
	int width = fprintf(out, "  ");
	while ((n = jg_cli_next_name(&cursor, &name)) > 0) {
		if (n == 2 && name[1] != '-')
			width += fprintf(out, "%.2s, ", name);
	}
	width += fprintf(out, "%*s%.*s%s%s", width > 2 ? 0 : 4, "", (int)canonical_len,
		canonical_name, opt->arg != NULL ? " " : "", opt->arg != NULL ? opt->arg : "");
	if (width < HELP_COLUMN)
		(void)fprintf(out, "%*s", HELP_COLUMN - width, "");
	else
		(void)fprintf(out, "\n%*s", HELP_COLUMN, "");
	const char *help = provider == JG_PROVIDER_GOOGLE ? opt->google_help :
		provider == JG_PROVIDER_GENERIC ? opt->generic_help :
		provider == JG_PROVIDER_GITHUB ? opt->github_help : NULL;
	print_lines(help != NULL ? help : opt->help, HELP_COLUMN, out);
}

/* The options of encrypted keys are listed under Salesforce's grant and assertion only, so
 * that another provider's screen keeps to its own options. */
int jg_cli_help_lists(const jg_cli_doc *opt, jg_command cmd, jg_provider provider)
{
	if (!(opt->commands & cmd) || is_hidden(opt))
		return 0;
	if (!(cmd & GRANT_LIKE))
		return 1;
	return (opt->providers == 0 || (opt->providers & provider)) && !(opt->ignored_by & provider) &&
		(opt->group != JG_CLI_KEYS || provider == JG_PROVIDER_SALESFORCE);
}

/* The options of cmd in one --help group, by rank; returns how many. */
static int print_group(jg_command cmd, jg_provider provider, jg_cli_group group, FILE *out)
{
	int printed = 0;
	for (unsigned rank = 0; rank <= UCHAR_MAX; rank++) {
		for (size_t i = 0; i < jg_cli_option_count(); i++) {
			const jg_cli_doc doc = jg_cli_option_at(i), *opt = &doc;
			if (opt->rank != rank || opt->group != group || !jg_cli_help_lists(opt, cmd, provider))
				continue;
			if (out != NULL)
				print_option(opt, (cmd & GRANT_LIKE) ? provider : JG_PROVIDER_SALESFORCE, out);
			printed++;
		}
	}
	return printed;
}

/* One line for the sf/sfdx flags cmd ignores, each by its one-letter name, else its canonical
 * one; the man page lists them all. */
static void print_ignored(jg_command cmd, FILE *out)
{
	const char *separator = "\nsf/sfdx flags (";
	for (size_t i = 0; i < jg_cli_option_count(); i++) {
		const jg_cli_doc doc = jg_cli_option_at(i), *opt = &doc;
		if (!(opt->commands & cmd) || opt->use != JG_OPTION_IGNORED)
			continue;
		const char *cursor = opt->names, *shown, *name;
		size_t shown_len = jg_cli_next_name(&cursor, &shown), n;
		while ((n = jg_cli_next_name(&cursor, &name)) > 0) {
			if (n == 2 && name[1] != '-' && shown_len > 2) {
				shown = name;
				shown_len = n;
			}
		}
		(void)fprintf(out, "%s%.*s", separator, (int)shown_len, shown);
		separator = ", ";
	}
	if (separator[0] == ',')
		(void)fputs(", ...) are ignored, with a warning.\n", out);
}

/* "  grant       request an access token ... (also: login, ...)", one command a line (the
 * aliases on a line of their own when they do not fit). */
static void print_commands(FILE *out)
{
	for (size_t c = 0; c < jg_cli_command_count(); c++) {
		const jg_cli_command_doc *d = jg_cli_command_at(c);
		int width = fprintf(out, "  %-11s %s", d->name, d->summary);
		char aliases[128];
		if (d->aliases == NULL) {
			(void)fputc('\n', out);
			continue;
		}
		jg_cli_join(d->aliases, '|', aliases, sizeof aliases);
		if (width + (int)strlen(aliases) + 9 > 80)
			(void)fprintf(out, "\n%13s", "");
		(void)fprintf(out, " (also: %s)\n", aliases);
	}
}

static void print_overview(FILE *out)
{
	(void)fputs("Usage: jwtgrant COMMAND [options]\n"
		"\n"
		"Get a Salesforce OAuth access token with the JWT bearer flow: one static binary.\n"
		"\n"
		"Commands:\n", out);
	print_commands(out);
	(void)fputs("\n"
		"  jwtgrant grant --client-id ID --jwt-key-file server.key --username USER\n"
		"\n"
		"Every command takes -v/--verbose and --help; --version prints the versions.\n"
		"Exit codes: 0 ok, 1 refused by the server, 2 usage, 3 local input, 4 network,\n"
		"5 TLS, 6 protocol, 7 check failed.\n", out);
}

/* grant and assertion for a provider other than Salesforce: its synopsis and paragraph. */
static const jg_cli_command_doc google_docs[] = {
	{ JG_CMD_GRANT, "grant", NULL, NULL,
	  "grant --provider google --scope SCOPE [--credentials FILE]\n[--jwt-subject USER] [options]",
	  "Get an access token for a Google service account (RFC 7523 JWT bearer grant).\n"
	  "The key, its id, the account (iss) and the token URL (aud, unless --audience)\n"
	  "come from the JSON key file. The assertion lives 3600 s unless --lifetime.\n" },
	{ JG_CMD_ASSERTION, "assertion", NULL, NULL,
	  "assertion --provider google --scope SCOPE [--credentials FILE]\n"
	  "[--jwt-subject USER] [--audience URL]\n[--lifetime SECONDS] [--output-file PATH]",
	  "Build the RS256 JWT that grant --provider google would send and print it.\n" },
};

static const jg_cli_command_doc generic_docs[] = {
	{ JG_CMD_GRANT, "grant", NULL, NULL,
	  "grant --provider generic --token-url URL --issuer ISS\n"
	  "(--jwt-key-file PATH | --jwt-key-env VAR) [options]",
	  "Any RFC 7523 token endpoint: the JWT bearer grant, or with --client-assertion\n"
	  "client_credentials with a JWT client assertion (iss = sub = --client-id).\n" },
	{ JG_CMD_ASSERTION, "assertion", NULL, NULL,
	  "assertion --provider generic --token-url URL --issuer ISS\n"
	  "(--jwt-key-file PATH | --jwt-key-env VAR) [options]",
	  "Build the RS256 JWT that grant --provider generic would send and print it.\n" },
};

static const jg_cli_command_doc github_docs[] = {
	{ JG_CMD_GRANT, "grant", NULL, NULL,
	  "grant --provider github (--client-id ID | --app-id N)\n"
	  "(--jwt-key-file PATH | --jwt-key-env VAR)\n"
	  "(--installation-id N | --repo OWNER/NAME | --org ORG |\n"
	  " --installation-user USER) [options]",
	  "Get a GitHub App installation access token: a JWT signed with the App's key\n"
	  "(iat now-60, exp now+540) finds the installation, then asks for its token.\n" },
	{ JG_CMD_ASSERTION, "assertion", NULL, NULL,
	  "assertion --provider github (--client-id ID | --app-id N)\n"
	  "(--jwt-key-file PATH | --jwt-key-env VAR) [--output-file PATH]",
	  "Build the App's RS256 JWT, as grant --provider github sends it, and print it.\n" },
};

static const jg_cli_command_doc *usage_doc(jg_command cmd, jg_provider provider)
{
	const jg_cli_command_doc *docs = provider == JG_PROVIDER_GOOGLE ? google_docs :
		provider == JG_PROVIDER_GENERIC ? generic_docs :
		provider == JG_PROVIDER_GITHUB ? github_docs : NULL;
	for (size_t i = 0; docs != NULL && i < 2; i++) {
		if (docs[i].cmd == cmd)
			return &docs[i];
	}
	for (size_t i = 0; i < jg_cli_command_count(); i++) {
		if (jg_cli_command_at(i)->cmd == cmd)
			return jg_cli_command_at(i);
	}
	return NULL;
}

void jg_cli_usage(const jg_options *o, FILE *out)
{
	jg_command cmd = o->command;
	const jg_cli_command_doc *d = usage_doc(cmd, o->provider);
	if (d == NULL) {
		print_overview(out);
		return;
	}
	(void)fprintf(out, "Usage: jwtgrant ");
	print_lines(d->usage, (int)(strlen("Usage: jwtgrant ") + strlen(d->name) + 1), out);
	if (d->about != NULL)
		(void)fprintf(out, "\n%s", d->about);
	(void)fputc('\n', out);
	print_group(cmd, o->provider, JG_CLI_MAIN, out);
	print_group(cmd, o->provider, JG_CLI_COMMON, out);
	if (o->provider == JG_PROVIDER_SALESFORCE)
		print_ignored(cmd, out);
	if (print_group(cmd, o->provider, JG_CLI_KEYS, NULL) == 0) {
		if ((cmd & GRANT_LIKE) && (o->provider == JG_PROVIDER_GENERIC ||
				o->provider == JG_PROVIDER_GITHUB))
			(void)fprintf(out, "\nAn encrypted key is opened as for Salesforce: see jwtgrant %s "
				"--help.\n", d->name);
		return;
	}
	(void)fputs(cmd == JG_CMD_KEYGEN ? "\nThe passphrase of --encrypt:\n" :
		"\nAn encrypted key (PKCS#8, traditional PEM, openssl enc) is opened with its\n"
		"passphrase, asked on the terminal unless one of these options gives it:\n", out);
	print_group(cmd, o->provider, JG_CLI_KEYS, out);
}

