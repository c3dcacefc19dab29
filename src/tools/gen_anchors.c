/*
 * gen_anchors BUNDLE.pem > anchors_embedded.c
 *
 * Build-time tool: turns a PEM bundle of CA certificates (the Mozilla set of the pinned
 * ca-certificates package, vendor/src/roots.pem) into the anchor index jg_anchors_embedded
 * (src/tls/anchors.h), reading the bundle with the same loader
 * that reads --cacert at run time. Certificates that are not CAs are left out (the index holds
 * CA anchors only), with a note. Exits 0, or 1 with a message on stderr (and possibly partial
 * output, which the Makefile discards).
 */
#include <stdio.h>
#include <stdlib.h>

#include "tls/anchors.h"
#include "tls/trust.h"

/* Index the loaded set and write it as C. */
static jg_status write_index(const jg_trust *trust, const char *bundle, jg_error *err)
{
	size_t keys_cap = jg_anchors_key_bytes(trust->anchors, trust->count);
	jg_anchor_entry *entries = malloc(trust->count * sizeof *entries);
	unsigned char *keys = malloc(keys_cap > 0 ? keys_cap : 1);
	jg_status status = JG_ERR_INPUT;
	jg_anchor_index index;
	size_t skipped = 0;
	if (entries == NULL || keys == NULL)
		(void)jg_fail(err, JG_ERR_INPUT, "out of memory");
	else
		status = jg_anchors_build(&index, entries, keys, keys_cap, trust->anchors,
			trust->count, &skipped, err);
	if (status == JG_OK && skipped > 0)
		(void)fprintf(stderr, "gen_anchors: note: %zu certificates of %s are not CAs and were "
			"left out\n", skipped, bundle);
	if (status == JG_OK) {
		(void)printf("/* Trust anchors from %s. */\n", bundle);
		status = jg_anchors_write_c(&index, stdout, err);
	}
	free(entries);
	free(keys);
	return status;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		(void)fprintf(stderr, "usage: gen_anchors BUNDLE.pem > anchors_embedded.c\n");
		return 2;
	}
	jg_trust trust;
	jg_error err;
	jg_trust_init(&trust);
	jg_status status = jg_trust_add_file(&trust, argv[1], &err);
	if (status == JG_OK)
		status = write_index(&trust, argv[1], &err);
	if (status != JG_OK)
		(void)fprintf(stderr, "gen_anchors: %s\n", err.message);
	else if (trust.skipped > 0)
		(void)fprintf(stderr, "gen_anchors: note: %zu certificates of %s could not be decoded and "
			"were left out\n", trust.skipped, argv[1]);
	jg_trust_free(&trust);
	return status == JG_OK ? 0 : 1;
}
