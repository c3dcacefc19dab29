/*
 * JWT decoding (src/crypto/jwt.h: jg_jwt_split, jg_jwt_decode_part), as `decode` reads an assertion,
 * and cJSON parsing the decoded header and claims.
 *
 * Each JWT that splits also goes through jg_jwt_verify_rs256, as `decode --cert` does, with the
 * public key of fuzz/jwt-seed-key.pem (the key that signs the seeds of fuzz/make_seeds.sh), so
 * that mutations of a signed seed reach the RSA check.
 *
 * Checked: the parts lie inside the input, in order, separated by single dots; a decoded part
 * encodes back to exactly the text it came from (base64url without padding is canonical), and
 * it is NUL-terminated; a part that does not fit the output is refused, not truncated; a
 * signature verifies only over the exact bytes it was made for.
 */
#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "crypto/base64.h"
#include "fuzz_util.h"
#include "crypto/jwt.h"

/* The modulus of fuzz/jwt-seed-key.pem (openssl rsa -noout -modulus), exponent 65537. */
static unsigned char seed_modulus[256] = {
	0xba, 0x57, 0x53, 0x15, 0xb5, 0xfb, 0x67, 0xe4, 0x3e, 0x78, 0xb1, 0xa9, 0x99, 0x87, 0x60, 0x67,
	0xe6, 0x7a, 0x8b, 0xd2, 0x82, 0xf3, 0xe8, 0x23, 0xb0, 0xfc, 0x2f, 0xd3, 0xdb, 0x7f, 0x25, 0xce,
	0xea, 0x9d, 0xaa, 0x76, 0x17, 0xde, 0x76, 0x5e, 0x55, 0xe2, 0xff, 0xd5, 0xa5, 0x1d, 0xfc, 0x94,
	0xee, 0x4e, 0x92, 0xd5, 0xfb, 0x8e, 0x55, 0x1c, 0x33, 0x09, 0x21, 0x68, 0x29, 0x8f, 0xd6, 0x8b,
	0x0f, 0x31, 0xd1, 0xf9, 0xf7, 0x41, 0x2a, 0xa7, 0xfc, 0x0b, 0x6e, 0xd6, 0x8f, 0xfb, 0x00, 0x65,
	0x0f, 0xcb, 0x1f, 0x4d, 0xa3, 0x8b, 0x81, 0xd2, 0x72, 0x69, 0x2c, 0x35, 0xa4, 0x3b, 0x4e, 0x1a,
	0x74, 0x2b, 0x1d, 0x04, 0x9b, 0xa1, 0x6f, 0x83, 0x7a, 0x0b, 0x02, 0xc6, 0x50, 0x61, 0x00, 0x73,
	0x18, 0x03, 0x36, 0x53, 0xb0, 0x69, 0x8a, 0xc4, 0x08, 0xa7, 0x50, 0x2d, 0x32, 0x49, 0x1f, 0x6b,
	0xcb, 0x43, 0xad, 0xc3, 0x02, 0x7b, 0xcc, 0xaa, 0x6a, 0xa2, 0x10, 0x38, 0x70, 0x6f, 0xfa, 0xb0,
	0x62, 0xca, 0xf8, 0x8e, 0x8a, 0x52, 0xd3, 0xad, 0x4f, 0x41, 0xbe, 0x9e, 0x63, 0x9f, 0x74, 0x6a,
	0x15, 0xdc, 0x79, 0x62, 0xb0, 0x76, 0xcd, 0x0a, 0x4f, 0x30, 0xe3, 0x13, 0x52, 0x0c, 0x1c, 0x82,
	0x5b, 0xc6, 0x6a, 0xe7, 0xd8, 0x25, 0x1c, 0x5c, 0x81, 0xbb, 0xd0, 0x97, 0xac, 0x29, 0x54, 0xa1,
	0x1f, 0xbb, 0x9b, 0xe4, 0xdc, 0x8a, 0xbd, 0xc9, 0x58, 0xa8, 0xb8, 0xb8, 0xb0, 0x18, 0xbb, 0xdd,
	0x11, 0x9b, 0x6f, 0x1d, 0xf6, 0x9e, 0x05, 0x2b, 0xf7, 0x0f, 0x38, 0xb3, 0xfb, 0x7b, 0x55, 0x97,
	0x72, 0x69, 0x82, 0x15, 0x56, 0xe7, 0x5c, 0xdf, 0x16, 0xdb, 0x54, 0x26, 0xc6, 0x7d, 0x45, 0x7a,
	0x98, 0x96, 0x32, 0xdc, 0x8d, 0x58, 0x56, 0x02, 0x7a, 0x06, 0xbf, 0x5a, 0x7c, 0xe3, 0x9c, 0x05,
};
static unsigned char seed_exponent[3] = { 0x01, 0x00, 0x01 };
static const br_rsa_public_key seed_key = {
	seed_modulus, sizeof seed_modulus, seed_exponent, sizeof seed_exponent
};

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
		jg_status vst = jg_jwt_verify_rs256(&parts, &seed_key, &err);
		FUZZ_CHECK(vst == JG_OK || (vst == JG_ERR_CHECK && err.status == JG_ERR_CHECK));
		if (vst == JG_OK) {
			/* One bit changed in the signed text, and the signature no longer holds. */
			jwt[0] ^= 0x01;
			jg_jwt_parts flipped;
			if (jg_jwt_split(jwt, size, &flipped, &err) == JG_OK)
				FUZZ_CHECK(jg_jwt_verify_rs256(&flipped, &seed_key, &err) != JG_OK);
			jwt[0] ^= 0x01;
		}
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
