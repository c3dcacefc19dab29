/*
 * JWT decoding (src/jwt.h: jg_jwt_split, jg_jwt_decode_part), as `decode` reads an assertion,
 * and cJSON parsing the decoded header and claims.
 *
 * Checked: the parts lie inside the input, in order, separated by single dots; a decoded part
 * encodes back to exactly the text it came from (base64url without padding is canonical), and
 * it is NUL-terminated; a part that does not fit the output is refused, not truncated.
 */
#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "base64.h"
#include "fuzz_util.h"
#include "jwt.h"

/* Look at a parsed part the way `decode` will: members, types, printing. */
static void walk_json(const char *text, size_t len)
{
	cJSON *json = cJSON_ParseWithLength(text, len);
	if (json == NULL)
		return;
	if (cJSON_IsObject(json)) {
		const cJSON *item = NULL;
		cJSON_ArrayForEach(item, json)
		{
			FUZZ_CHECK(item->string != NULL);
			if (cJSON_IsString(item))
				FUZZ_CHECK(item->valuestring != NULL);
		}
		(void)cJSON_GetObjectItemCaseSensitive(json, "alg");
		(void)cJSON_GetObjectItemCaseSensitive(json, "exp");
	}
	char *printed = cJSON_PrintUnformatted(json);
	if (printed != NULL) {
		cJSON *again = cJSON_Parse(printed);
		FUZZ_CHECK(again != NULL);
		cJSON_Delete(again);
		cJSON_free(printed);
	}
	cJSON_Delete(json);
}

static void decode_part(const char *part, size_t len, const char *name, char *out, size_t cap)
{
	jg_error err;
	size_t out_len = 0;
	jg_status st = jg_jwt_decode_part(part, len, name, out, cap, &out_len, &err);
	if (st != JG_OK) {
		FUZZ_CHECK(st == JG_ERR_INPUT && fuzz_terminated(err.message, sizeof err.message));
		return;
	}
	FUZZ_CHECK(out_len < cap && out[out_len] == '\0');
	FUZZ_CHECK(out_len == len * 3 / 4);
	/* Canonical: encoding the bytes gives back the very text. */
	char *again = fuzz_alloc(len + 1);
	size_t n = jg_base64_encode((const unsigned char *)out, out_len, again, len + 1, JG_B64_URL);
	FUZZ_CHECK(n == len && memcmp(again, part, len) == 0);
	free(again);
	walk_json(out, out_len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char out[JG_JWT_MAX];
	char *jwt = fuzz_copy(data, size);
	jg_jwt_parts parts;
	jg_error err;

	if (jg_jwt_split(jwt, size, &parts, &err) == JG_OK) {
		FUZZ_CHECK(parts.header == jwt && parts.header_len > 0 && parts.claims_len > 0);
		FUZZ_CHECK(parts.claims == parts.header + parts.header_len + 1);
		FUZZ_CHECK(parts.signature == parts.claims + parts.claims_len + 1);
		FUZZ_CHECK(parts.signature + parts.signature_len == jwt + size);
		FUZZ_CHECK(parts.claims[-1] == '.' && parts.signature[-1] == '.');
		decode_part(parts.header, parts.header_len, "header", out, sizeof out);
		decode_part(parts.claims, parts.claims_len, "claims", out, sizeof out);
		decode_part(parts.signature, parts.signature_len, "signature", out, sizeof out);
		/* A tight buffer: exactly the decoded size plus the NUL, then one byte less. */
		size_t exact = parts.claims_len * 3 / 4 + 1;
		char *tight = fuzz_alloc(exact);
		size_t got = 0;
		if (jg_jwt_decode_part(parts.claims, parts.claims_len, "claims", tight, exact, &got,
			&err) == JG_OK)
			FUZZ_CHECK(got == exact - 1 &&
				jg_jwt_decode_part(parts.claims, parts.claims_len, "claims", tight,
					exact - 1, &got, &err) == JG_ERR_INPUT);
		free(tight);
	} else {
		FUZZ_CHECK(fuzz_terminated(err.message, sizeof err.message));
	}
	free(jwt);
	return 0;
}
