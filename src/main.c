/* jwtgrant: parse the command line, run one command, print its error, choose the exit code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <cJSON.h>

#include "base/error.h"
#include "base/json_out.h"
#include "base/trace.h"
#include "base/wipe.h"
#include "cli.h"
#include "cmd/cmd.h"
#include "oauth/output.h"
#include "versions.h"

/* A process holding a private key must not leave it in a core dump. */
static void forbid_core_dumps(void)
{
	struct rlimit none = { 0, 0 };
	(void)setrlimit(RLIMIT_CORE, &none);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

/* cJSON allocates with malloc and frees through jg_wipe_free: its copies of an access token
 * (the answer's tree) or of a claims set (decode's) are erased when freed. With a free of its
 * own, cJSON never calls realloc, which could leave an unwiped old block behind. */
static void wipe_what_cjson_frees(void)
{
	static cJSON_Hooks hooks = { malloc, jg_wipe_free };
	cJSON_InitHooks(&hooks);
}

/* Where the embedded roots came from: the pinned ca-certificates package (vendor/fetch.sh), or
 * the file a build named with make CA_BUNDLE=FILE. */
#ifndef JG_ROOTS_SOURCE
#define JG_ROOTS_SOURCE JG_ROOTS_VERSION
#endif

static void print_version(void)
{
	printf("jwtgrant %s (BearSSL %s, cJSON %s, roots %s)\n", JG_VERSION, JG_BEARSSL_VERSION,
		JG_CJSON_VERSION, JG_ROOTS_SOURCE);
}

/* The sf-style failure envelope of --json, on stdout. */
static void print_json_failure(const jg_error *err)
{
	char buf[1024];
	jg_out out;
	jg_out_init_flushing(&out, buf, sizeof buf, jg_out_write_stream, stdout);
	jg_output_failure_json(err, &out);
	(void)jg_out_finish(&out); /* the exit code already says that the command failed */
}

static void print_error(const jg_options *o, const jg_error *err)
{
	(void)fprintf(stderr, "jwtgrant: %s\n", err->message);
	if (err->detail[0] != '\0')
		(void)fprintf(stderr, "%s%s", err->detail, err->detail[strlen(err->detail) - 1] == '\n' ? "" : "\n");
	if (o->command == JG_CMD_GRANT && strcmp(o->output, "json") == 0)
		print_json_failure(err);
}

static jg_status run(const jg_options *o, jg_error *err)
{
	switch (o->command) {
	case JG_CMD_GRANT: return jg_cmd_grant(o, err);
	case JG_CMD_ASSERTION: return jg_cmd_assertion(o, err);
	case JG_CMD_KEYGEN: return jg_cmd_keygen(o, err);
	case JG_CMD_CHECK: return jg_cmd_check(o, err);
	case JG_CMD_DECODE: return jg_cmd_decode(o, err);
	case JG_CMD_REVOKE: return jg_cmd_revoke(o, err);
	default:
		return jg_fail(err, JG_ERR_USAGE, "no command given; see jwtgrant --help");
	}
}

int main(int argc, char **argv)
{
	static jg_options opts;
	static jg_error err;
	forbid_core_dumps();
	wipe_what_cjson_frees();
	jg_status st = jg_cli_parse(argc, argv, &opts, &err);
	if (st == JG_OK && opts.version) {
		print_version();
		return 0;
	}
	if (st == JG_OK && (opts.help || (argc == 1))) {
		jg_cli_usage(&opts, argc == 1 ? stderr : stdout);
		return argc == 1 ? jg_exit_code(JG_ERR_USAGE) : 0;
	}
	if (st == JG_OK) {
		jg_trace_enable(opts.verbose);
		st = run(&opts, &err);
	}
	if (st != JG_OK)
		print_error(&opts, &err);
	jg_cli_wipe(&opts); /* the copy of --proxy: its user info may hold a password */
	return jg_exit_code(st);
}
