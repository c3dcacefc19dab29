/*
 * src/cli.c: the seconds of --max-time and --connect-timeout, read exactly into milliseconds
 * rounded up, in (0, max] (86400 s and 3600 s). The values expected are ceil(seconds × 1000)
 * worked out by hand; what strtod accepted is still accepted, but for hexadecimal numbers.
 * Then the tables that --help, the man page and the completions are made from against the
 * parser: every name of every option parsed by the commands it lists and refused by the others,
 * an argument's name given exactly when the parser wants a value, every value offered accepted,
 * every command name and alias read as its command, and the usage screens listing every option.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "crypto/cbc.h"
#include "crypto/keygen.h"

static jg_status parse(const char *option, const char *value, jg_options *o, jg_error *err)
{
	char *argv[] = { "jwtgrant", "grant", (char *)option, (char *)value, NULL };
	return jg_cli_parse(value != NULL ? 4 : 3, argv, o, err);
}

static void max_time_is(const char *value, long want_ms)
{
	static jg_options o;
	jg_error err;
	if (parse("--max-time", value, &o, &err) != JG_OK)
		fail_msg("--max-time '%s' refused: %s", value, err.message);
	if (o.max_time_ms != want_ms)
		fail_msg("--max-time '%s': %ld ms, want %ld", value, o.max_time_ms, want_ms);
}

static void refused(const char *option, const char *value)
{
	static jg_options o;
	jg_error err;
	if (parse(option, value, &o, &err) != JG_ERR_USAGE)
		fail_msg("%s '%s' accepted", option, value);
	if (strstr(err.message, "is not a number of seconds above 0 and up to") == NULL)
		fail_msg("%s '%s': %s", option, value, err.message);
}

static void seconds_become_milliseconds(void **state)
{
	(void)state;
	max_time_is("60", 60000);
	max_time_is("1", 1000);
	max_time_is("0.5", 500);
	max_time_is(".5", 500);
	max_time_is("5.", 5000);
	max_time_is("+3", 3000);
	max_time_is("2.25", 2250);
	max_time_is("86400", 86400000);
	max_time_is("86400.000", 86400000);
	max_time_is("0086400", 86400000);
	max_time_is("1.5e1", 15000);
	max_time_is("15E-1", 1500);
	max_time_is("1e+3", 1000000);
	max_time_is("8.64e4", 86400000);
	max_time_is("0.001", 1);
	max_time_is("  7", 7000); /* white space before the number, as strtod skipped it */
	max_time_is("\t7", 7000);
}

static void fractions_of_a_millisecond_round_up(void **state)
{
	(void)state;
	max_time_is("0.0001", 1);
	max_time_is("0.0009", 1);
	max_time_is("1.0001", 1001);
	max_time_is("1.00000001", 1001);
	max_time_is("2.5e-3", 3);
	max_time_is("1e-300", 1);
	max_time_is("1e-400", 1);
	max_time_is("0.0000000000000000000000000000000000000001", 1);
	max_time_is("1.2340000000000000000000000000001", 1235);
	max_time_is("86399.9991", 86400000);
}

static void out_of_range_or_malformed_is_refused(void **state)
{
	(void)state;
	const char *bad[] = { "0", "0.0", "0e5", "-1", "-0", "-0.5", "86400.0001", "86401",
		"1e5", "1e400", "1e99999999999999999999", "abc", "", " ", ".", "+", "-", "e5", "1e",
		"1e+", "1.2.3", "5 ", "5s", "0x10", "0x1p3", "inf", "nan", "infinity", "++1", "1,5" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		refused("--max-time", bad[i]);
	refused("--connect-timeout", "3600.001");
	refused("--connect-timeout", "0.0000");
}

static void connect_timeout_has_its_own_limit(void **state)
{
	(void)state;
	static jg_options o;
	jg_error err;
	assert_int_equal(parse("--connect-timeout", "3600", &o, &err), JG_OK);
	assert_int_equal(o.connect_timeout_ms, 3600000);
	assert_int_equal(parse("--connect-timeout", "0.25", &o, &err), JG_OK);
	assert_int_equal(o.connect_timeout_ms, 250);
	assert_int_equal(parse("--connect-timeout=2.5", NULL, &o, &err), JG_OK);
	assert_int_equal(o.connect_timeout_ms, 2500);
}

/* The copy of --proxy (its user info may hold a password) is wiped once the command is done. */
static void proxy_copy_wiped(void **state)
{
	(void)state;
	static jg_options o;
	static const unsigned char zero[sizeof o.proxy_copy];
	jg_error err;
	char value[] = "http://user:s3cret@proxy.example:3128";
	assert_int_equal(parse("--proxy", value, &o, &err), JG_OK);
	assert_non_null(o.proxy);
	assert_non_null(strstr(o.proxy, "s3cret"));
	assert_null(strstr(value, "s3cret")); /* scrubbed from argv already */
	jg_cli_wipe(&o);
	assert_null(o.proxy);
	assert_memory_equal(o.proxy_copy, zero, sizeof zero);
}

/* --- the tables ----------------------------------------------------------------------------- */

/* Parse "jwtgrant WORDS..." where WORDS is space-separated (an argument holds no space here). */
static jg_status parse_words(const char *words, jg_options *o, jg_error *err)
{
	static char buf[512];
	char *argv[16] = { "jwtgrant" };
	int argc = 1;
	(void)snprintf(buf, sizeof buf, "%s", words);
	for (char *w = strtok(buf, " "); w != NULL && argc < 15; w = strtok(NULL, " "))
		argv[argc++] = w;
	argv[argc] = NULL;
	return jg_cli_parse(argc, argv, o, err);
}

/* The i-th '|'-separated name of names into out; 0 when there is none. */
static int nth_name(const char *names, int i, char *out, size_t cap)
{
	for (const char *p = names; *p != '\0'; i--) {
		size_t n = strcspn(p, "|");
		if (i == 0) {
			(void)snprintf(out, cap, "%.*s", (int)n, p);
			return 1;
		}
		p += n + (p[n] == '|');
	}
	return 0;
}

static const char *first_command(unsigned bits)
{
	for (size_t c = 0; c < jg_cli_command_count(); c++) {
		if (bits & (unsigned)jg_cli_command_at(c)->cmd)
			return jg_cli_command_at(c)->name;
	}
	return NULL;
}

/* Sorted by canonical name, as src/cli.c says, and no name in two rows. */
static void the_table_is_sorted_and_names_unique(void **state)
{
	(void)state;
	char a[64], b[64];
	for (size_t i = 1; i < jg_cli_option_count(); i++) {
		nth_name(jg_cli_option_at(i - 1).names, 0, a, sizeof a);
		nth_name(jg_cli_option_at(i).names, 0, b, sizeof b);
		if (strcmp(a, b) >= 0)
			fail_msg("%s comes before %s", a, b);
	}
	for (size_t i = 0; i < jg_cli_option_count(); i++) {
		for (int k = 0; nth_name(jg_cli_option_at(i).names, k, a, sizeof a); k++) {
			for (size_t j = i + 1; j < jg_cli_option_count(); j++) {
				for (int m = 0; nth_name(jg_cli_option_at(j).names, m, b, sizeof b); m++) {
					if (strcmp(a, b) == 0)
						fail_msg("%s is in two rows", a);
				}
			}
		}
	}
}

/* One name, last on the command line of cmd: a value wanted exactly when the row has an
 * argument's name; a refused option refused; anything else taken. */
static void name_parses_as_documented(const jg_cli_doc *d, const char *cmd, const char *name)
{
	static jg_options o;
	jg_error err;
	char line[160];
	const char *provider = ""; /* an option of another provider only is given with it */
	if ((strcmp(cmd, "grant") == 0 || strcmp(cmd, "assertion") == 0) && d->providers != 0 &&
		!(d->providers & JG_PROVIDER_SALESFORCE))
		provider = (d->providers & JG_PROVIDER_GOOGLE) ? " --provider google" :
			" --provider generic";
	(void)snprintf(line, sizeof line, "%s%s %s", cmd, provider, name);
	jg_status st = parse_words(line, &o, &err);
	if (d->use == JG_OPTION_REFUSED) {
		if (st != JG_ERR_USAGE || strstr(err.message, "--passphrase-env") == NULL)
			fail_msg("%s: refused option taken", line);
	} else if (d->arg != NULL) {
		if (st != JG_ERR_USAGE || strstr(err.message, "needs a value") == NULL)
			fail_msg("%s: no value asked for (%s)", line, st == JG_OK ? "taken" : err.message);
	} else if (st != JG_OK) {
		fail_msg("%s: %s", line, err.message);
	}
}

static void every_name_parses_as_documented(void **state)
{
	(void)state;
	static jg_options o;
	jg_error err;
	char name[64], line[128];
	for (size_t i = 0; i < jg_cli_option_count(); i++) {
		jg_cli_doc d = jg_cli_option_at(i);
		assert_non_null(d.help);
		assert_non_null(first_command(d.commands));
		for (int k = 0; nth_name(d.names, k, name, sizeof name); k++) {
			for (size_t c = 0; c < jg_cli_command_count(); c++) {
				const jg_cli_command_doc *cmd = jg_cli_command_at(c);
				if (d.commands & (unsigned)cmd->cmd) {
					name_parses_as_documented(&d, cmd->name, name);
					continue;
				}
				(void)snprintf(line, sizeof line, "%s %s", cmd->name, name);
				if (parse_words(line, &o, &err) != JG_ERR_USAGE ||
					strstr(err.message, "is not an option of") == NULL)
					fail_msg("%s: taken by a command the table does not list", line);
			}
		}
	}
}

/* Every value offered is taken (--bits by keygen's own check; --enc-cipher names a cipher), and
 * for the closed lists, a value not offered is refused with the whole list. */
static void every_value_offered_is_taken(void **state)
{
	(void)state;
	static jg_options o;
	jg_error err;
	char name[64], line[256], value[64];
	for (size_t i = 0; i < jg_cli_option_count(); i++) {
		jg_cli_doc d = jg_cli_option_at(i);
		if (d.values == NULL)
			continue;
		nth_name(d.names, 0, name, sizeof name);
		for (const char *p = d.values; *p != '\0';) {
			size_t n = strcspn(p, " ");
			(void)snprintf(value, sizeof value, "%.*s", (int)n, p);
			p += n + (p[n] == ' ');
			(void)snprintf(line, sizeof line, "%s %s %s", first_command(d.commands), name, value);
			if (parse_words(line, &o, &err) != JG_OK)
				fail_msg("%s: %s", line, err.message);
			if (strcmp(name, "--bits") == 0)
				assert_true(jg_keygen_bits_allowed(atol(value)));
			if (strcmp(name, "--enc-cipher") == 0)
				assert_int_not_equal(jg_cipher_by_name(value), JG_CIPHER_NONE);
		}
		if (strcmp(name, "--bits") == 0)
			continue;
		(void)snprintf(line, sizeof line, "%s %s bogus", first_command(d.commands), name);
		assert_int_equal(parse_words(line, &o, &err), JG_ERR_USAGE);
		(void)snprintf(line, sizeof line, "'bogus' is not one of %.*s", (int)strcspn(d.values, " "),
			d.values);
		if (strstr(err.message, line) == NULL)
			fail_msg("%s bogus: %s", name, err.message);
	}
}

static void every_command_name_is_read(void **state)
{
	(void)state;
	static jg_options o;
	jg_error err;
	char name[64], line[128];
	for (size_t c = 0; c < jg_cli_command_count(); c++) {
		const jg_cli_command_doc *d = jg_cli_command_at(c);
		assert_string_equal(jg_cli_command_name(d->cmd), d->name);
		(void)snprintf(line, sizeof line, "%s --help", d->name);
		assert_int_equal(parse_words(line, &o, &err), JG_OK);
		assert_int_equal(o.command, d->cmd);
		for (int k = 0; d->aliases != NULL && nth_name(d->aliases, k, name, sizeof name); k++) {
			(void)snprintf(line, sizeof line, "%s --help", name);
			if (parse_words(line, &o, &err) != JG_OK || o.command != d->cmd)
				fail_msg("'%s' is not read as %s", name, d->name);
		}
	}
	assert_int_equal(parse_words("org login", &o, &err), JG_ERR_USAGE); /* not the whole alias */
}

/* Each command's usage screen names every option it takes (the sf/sfdx flags and refused ones
 * aside) and fits 80 columns. */
static void usage_lists_every_option(void **state)
{
	(void)state;
	char name[64], *text = NULL;
	size_t size = 0;
	for (size_t c = 0; c < 2 * jg_cli_command_count(); c++) {
		const jg_cli_command_doc *d = jg_cli_command_at(c / 2);
		jg_options o = { .command = d->cmd,
			.provider = c % 2 ? JG_PROVIDER_GOOGLE : JG_PROVIDER_SALESFORCE };
		FILE *out = open_memstream(&text, &size);
		assert_non_null(out);
		jg_cli_usage(&o, out);
		assert_int_equal(fclose(out), 0);
		for (size_t i = 0; i < jg_cli_option_count(); i++) {
			jg_cli_doc opt = jg_cli_option_at(i);
			int for_provider = !(d->cmd & (JG_CMD_GRANT | JG_CMD_ASSERTION)) ||
				((opt.providers == 0 || (opt.providers & o.provider)) &&
					!(opt.ignored_by & o.provider));
			nth_name(opt.names, 0, name, sizeof name);
			if ((opt.commands & (unsigned)d->cmd) && opt.use == JG_OPTION_USED &&
				for_provider != (strstr(text, name) != NULL))
				fail_msg("%s --provider %s --help %s %s", d->name,
					jg_provider_name(o.provider), for_provider ? "does not list" : "lists",
					name);
		}
		for (const char *p = text; *p != '\0';) {
			size_t n = strcspn(p, "\n");
			if (n > 80)
				fail_msg("%s --help: a line of %zu columns: %.*s", d->name, n, (int)n, p);
			p += n + (p[n] == '\n');
		}
		free(text);
		text = NULL;
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(seconds_become_milliseconds),
		cmocka_unit_test(fractions_of_a_millisecond_round_up),
		cmocka_unit_test(out_of_range_or_malformed_is_refused),
		cmocka_unit_test(connect_timeout_has_its_own_limit),
		cmocka_unit_test(proxy_copy_wiped),
		cmocka_unit_test(the_table_is_sorted_and_names_unique),
		cmocka_unit_test(every_name_parses_as_documented),
		cmocka_unit_test(every_value_offered_is_taken),
		cmocka_unit_test(every_command_name_is_read),
		cmocka_unit_test(usage_lists_every_option),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
