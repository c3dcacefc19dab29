/*
 * jwtgrant decode: show what a JWT says, and with --cert whether its RS256 signature verifies
 * with the certificate's key.
 *
 * Input: the argument, or standard input when it is "-" or absent, at most 16 KiB, whitespace
 * around it ignored. Output:
 *   header:
 *   { ... }                              the header, as cJSON_Print lays it out
 *   claims:
 *   { ... }                              the claims, the same way
 *   exp: 1700000180 (2023-11-14T22:16:20Z)   for each of exp, iat, nbf that is present; a value
 *                                        that is not whole epoch seconds is shown as
 *                                        cJSON_PrintUnformatted writes it, then
 *                                        "(not epoch seconds)"
 *   signature: not checked (give --cert to verify) | verified with <subject> | does not verify
 * cJSON parses, validates and prints each part. Its printer escapes the C0 controls in strings
 * but writes DEL and the C1 controls (U+0080-U+009F, UTF-8 C2 80 to C2 9F) raw, and a terminal
 * obeys those: one pass over cJSON's text escapes them too (\u007f, \u0080...), so that no
 * control from a hostile token reaches the terminal. cJSON's text has them only inside strings,
 * and its own layout uses no other control than newline and tab. The signature bytes are never
 * printed. A malformed JWT (not three parts, bad base64url, a header or claims that are not a
 * JSON object) is JG_ERR_INPUT; a header alg other than RS256 or a signature that does not
 * verify with --cert is JG_ERR_CHECK.
 */
#include <stdio.h>
#include <string.h>

#include <cJSON.h>

#include "base/clock.h"
#include "base/file.h"
#include "base/json_out.h"
#include "base/wipe.h"
#include "cmd/cmd.h"
#include "crypto/jwt.h"
#include "x509/cert.h"

#define JWT_INPUT_MAX (16 * 1024)

/* A certificate file: PEM is a third larger than the DER, plus any text around it. */

/* The first and last seconds an ISO-8601 year of four digits can show. */
#define TIME_FIRST (-62167219200LL)
#define TIME_LAST 253402300799LL

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The JWT text into buf (NUL-terminated), whitespace around it removed. */
static jg_status read_jwt(const char *arg, char *buf, size_t cap, size_t *len, jg_error *err)
{
	if (arg != NULL && strcmp(arg, "-") != 0) {
		*len = strlen(arg);
		if (*len >= cap)
			return jg_fail(err, JG_ERR_INPUT, "the JWT is larger than %zu bytes",
				cap - 1);
		memcpy(buf, arg, *len);
	} else {
		jg_status st = jg_file_read("-", "JWT", (unsigned char *)buf, cap - 1, len, err);
		if (st != JG_OK)
			return st;
	}
	size_t start = 0, end = *len;
	while (start < end && is_space(buf[start]))
		start++;
	while (end > start && is_space(buf[end - 1]))
		end--;
	memmove(buf, buf + start, end - start);
	*len = end - start;
	buf[*len] = '\0';
	if (*len == 0)
		return jg_fail(err, JG_ERR_INPUT,
			"no JWT given: pass it as the argument or on stdin");
	return JG_OK;
}

/* One part of the JWT decoded into buf and parsed; it must be a JSON object. */
static jg_status parse_part(const char *part, size_t part_len, const char *name, char *buf,
	size_t cap, cJSON **json, jg_error *err)
{
	size_t len = 0;
	jg_status st = jg_jwt_decode_part(part, part_len, name, buf, cap, &len, err);
	if (st != JG_OK)
		return st;
	/* cJSON stops at a NUL: one inside would hide whatever follows it. */
	if (strlen(buf) != len)
		return jg_fail(err, JG_ERR_INPUT, "not a JWT: the %s contains a NUL byte", name);
	*json = cJSON_ParseWithLengthOpts(buf, len + 1, NULL, 1);
	if (!cJSON_IsObject(*json))
		return jg_fail(err, JG_ERR_INPUT, "not a JWT: the %s is not a JSON object", name);
	return JG_OK;
}

/* Read the certificate at path and check that its key can verify RS256. */
/* The certificate whose key verifies the signature: RSA, at most 4096 bits. */
static jg_status load_certificate(const char *path, unsigned char *der, size_t cap,
	jg_cert_info *info, jg_error *err)
{
	size_t der_len = 0;
	jg_status st = jg_cmd_load_cert(path, der, cap, &der_len, info, err);
	if (st == JG_OK && info->key_algorithm != JG_KEY_RSA)
		st = jg_fail(err, JG_ERR_INPUT,
			"certificate %s: its key is not RSA, so it cannot verify an RS256 signature", path);
	if (st == JG_OK && info->key_bits > JG_CERT_RSA_MAX_BITS)
		st = jg_fail(err, JG_ERR_INPUT,
			"certificate %s: RSA keys above %d bits are not supported", path,
			JG_CERT_RSA_MAX_BITS);
	return st;
}

/* The member `name` of object, compact, to out. */
static void put_member(jg_out *out, const cJSON *object, const char *name)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, name);
	char *text = item != NULL ? cJSON_PrintUnformatted(item) : NULL;
	jg_json_put_terminal_safe(out, text != NULL ? text : "?");
	cJSON_free(text);
}

/* "exp: 1700000180 (2023-11-14T22:16:20Z)" for a claim that holds epoch seconds. */
static void print_time_claim(const cJSON *claims, const char *name)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(claims, name);
	if (item == NULL)
		return;
	double value = cJSON_IsNumber(item) ? item->valuedouble : 0.0;
	/* Whole seconds within the years 0 to 9999; the range is checked first, so that the cast
	 * to long long is defined. */
	int epoch = cJSON_IsNumber(item) && value >= (double)TIME_FIRST &&
		value <= (double)TIME_LAST && (double)(long long)value == value;
	if (epoch) {
		char iso[32];
		jg_clock_iso8601((int64_t)value, iso);
		printf("%s: %lld (%s)\n", name, (long long)value, iso);
		return;
	}
	char buf[1024];
	jg_out out;
	jg_out_init_flushing(&out, buf, sizeof buf, jg_out_write_stream, stdout);
	jg_out_puts(&out, name);
	jg_out_puts(&out, ": ");
	put_member(&out, claims, name);
	jg_out_puts(&out, " (not epoch seconds)\n");
	(void)jg_out_finish(&out); /* a failed write shows in the fflush at the end */
}

/* "title:", then the part as cJSON_Print lays it out, on stdout. */
static jg_status print_json(const char *title, const cJSON *part, jg_error *err)
{
	char *text = cJSON_Print(part);
	if (text == NULL)
		return jg_fail(err, JG_ERR_INPUT, "out of memory showing the %s", title);
	char buf[4096];
	jg_out out;
	jg_out_init_flushing(&out, buf, sizeof buf, jg_out_write_stream, stdout);
	jg_out_puts(&out, title);
	jg_out_puts(&out, ":\n");
	jg_json_put_terminal_safe(&out, text);
	jg_out_puts(&out, "\n");
	int written = jg_out_finish(&out);
	jg_wipe(buf, sizeof buf);
	cJSON_free(text);
	if (written != 0)
		return jg_fail(err, JG_ERR_INPUT, "cannot write to standard output");
	return JG_OK;
}

/* Verify with the certificate's key; the header must name RS256. */
static jg_status verify(const jg_jwt_parts *parts, const cJSON *header, const jg_cert_info *info,
	jg_error *err)
{
	const cJSON *alg = cJSON_GetObjectItemCaseSensitive(header, "alg");
	if (!cJSON_IsString(alg) || strcmp(alg->valuestring, "RS256") != 0) {
		char shown[64]; /* cut short when it is longer */
		jg_out out;
		jg_out_init(&out, shown, sizeof shown);
		if (alg != NULL)
			put_member(&out, header, "alg");
		else
			jg_out_puts(&out, "missing");
		return jg_fail(err, JG_ERR_CHECK,
			"signature not verified: the header's alg is %.60s, and only RS256 is accepted",
			shown);
	}
	br_rsa_public_key pk = { (unsigned char *)info->rsa_modulus.data, info->rsa_modulus.len,
		(unsigned char *)info->rsa_exponent.data, info->rsa_exponent.len };
	return jg_jwt_verify_rs256(parts, &pk, err);
}

jg_status jg_cmd_decode(const jg_options *o, jg_error *err)
{
	static char jwt[JWT_INPUT_MAX + 1];
	static char header_text[JWT_INPUT_MAX], claims_text[JWT_INPUT_MAX];
	static unsigned char der[JG_CERT_DER_MAX];
	jg_cert_info info = { 0 };
	jg_jwt_parts parts = { 0 };
	cJSON *header = NULL, *claims = NULL;
	size_t len = 0;
	jg_status st = read_jwt(o->jwt, jwt, sizeof jwt, &len, err);
	if (st == JG_OK)
		st = jg_jwt_split(jwt, len, &parts, err);
	if (st == JG_OK)
		st = parse_part(parts.header, parts.header_len, "header", header_text,
			sizeof header_text, &header, err);
	if (st == JG_OK)
		st = parse_part(parts.claims, parts.claims_len, "claims set", claims_text,
			sizeof claims_text, &claims, err);
	if (st == JG_OK && o->cert != NULL)
		st = load_certificate(o->cert, der, sizeof der, &info, err);
	if (st == JG_OK)
		st = print_json("header", header, err);
	if (st == JG_OK)
		st = print_json("claims", claims, err);
	if (st == JG_OK) {
		print_time_claim(claims, "exp");
		print_time_claim(claims, "iat");
		print_time_claim(claims, "nbf");
		if (o->cert == NULL) {
			printf("signature: not checked (give --cert to verify)\n");
		} else {
			st = verify(&parts, header, &info, err);
			if (st == JG_OK)
				printf("signature: verified with %s\n", info.subject);
			else
				printf("signature: NOT verified\n");
		}
		if (fflush(stdout) != 0 && st == JG_OK)
			st = jg_fail(err, JG_ERR_INPUT, "cannot write to standard output");
	}
	cJSON_Delete(header);
	cJSON_Delete(claims);
	jg_wipe(jwt, sizeof jwt); /* a live assertion is a credential for its lifetime */
	jg_wipe(header_text, sizeof header_text);
	jg_wipe(claims_text, sizeof claims_text);
	return st;
}
