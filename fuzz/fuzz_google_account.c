/*
 * A Google service account's JSON key file (src/oauth/google.h: jg_google_parse_account). The
 * input is the file's text, which whoever hands jwtgrant --credentials or
 * GOOGLE_APPLICATION_CREDENTIALS controls; it is parsed from a heap copy of exactly its length,
 * so that ASan sees any read past the end (the text is not NUL-terminated). cJSON frees through
 * jg_wipe_free, as main.c sets it up.
 *
 * Checked:
 *   - JG_OK: the file is a JSON object whose "type" is "service_account"; client_email,
 *     key_id and token_uri end within their arrays, are non-empty visible ASCII (0x21..0x7e)
 *     and are the file's members byte for byte; token_uri starts with https://; the key is
 *     RSA of 2048 to 4096 bits, the same key its private_key member loads into by itself;
 *   - otherwise JG_ERR_INPUT, the message one line without control characters naming the
 *     file, the key left all zero, and no piece of the private_key member's PEM (a run of 20
 *     base64 characters of it, in any case) in the message, unless that run is also in the
 *     "type" the message may quote or in a PEM label line (BearSSL uppercases labels);
 *   - jg_key_wipe leaves the key all zero.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cJSON.h>

#include "fuzz_util.h"
#include "base/wipe.h"
#include "crypto/key.h"
#include "oauth/google.h"

#define ORIGIN "the key file fuzz.json (--credentials)"
#define RUN_MIN 20 /* base64 characters in a row that cannot be in a message by chance */

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	static cJSON_Hooks hooks = { malloc, jg_wipe_free };
	cJSON_InitHooks(&hooks);
	return 0;
}

static int all_zero(const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++) {
		if (b[i] != 0)
			return 0;
	}
	return 1;
}

static int is_base64_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		c == '+' || c == '/' || c == '=' || c == '-' || c == '_';
}

/* A string member of our own parse of the input, or NULL. */
static const char *member(const cJSON *json, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(json, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A member the parser copied: terminated, non-empty visible ASCII, equal to the file's. */
static void check_field(const char *field, size_t cap, const char *in_file)
{
	FUZZ_CHECK(fuzz_terminated(field, cap));
	FUZZ_CHECK(field[0] != '\0');
	for (const char *p = field; *p != '\0'; p++)
		FUZZ_CHECK(*p >= 0x21 && *p <= 0x7e);
	FUZZ_CHECK(in_file != NULL && strcmp(field, in_file) == 0);
}

/* s[0..n) in ASCII uppercase, NUL-terminated, on the heap: BearSSL's PEM decoder uppercases the
 * labels it reads, so a label is compared without regard to case. */
static char *upper_copy(const char *s, size_t n)
{
	char *u = fuzz_strdup(s, n);
	for (char *p = u; *p != '\0'; p++) {
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	}
	return u;
}

/* Whether run (uppercase) lies within a line of pem (uppercase) that holds "-----": a PEM
 * label, which the key loader may quote. Lines end at CR, LF or a backslash (the two characters
 * "\n" of a key whose line breaks were escaped twice). */
static int in_label_line(const char *pem, const char *run)
{
	const char *line = pem;
	while (*line != '\0') {
		size_t len = strcspn(line, "\r\n\\");
		if (memmem(line, len, "-----", 5) != NULL && memmem(line, len, run, strlen(run)) != NULL)
			return 1;
		line += len;
		if (*line != '\0')
			line++;
	}
	return 0;
}

/* No RUN_MIN base64 characters of the message are a piece of the private_key PEM (compared
 * without regard to case), unless they are also in what the message may quote: the type, a
 * PEM label. Messages rarely hold such a run at all, so the search starts from their runs. */
static void check_no_key_text(const char *message, const char *pem_in, const char *type_in)
{
	if (pem_in == NULL)
		return;
	char *pem = upper_copy(pem_in, strlen(pem_in));
	char *type = type_in != NULL ? upper_copy(type_in, strlen(type_in)) : NULL;
	size_t mlen = strlen(message);
	for (size_t i = 0; i < mlen;) {
		size_t n = 0;
		while (i + n < mlen && is_base64_char(message[i + n]))
			n++;
		for (size_t w = 0; n >= RUN_MIN && w + RUN_MIN <= n; w++) {
			char *run = upper_copy(message + i + w, RUN_MIN);
			int quoted = strstr(pem, run) != NULL && (type == NULL || strstr(type, run) == NULL) &&
				!in_label_line(pem, run);
			free(run);
			if (quoted) {
				fprintf(stderr, "message quotes the private key: %s\n", message);
				FUZZ_CHECK(!"a piece of the private_key PEM is in the message");
			}
		}
		i += n > 0 ? n : 1;
	}
	free(pem);
	free(type);
}

static void check_error(jg_status st, const jg_error *err, const jg_key *key, const cJSON *mine)
{
	FUZZ_CHECK(st == JG_ERR_INPUT);
	FUZZ_CHECK(err->status == st);
	FUZZ_CHECK(fuzz_terminated(err->message, sizeof err->message));
	FUZZ_CHECK(err->message[0] != '\0');
	for (const char *p = err->message; *p != '\0'; p++)
		FUZZ_CHECK((unsigned char)*p >= 0x20 && *p != 0x7f);
	FUZZ_CHECK(strstr(err->message, ORIGIN) != NULL);
	FUZZ_CHECK(all_zero(key, sizeof *key));
	check_no_key_text(err->message, member(mine, "private_key"), member(mine, "type"));
}

/* The account as parsed against our own reading of the file. */
static void check_account(const jg_google_account *a, const jg_key *key, const cJSON *mine)
{
	static jg_key alone;
	jg_error err;
	FUZZ_CHECK(cJSON_IsObject(mine));
	const char *type = member(mine, "type");
	FUZZ_CHECK(type != NULL && strcmp(type, "service_account") == 0);
	check_field(a->client_email, sizeof a->client_email, member(mine, "client_email"));
	check_field(a->key_id, sizeof a->key_id, member(mine, "private_key_id"));
	check_field(a->token_uri, sizeof a->token_uri, member(mine, "token_uri"));
	FUZZ_CHECK(strncmp(a->token_uri, "https://", 8) == 0);

	FUZZ_CHECK(key->bits >= JG_KEY_MIN_BITS && key->bits <= JG_KEY_MAX_BITS);
	FUZZ_CHECK(key->sk.n_bitlen == key->bits);
	FUZZ_CHECK(key->pk.nlen == (key->bits + 7) / 8 && key->pk.n[0] != 0);
	FUZZ_CHECK(key->pk.n >= key->pk_buf && key->pk.n + key->pk.nlen <= key->pk_buf + sizeof key->pk_buf);

	/* The private_key member by itself loads into the same key. */
	const char *pem = member(mine, "private_key");
	FUZZ_CHECK(pem != NULL);
	memset(&err, 0, sizeof err);
	FUZZ_CHECK(jg_key_load_bytes((const unsigned char *)pem, strlen(pem), "private_key", &alone,
		&err) == JG_OK);
	FUZZ_CHECK(alone.bits == key->bits && alone.pk.nlen == key->pk.nlen &&
		memcmp(alone.pk.n, key->pk.n, key->pk.nlen) == 0);
	FUZZ_CHECK(alone.pk.elen == key->pk.elen && memcmp(alone.pk.e, key->pk.e, key->pk.elen) == 0);
	jg_key_wipe(&alone);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static jg_google_account account;
	static jg_key key;
	jg_error err;

	char *in = fuzz_copy(data, size);
	memset(&account, 0xa5, sizeof account);
	memset(&err, 0, sizeof err);
	FUZZ_CHECK(all_zero(&key, sizeof key));
	jg_status st = jg_google_parse_account(in, size, ORIGIN, &account, &key, &err);

	cJSON *mine = cJSON_ParseWithLength(in, size);
	if (st == JG_OK)
		check_account(&account, &key, mine);
	else
		check_error(st, &err, &key, mine);
	cJSON_Delete(mine);
	free(in);

	jg_key_wipe(&key);
	FUZZ_CHECK(all_zero(&key, sizeof key));
	jg_wipe(&account, sizeof account);
	jg_wipe(&err, sizeof err);
	return 0;
}
