/*
 * gen_docs man DATE [TEMPLATE] > jwtgrant.1   the man page (DATE: YYYY-MM-DD)
 * gen_docs bash > jwtgrant.bash               bash completion (plain bash, no bash-completion)
 * gen_docs zsh > _jwtgrant                    zsh completion (#compdef, _arguments)
 * gen_docs options                            one option a line, for tests/e2e/docs.sh
 * gen_docs commands                           one command a line, likewise
 *
 * Build-time tool: everything that documents the command line, made from the tables the parser
 * reads (src/cli.h: jg_cli_option_at, jg_cli_command_at), so that none of it can name an
 * option the binary does not take, or miss one it does. The man page's prose is TEMPLATE
 * (by default src/tools/jwtgrant.1.in, from the top of the tree, where make runs), roff whose
 * placeholder lines ("@OPTIONS@", "@COMMAND grant@", ...) the tool fills in. The output depends on the arguments and the tables alone: no clock, no
 * path. Exits 0; 1 on a template the tables do not fit, or a failed write; 2 on usage.
 *
 * `gen_docs options` prints, tab-separated: the names (canonical first, space-separated), the
 * commands (comma-separated), the argument's name or "-", its values (comma-separated) or "-",
 * what completes it (file, dir, env or "-"), and its use (used, ignored or refused).
 * `gen_docs commands`: the name, then the aliases (comma-separated) or "-".
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* Steps through a '|'-separated list from *cursor: sets *name to the next name and returns its
 * length, or 0 at the end of the list. */
static size_t next_name(const char **cursor, const char **name)
{
	const char *p = *cursor;
	size_t n = strcspn(p, "|");
	*name = p;
	*cursor = p + n + (p[n] == '|');
	return n;
}

/* The bits of every command. */
static unsigned all_commands(void)
{
	unsigned all = 0;
	for (size_t c = 0; c < jg_cli_command_count(); c++)
		all |= (unsigned)jg_cli_command_at(c)->cmd;
	return all;
}

/* text[0..len) with every byte in `from` written as `sep` (one '|' or ' ' list as another). */
static void print_list(const char *text, size_t len, const char *from, const char *sep, FILE *out)
{
	for (size_t i = 0; i < len; i++) {
		if (strchr(from, text[i]) != NULL)
			(void)fputs(sep, out);
		else
			(void)fputc(text[i], out);
	}
}

/* The names of the commands in `bits`, joined by sep. */
static void print_commands_of(unsigned bits, const char *sep, FILE *out)
{
	const char *s = "";
	for (size_t c = 0; c < jg_cli_command_count(); c++) {
		const jg_cli_command_doc *d = jg_cli_command_at(c);
		if (bits & (unsigned)d->cmd) {
			(void)fprintf(out, "%s%s", s, d->name);
			s = sep;
		}
	}
}

/* --- gen_docs options, gen_docs commands ----------------------------------------------------- */

static const char *complete_name(jg_cli_complete c)
{
	switch (c) {
	case JG_COMPLETE_FILE: return "file";
	case JG_COMPLETE_DIR: return "dir";
	case JG_COMPLETE_ENV: return "env";
	default: return "-";
	}
}

/* The providers grant --provider P --help lists the option for: "salesforce,google". */
static void print_providers_of(const jg_cli_doc *d, FILE *out)
{
	static const jg_provider all[] = { JG_PROVIDER_SALESFORCE, JG_PROVIDER_GOOGLE,
		JG_PROVIDER_GENERIC, JG_PROVIDER_GITHUB };
	const char *separator = "";
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
		if (!jg_cli_help_lists(d, (jg_command)(d->commands & (JG_CMD_GRANT | JG_CMD_ASSERTION) ?
				d->commands & (JG_CMD_GRANT | JG_CMD_ASSERTION) : d->commands), all[i]))
			continue;
		(void)fprintf(out, "%s%s", separator, jg_provider_name(all[i]));
		separator = ",";
	}
}

/* One line an option: names, commands, argument, values, completion, use, providers
 * (tab-separated; tests/e2e/docs.sh reads it). */
static void list_options(FILE *out)
{
	static const char *const uses[] = { "used", "ignored", "refused" };
	for (size_t i = 0; i < jg_cli_option_count(); i++) {
		jg_cli_doc d = jg_cli_option_at(i);
		print_list(d.names, strlen(d.names), "|", " ", out);
		(void)fputc('\t', out);
		print_commands_of(d.commands, ",", out);
		(void)fprintf(out, "\t%s\t", d.arg != NULL ? d.arg : "-");
		if (d.values != NULL)
			print_list(d.values, strlen(d.values), " ", ",", out);
		else
			(void)fputc('-', out);
		(void)fprintf(out, "\t%s\t%s\t", complete_name(d.complete), uses[d.use]);
		print_providers_of(&d, out);
		(void)fputc('\n', out);
	}
}

static void list_commands(FILE *out)
{
	for (size_t c = 0; c < jg_cli_command_count(); c++) {
		const jg_cli_command_doc *d = jg_cli_command_at(c);
		(void)fprintf(out, "%s\t", d->name);
		if (d->aliases != NULL)
			print_list(d->aliases, strlen(d->aliases), "|", ",", out);
		else
			(void)fputc('-', out);
		(void)fputc('\n', out);
	}
}

/* --- the man page ---------------------------------------------------------------------------- */

/* text[0..len) as roff text: '-' as \- (a minus, as option names need), '\' as \e, a line break
 * as a space, and \& before a '.' or '\'' that would start a line. */
static void roff_n(const char *text, size_t len, FILE *out)
{
	if (len > 0 && (text[0] == '.' || text[0] == '\''))
		(void)fputs("\\&", out);
	for (size_t i = 0; i < len; i++) {
		if (text[i] == '-')
			(void)fputs("\\-", out);
		else if (text[i] == '\\')
			(void)fputs("\\e", out);
		else
			(void)fputc(text[i] == '\n' ? ' ' : text[i], out);
	}
}

static void roff(const char *text, FILE *out)
{
	size_t len = strlen(text);
	while (len > 0 && text[len - 1] == '\n')
		len--;
	roff_n(text, len, out);
}

/* A synopsis ("grant --client-id ID [--cert FILE]") in roff: the command, option names and
 * numbers bold, the words to replace italic, brackets, parentheses and bars roman. */
static void roff_synopsis(const char *usage, FILE *out)
{
	int first = 1;
	for (const char *p = usage; *p != '\0';) {
		size_t n = strcspn(p, "[]()| \n");
		if (n == 0) {
			(void)fputc(*p == '\n' ? ' ' : *p, out);
			p++;
			continue;
		}
		int bold = first || *p == '-' || (*p >= '0' && *p <= '9');
		(void)fputs(bold ? "\\fB\\%" : "\\fI\\%", out);
		roff_n(p, n, out);
		(void)fputs("\\fR", out);
		first = 0;
		p += n;
	}
}

/* One option: its names (the canonical one first) and argument, then what it does, its values
 * and the commands that take it. */
static void man_option(const jg_cli_doc *d, FILE *out)
{
	const char *cursor = d->names, *name, *sep = "";
	size_t n;
	(void)fputs(".TP\n", out);
	while ((n = next_name(&cursor, &name)) > 0) {
		(void)fprintf(out, "%s\\fB\\%%", sep);
		roff_n(name, n, out);
		(void)fputs("\\fR", out);
		sep = ", ";
	}
	if (d->arg != NULL) {
		(void)fputs(" \\fI", out);
		roff(d->arg, out);
		(void)fputs("\\fR", out);
	}
	(void)fputc('\n', out);
	roff(d->help, out);
	(void)fputs(".\n", out);
	if (d->values != NULL) {
		(void)fputs(".br\nValues: ", out);
		print_list(d->values, strlen(d->values), " ", ", ", out);
		(void)fputs(".\n", out);
	}
	(void)fputs(".br\n", out);
	if (d->commands == all_commands()) {
		(void)fputs("Every command.\n", out);
	} else {
		(void)fputs("Commands: ", out);
		print_commands_of(d->commands, ", ", out);
		(void)fputs(".\n", out);
	}
}

static void man_options(jg_cli_use use, FILE *out)
{
	for (size_t i = 0; i < jg_cli_option_count(); i++) {
		jg_cli_doc d = jg_cli_option_at(i);
		if (d.use == use)
			man_option(&d, out);
	}
}

static void man_synopsis(FILE *out)
{
	for (size_t c = 0; c < jg_cli_command_count(); c++) {
		(void)fputs(".SY jwtgrant\n", out);
		roff_synopsis(jg_cli_command_at(c)->usage, out);
		(void)fputs("\n.YS\n", out);
	}
	(void)fputs(".SY jwtgrant\n[\\fIcommand\\fR] \\fB\\-\\-help\\fR\n.YS\n"
		".SY jwtgrant\n\\fB\\-\\-version\\fR\n.YS\n", out);
}

/* A command's section: its synopsis, other names, what --help says of it, and its options. */
static void man_command(const jg_cli_command_doc *d, FILE *out)
{
	const char *sep;
	(void)fputs(".SY jwtgrant\n", out);
	roff_synopsis(d->usage, out);
	(void)fputs("\n.YS\n", out);
	if (d->aliases != NULL) {
		const char *cursor = d->aliases, *name;
		size_t n;
		(void)fputs(".PP\nOther names:", out);
		for (sep = " "; (n = next_name(&cursor, &name)) > 0; sep = ", ") {
			(void)fprintf(out, "%s\\fB", sep);
			roff_n(name, n, out);
			(void)fputs("\\fR", out);
		}
		(void)fputs(".\n", out);
	}
	if (d->about != NULL) {
		(void)fputs(".PP\n", out);
		roff(d->about, out);
		(void)fputc('\n', out);
	}
	(void)fputs(".PP\nOptions:", out);
	sep = " ";
	for (size_t i = 0; i < jg_cli_option_count(); i++) {
		jg_cli_doc o = jg_cli_option_at(i);
		if (!(o.commands & (unsigned)d->cmd) || o.use != JG_OPTION_USED)
			continue;
		(void)fprintf(out, "%s\\fB\\%%", sep);
		roff_n(o.names, strcspn(o.names, "|"), out);
		(void)fputs("\\fR", out);
		sep = ", ";
	}
	(void)fputs(" (see \\fBOPTIONS\\fR).\n", out);
}

/* A line of the template, with @VERSION@ and @DATE@ replaced. */
static void man_text(const char *line, const char *date, FILE *out)
{
	for (const char *p = line; *p != '\0'; p++) {
		if (strncmp(p, "@VERSION@", 9) == 0) {
			(void)fputs(JG_VERSION, out);
			p += 8;
		} else if (strncmp(p, "@DATE@", 6) == 0) {
			(void)fputs(date, out);
			p += 5;
		} else {
			(void)fputc(*p, out);
		}
	}
	(void)fputc('\n', out);
}

/* A placeholder line ("@OPTIONS@", "@COMMAND grant@", without its newline) filled in; the bits
 * of the command it was for go to *commands. 0, or -1 when there is no such placeholder. */
static int man_placeholder(const char *line, unsigned *commands, FILE *out)
{
	if (strcmp(line, "@SYNOPSIS@") == 0)
		man_synopsis(out);
	else if (strcmp(line, "@OPTIONS@") == 0)
		man_options(JG_OPTION_USED, out);
	else if (strcmp(line, "@IGNORED@") == 0)
		man_options(JG_OPTION_IGNORED, out);
	else if (strcmp(line, "@REFUSED@") == 0)
		man_options(JG_OPTION_REFUSED, out);
	else if (strncmp(line, "@COMMAND ", 9) == 0) {
		size_t n = strlen(line) - 10;
		for (size_t c = 0; c < jg_cli_command_count(); c++) {
			const jg_cli_command_doc *d = jg_cli_command_at(c);
			if (strlen(d->name) == n && strncmp(line + 9, d->name, n) == 0 && line[9 + n] == '@') {
				man_command(d, out);
				*commands |= (unsigned)d->cmd;
				return 0;
			}
		}
		return -1;
	} else {
		return -1;
	}
	return 0;
}

/* DATE is YYYY-MM-DD. */
static int is_date(const char *s)
{
	if (strlen(s) != 10)
		return 0;
	for (int i = 0; i < 10; i++) {
		int digit = s[i] >= '0' && s[i] <= '9';
		if ((i == 4 || i == 7) ? s[i] != '-' : !digit)
			return 0;
	}
	return 1;
}

/* The man page: the template's lines, its placeholders filled in. Every command needs its
 * "@COMMAND name@" line: a command added to the table without a section fails the build. */
static int man(const char *date, const char *template_path, FILE *out)
{
	FILE *in = fopen(template_path, "r");
	char line[1024];
	unsigned commands = 0;
	int status = 0;
	if (in == NULL) {
		(void)fprintf(stderr, "gen_docs: cannot open %s\n", template_path);
		return 1;
	}
	for (unsigned number = 1; status == 0 && fgets(line, sizeof line, in) != NULL; number++) {
		size_t len = strlen(line);
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		else if (!feof(in))
			status = 1; /* longer than the buffer */
		if (status == 0 && line[0] == '@')
			status = man_placeholder(line, &commands, out) != 0;
		else if (status == 0)
			man_text(line, date, out);
		if (status != 0)
			(void)fprintf(stderr, "gen_docs: %s:%u: a line too long, or an unknown placeholder\n",
				template_path, number);
	}
	(void)fclose(in);
	if (status == 0 && commands != all_commands()) {
		(void)fprintf(stderr, "gen_docs: %s has no @COMMAND name@ line for a command\n",
			template_path);
		status = 1;
	}
	return status;
}

/* --- bash ------------------------------------------------------------------------------------ */

/* The part of the bash completion that is the same whatever the tables hold. */
static const char *const bash_functions[] = {
	"# The words of the command line up to the cursor, in _jwtgrant_words: bash splits a word at ':'",
	"# and '=' (COMP_WORDBREAKS), so \"force:auth\" and \"--output=json\" are joined back.",
	"_jwtgrant_split() {",
	"\tlocal i w n",
	"\t_jwtgrant_words=()",
	"\tfor ((i = 0; i <= COMP_CWORD; i++)); do",
	"\t\tw=${COMP_WORDS[i]}",
	"\t\tn=${#_jwtgrant_words[@]}",
	"\t\tif ((n > 1)) && [[ $w == [:=] || ${_jwtgrant_words[n - 1]} == *[:=] ]]; then",
	"\t\t\t_jwtgrant_words[n - 1]+=$w",
	"\t\telse",
	"\t\t\t_jwtgrant_words+=(\"$w\")",
	"\t\tfi",
	"\tdone",
	"}",
	"",
	"# The command the words before the cursor name (canonical, in REPLY; empty when none yet) and",
	"# the words of its name typed so far when it is not complete (in _jwtgrant_phrase).",
	"_jwtgrant_command() {",
	"\tlocal i w skip=0 k name",
	"\tlocal -a args=()",
	"\tfor ((i = 1; i < ${#_jwtgrant_words[@]} - 1; i++)); do",
	"\t\tw=${_jwtgrant_words[i]}",
	"\t\tif ((skip)); then",
	"\t\t\tskip=0",
	"\t\telif [[ $w == -*=* ]]; then",
	"\t\t\t:",
	"\t\telif [[ $w == -* ]]; then",
	"\t\t\t_jwtgrant_arg \"$w\" && skip=1",
	"\t\telse",
	"\t\t\targs+=(\"$w\")",
	"\t\tfi",
	"\tdone",
	"\t_jwtgrant_phrase=\"${args[*]}\"",
	"\tREPLY=",
	"\tfor k in \"${!_jwtgrant_names[@]}\"; do",
	"\t\tname=${_jwtgrant_names[k]}",
	"\t\tif [[ \"$_jwtgrant_phrase \" == \"$name \"* ]]; then",
	"\t\t\tREPLY=${_jwtgrant_canonical[k]}",
	"\t\t\treturn",
	"\t\tfi",
	"\tdone",
	"}",
	"",
	"# The next word of every command name that the words typed so far begin.",
	"_jwtgrant_next_words() {",
	"\tlocal name rest",
	"\tfor name in \"${_jwtgrant_names[@]}\"; do",
	"\t\tif [[ -z $_jwtgrant_phrase ]]; then",
	"\t\t\tprintf '%s\\n' \"${name%% *}\"",
	"\t\telif [[ $name == \"$_jwtgrant_phrase \"* ]]; then",
	"\t\t\trest=${name#\"$_jwtgrant_phrase \"}",
	"\t\t\tprintf '%s\\n' \"${rest%% *}\"",
	"\t\tfi",
	"\tdone",
	"}",
	"",
	"# COMPREPLY from compgen ARGS.",
	"_jwtgrant_reply() {",
	"\tmapfile -t COMPREPLY < <(compgen \"$@\")",
	"}",
	"",
	"# COMPREPLY: the values for OPTION's argument that begin with WORD; status 1 when it takes none.",
	"_jwtgrant_value() {",
	"\t_jwtgrant_arg \"$1\" || return 1",
	"\tcase $REPLY in",
	"\t@file) compopt -o filenames 2>/dev/null; _jwtgrant_reply -f -- \"$2\" ;;",
	"\t@dir) compopt -o filenames 2>/dev/null; _jwtgrant_reply -d -- \"$2\" ;;",
	"\t@env) _jwtgrant_reply -e -- \"$2\" ;;",
	"\t*) _jwtgrant_reply -W \"$REPLY\" -- \"$2\" ;;",
	"\tesac",
	"}",
	"",
	"# COMPREPLY for the last word, cur: an option's argument (after the option, or after '=' in the",
	"# same word), a command name, or an option of the command.",
	"_jwtgrant_complete() {",
	"\tlocal prev=",
	"\t((${#_jwtgrant_words[@]} > 1)) && prev=${_jwtgrant_words[${#_jwtgrant_words[@]} - 2]}",
	"\tif [[ $cur == -*=* ]] && _jwtgrant_value \"${cur%%=*}\" \"${cur#*=}\"; then",
	"\t\t((${#COMPREPLY[@]})) && COMPREPLY=(\"${COMPREPLY[@]/#/${cur%%=*}=}\")",
	"\telif [[ $prev == -* && $prev != *=* ]] && _jwtgrant_value \"$prev\" \"$cur\"; then",
	"\t\t:",
	"\telse",
	"\t\t_jwtgrant_command",
	"\t\tif [[ -z $REPLY && $cur != -* ]]; then",
	"\t\t\t_jwtgrant_reply -W \"$(_jwtgrant_next_words)\" -- \"$cur\"",
	"\t\telse",
	"\t\t\t_jwtgrant_options \"$REPLY\"",
	"\t\t\t_jwtgrant_reply -W \"$REPLY\" -- \"$cur\"",
	"\t\tfi",
	"\tfi",
	"}",
	"",
	"_jwtgrant() {",
	"\tlocal -a _jwtgrant_words=()",
	"\tlocal _jwtgrant_phrase='' REPLY='' cur prefix='' i",
	"\tCOMPREPLY=()",
	"\t_jwtgrant_split",
	"\tcur=${_jwtgrant_words[${#_jwtgrant_words[@]} - 1]}",
	"\t_jwtgrant_complete",
	"\t# bash replaces only what follows the word's last ':' or '=' (COMP_WORDBREAKS): the",
	"\t# candidates lose what comes before it",
	"\tif [[ $cur == -*=* && $COMP_WORDBREAKS == *=* ]]; then",
	"\t\tprefix=${cur%%=*}=",
	"\telif [[ $cur == *:* && $COMP_WORDBREAKS == *:* ]]; then",
	"\t\tprefix=${cur%:*}:",
	"\tfi",
	"\tif [[ -n $prefix ]]; then",
	"\t\tfor i in \"${!COMPREPLY[@]}\"; do",
	"\t\t\tCOMPREPLY[i]=${COMPREPLY[i]#\"$prefix\"}",
	"\t\tdone",
	"\tfi",
	"\treturn 0",
	"}",
	"",
	"complete -F _jwtgrant jwtgrant",
};

/* Every command name (an alias of several words as one string) and the command it is. */
static void bash_commands(FILE *out)
{
	const char *sep = "_jwtgrant_names=(";
	for (size_t c = 0; c < jg_cli_command_count(); c++) {
		const jg_cli_command_doc *d = jg_cli_command_at(c);
		(void)fprintf(out, "%s'%s'", sep, d->name);
		sep = " ";
		const char *cursor = d->aliases != NULL ? d->aliases : "", *name;
		size_t n;
		while ((n = next_name(&cursor, &name)) > 0)
			(void)fprintf(out, " '%.*s'", (int)n, name);
	}
	sep = ")\n_jwtgrant_canonical=(";
	for (size_t c = 0; c < jg_cli_command_count(); c++) {
		const jg_cli_command_doc *d = jg_cli_command_at(c);
		const char *cursor = d->aliases != NULL ? d->aliases : "", *name;
		(void)fprintf(out, "%s%s", sep, d->name);
		sep = " ";
		while (next_name(&cursor, &name) > 0)
			(void)fprintf(out, " %s", d->name);
	}
	(void)fputs(")\n", out);
}

/* _jwtgrant_options COMMAND: the options of each command, one option's names a line (with no
 * command yet, those of every command); refused ones are not offered. */
static void bash_options(FILE *out)
{
	(void)fputs("\n# The options COMMAND takes (none yet: those every command takes), in REPLY.\n"
		"_jwtgrant_options() {\n\tcase $1 in\n", out);
	for (size_t c = 0; c <= jg_cli_command_count(); c++) {
		const jg_cli_command_doc *d = c < jg_cli_command_count() ? jg_cli_command_at(c) : NULL;
		(void)fprintf(out, "\t%s) REPLY='", d != NULL ? d->name : "*");
		for (size_t i = 0; i < jg_cli_option_count(); i++) {
			jg_cli_doc o = jg_cli_option_at(i);
			int takes = d != NULL ? (o.commands & (unsigned)d->cmd) != 0 :
				o.commands == all_commands();
			if (!takes || o.use == JG_OPTION_REFUSED)
				continue;
			(void)fputs("\n\t\t", out);
			print_list(o.names, strlen(o.names), "|", " ", out);
		}
		(void)fputs("' ;;\n", out);
	}
	(void)fputs("\tesac\n}\n", out);
}

/* _jwtgrant_arg OPTION: how its argument completes; status 1 when it takes none. */
static void bash_arguments(FILE *out)
{
	(void)fputs("\n# How OPTION's argument completes, in REPLY: @file, @dir, @env (a variable's name),\n"
		"# the words it can be, or nothing (free text); status 1 when it takes no argument.\n"
		"_jwtgrant_arg() {\n\tREPLY=\n\tcase $1 in\n", out);
	for (size_t i = 0; i < jg_cli_option_count(); i++) {
		jg_cli_doc o = jg_cli_option_at(i);
		if (o.arg == NULL)
			continue;
		(void)fputc('\t', out);
		print_list(o.names, strlen(o.names), "|", " | ", out);
		(void)fputs(")", out);
		if (o.values != NULL)
			(void)fprintf(out, " REPLY='%s'", o.values);
		else if (o.complete != JG_COMPLETE_NONE)
			(void)fprintf(out, " REPLY=@%s", complete_name(o.complete));
		(void)fputs(" ;;\n", out);
	}
	(void)fputs("\t*) return 1 ;;\n\tesac\n}\n", out);
}

static void bash(FILE *out)
{
	(void)fputs("# bash completion for jwtgrant " JG_VERSION ", made by gen_docs from the option table\n"
		"# of src/cli.c (do not edit). Plain bash (compgen, COMPREPLY, complete -F): the\n"
		"# bash-completion package is not needed. Source it, or install it as\n"
		"# /usr/share/bash-completion/completions/jwtgrant.\n\n"
		"# Every name of a command, and the command it is.\n", out);
	bash_commands(out);
	bash_options(out);
	bash_arguments(out);
	(void)fputc('\n', out);
	for (size_t i = 0; i < sizeof bash_functions / sizeof bash_functions[0]; i++)
		(void)fprintf(out, "%s\n", bash_functions[i]);
}

/* --- zsh ------------------------------------------------------------------------------------- */

/* text inside a single-quoted _arguments description: ' closes and reopens the quotes, [ ] and
 * \ are escaped, a line break is a space. */
static void zsh_description(const char *text, FILE *out)
{
	for (const char *p = text; *p != '\0'; p++) {
		if (*p == '\'')
			(void)fputs("'\\''", out);
		else if (*p == '[' || *p == ']' || *p == '\\')
			(void)fprintf(out, "\\%c", *p);
		else
			(void)fputc(*p == '\n' ? ' ' : *p, out);
	}
}

/* One _arguments spec: '(aliases)'{--name=,-n+}'[help]:ARG:action' (one name: no braces and no
 * exclusion list; a flag: no '=' or '+' and no argument). */
static void zsh_spec(const jg_cli_doc *d, FILE *out)
{
	const char *cursor = d->names, *name, *sep = "{";
	int several = strchr(d->names, '|') != NULL;
	size_t n;
	(void)fputs(" \\\n\t\t", out);
	if (several) {
		(void)fputs("'(", out);
		print_list(d->names, strlen(d->names), "|", " ", out);
		(void)fputs(")'", out);
	}
	while ((n = next_name(&cursor, &name)) > 0) {
		(void)fprintf(out, "%s%.*s%s", several ? sep : "'", (int)n, name,
			d->arg == NULL ? "" : n == 2 ? "+" : "=");
		sep = ",";
	}
	(void)fputs(several ? "}'[" : "[", out);
	if (d->use == JG_OPTION_IGNORED)
		(void)fputs("ignored: ", out);
	zsh_description(d->help, out);
	(void)fputc(']', out);
	if (d->arg != NULL) {
		(void)fprintf(out, ":%s:", d->arg);
		if (d->values != NULL)
			(void)fprintf(out, "(%s)", d->values);
		else if (d->complete == JG_COMPLETE_FILE)
			(void)fputs("_files", out);
		else if (d->complete == JG_COMPLETE_DIR)
			(void)fputs("_files -/", out);
		else if (d->complete == JG_COMPLETE_ENV)
			(void)fputs("_parameters -g \"*export*\"", out);
		else
			(void)fputc(' ', out);
	}
	(void)fputc('\'', out);
}

/* The specs of the options `cmd` takes (0: those every command takes); refused ones left out. */
static void zsh_specs(unsigned cmd, FILE *out)
{
	for (size_t i = 0; i < jg_cli_option_count(); i++) {
		jg_cli_doc d = jg_cli_option_at(i);
		int takes = cmd != 0 ? (d.commands & cmd) != 0 : d.commands == all_commands();
		if (takes && d.use != JG_OPTION_REFUSED)
			zsh_spec(&d, out);
	}
}

/* _jwtgrant_phrase FUNCTION WORD...: after the first word of a command of several ("org"), its
 * other words, then FUNCTION with them shifted away. */
static const char zsh_phrase[] =
	"\n# After the first word of a command of several words (\"org\"): its other words, then\n"
	"# FUNCTION, with those words shifted away.\n"
	"_jwtgrant_phrase() { # FUNCTION WORD...\n"
	"\tlocal fn=$1 i\n"
	"\tshift\n"
	"\tfor (( i = 1; i <= $#; i++ )); do\n"
	"\t\tif (( CURRENT == i + 1 )); then\n"
	"\t\t\tcompadd -- ${@[i]}\n"
	"\t\t\treturn\n"
	"\t\tfi\n"
	"\t\t[[ $words[i+1] == ${@[i]} ]] || return 1\n"
	"\tdone\n"
	"\tshift $# words\n"
	"\t(( CURRENT -= $# ))\n"
	"\t$fn\n"
	"}\n";

/* The case branches that send a command's words to its function: the name and the aliases of
 * one word together; an alias of several words by its first, through _jwtgrant_phrase. */
static void zsh_dispatch(const jg_cli_command_doc *d, FILE *out)
{
	const char *cursor = d->aliases != NULL ? d->aliases : "", *name;
	size_t n;
	(void)fprintf(out, "\t\t%s", d->name);
	while ((n = next_name(&cursor, &name)) > 0) {
		if (memchr(name, ' ', n) == NULL)
			(void)fprintf(out, " | %.*s", (int)n, name);
	}
	(void)fprintf(out, ") _jwtgrant_%s && ret=0 ;;\n", d->name);
	cursor = d->aliases != NULL ? d->aliases : "";
	while ((n = next_name(&cursor, &name)) > 0) {
		size_t first = strcspn(name, " ");
		if (first >= n)
			continue;
		(void)fprintf(out, "\t\t%.*s) _jwtgrant_phrase _jwtgrant_%s %.*s && ret=0 ;;\n", (int)first,
			name, d->name, (int)(n - first - 1), name + first + 1);
	}
}

/* _jwtgrant: the commands (with a description each), then the options of the one given. */
static void zsh_main(FILE *out)
{
	(void)fputs("\n_jwtgrant() {\n\tlocal curcontext=$curcontext state state_descr line ret=1\n"
		"\ttypeset -A opt_args\n\tlocal -a commands\n\tcommands=(\n", out);
	for (size_t c = 0; c < jg_cli_command_count(); c++) {
		const jg_cli_command_doc *d = jg_cli_command_at(c);
		const char *cursor = d->aliases != NULL ? d->aliases : "", *name;
		size_t n;
		(void)fprintf(out, "\t\t'%s:", d->name);
		zsh_description(d->summary, out);
		(void)fputs("'\n", out);
		while ((n = next_name(&cursor, &name)) > 0) {
			(void)fputs("\t\t'", out);
			for (size_t i = 0; i < n && name[i] != ' '; i++) {
				if (name[i] == ':')
					(void)fputc('\\', out); /* _describe splits at an unescaped ':' */
				(void)fputc(name[i], out);
			}
			(void)fputc(':', out);
			if (memchr(name, ' ', n) != NULL)
				(void)fprintf(out, "%.*s, ", (int)n, name);
			(void)fprintf(out, "same as %s'\n", d->name);
		}
	}
	(void)fputs("\t)\n\t_arguments -C -S", out);
	zsh_specs(0, out);
	(void)fputs(" \\\n\t\t'1: :->command' \\\n\t\t'*:: :->argument' && ret=0\n"
		"\tcase $state in\n"
		"\tcommand) _describe -t commands 'jwtgrant command' commands && ret=0 ;;\n"
		"\targument)\n\t\tcase $words[1] in\n", out);
	for (size_t c = 0; c < jg_cli_command_count(); c++)
		zsh_dispatch(jg_cli_command_at(c), out);
	(void)fputs("\t\tesac\n\t\t;;\n\tesac\n\treturn ret\n}\n", out);
}

static void zsh(FILE *out)
{
	(void)fputs("#compdef jwtgrant\n"
		"# zsh completion for jwtgrant " JG_VERSION ", made by gen_docs from the option table of\n"
		"# src/cli.c (do not edit). Install it as _jwtgrant in a directory of $fpath.\n", out);
	for (size_t c = 0; c < jg_cli_command_count(); c++) {
		const jg_cli_command_doc *d = jg_cli_command_at(c);
		(void)fprintf(out, "\n_jwtgrant_%s() {\n\t_arguments -S", d->name);
		zsh_specs((unsigned)d->cmd, out);
		(void)fputs("\n}\n", out);
	}
	(void)fputs(zsh_phrase, out);
	zsh_main(out);
	(void)fputs("\n_jwtgrant \"$@\"\n", out);
}

/* --- main ------------------------------------------------------------------------------------ */

static int usage(void)
{
	(void)fputs("usage: gen_docs man YYYY-MM-DD [TEMPLATE] | bash | zsh | options | commands\n",
		stderr);
	return 2;
}

int main(int argc, char **argv)
{
	int status = 0;
	if ((argc == 3 || argc == 4) && strcmp(argv[1], "man") == 0) {
		if (!is_date(argv[2]))
			return usage();
		status = man(argv[2], argc == 4 ? argv[3] : "src/tools/jwtgrant.1.in", stdout);
	} else if (argc == 2 && strcmp(argv[1], "bash") == 0) {
		bash(stdout);
	} else if (argc == 2 && strcmp(argv[1], "zsh") == 0) {
		zsh(stdout);
	} else if (argc == 2 && strcmp(argv[1], "options") == 0) {
		list_options(stdout);
	} else if (argc == 2 && strcmp(argv[1], "commands") == 0) {
		list_commands(stdout);
	} else {
		return usage();
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		(void)fputs("gen_docs: write error\n", stderr);
		status = 1;
	}
	return status;
}
