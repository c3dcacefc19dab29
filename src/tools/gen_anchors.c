/*
 * gen_anchors BUNDLE.pem > anchors_embedded.c
 *
 * Build-time tool: turns a PEM bundle of CA certificates (the build machine's Mozilla set) into
 * the C table jg_trust_embedded, with the same loader that reads --cacert at run time. Exits 0,
 * or 1 with a message on stderr (and possibly partial output, which the Makefile discards).
 */
#include <stdio.h>

#include "fmt.h"
#include "trust.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		(void)jg_fprintf(stderr, "usage: gen_anchors BUNDLE.pem > anchors_embedded.c\n");
		return 2;
	}
	jg_trust trust;
	jg_error err;
	jg_trust_init(&trust);
	jg_status status = jg_trust_add_file(&trust, argv[1], &err);
	if (status == JG_OK) {
		(void)jg_printf("/* Trust anchors from %s. */\n", argv[1]);
		status = jg_trust_write_c(&trust, stdout, &err);
	}
	if (status != JG_OK)
		(void)jg_fprintf(stderr, "gen_anchors: %s\n", err.message);
	else if (trust.skipped > 0)
		(void)jg_fprintf(stderr, "gen_anchors: note: %zu certificates of %s could not be decoded and "
			"were left out\n", trust.skipped, argv[1]);
	jg_trust_free(&trust);
	return status == JG_OK ? 0 : 1;
}
