#include "oauth/google.h"

#include <stdio.h>
#include <string.h>

#include <cJSON.h>

#include "base/file.h"
#include "base/trace.h"
#include "base/wipe.h"
#include "net/http.h"
#include "oauth/oauth.h"

/* A string member, or NULL when absent or not a string. */
static const char *member_string(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* "type" must be "service_account": the other kinds of Google credentials, by name. */
static jg_status check_type(const cJSON *json, const char *origin, jg_error *err)
{
	const char *type = member_string(json, "type");
	if (type == NULL)
		return jg_fail(err, JG_ERR_INPUT, "%s has no \"type\": it is not a Google service account "
			"key file (IAM > Service accounts > Keys > Add key > JSON)", origin);
	if (strcmp(type, "service_account") == 0)
		return JG_OK;
	char shown[64];
	jg_http_printable_prefix(type, strlen(type), shown, sizeof shown);
	return jg_fail(err, JG_ERR_INPUT, "%s holds %s credentials, not a service account key: "
		"jwtgrant signs with a service account's private key; create one under IAM > Service "
		"accounts > Keys > Add key > JSON", origin, shown);
}

/* A member that must be a non-empty string of printable ASCII that fits in cap bytes. */
static jg_status copy_member(const cJSON *json, const char *name, const char *origin, char *out,
	size_t cap, jg_error *err)
{
	const char *v = member_string(json, name);
	size_t n = v != NULL ? strlen(v) : 0;
	int printable = 1;
	for (size_t i = 0; i < n; i++)
		printable &= v[i] > 0x20 && v[i] < 0x7f;
	if (n == 0 || n >= cap || !printable)
		return jg_fail(err, JG_ERR_INPUT, "%s: \"%s\" is missing, empty, too long or not printable "
			"ASCII; download the key file again", origin, name);
	memcpy(out, v, n + 1);
	return JG_OK;
}

static jg_status read_members(const cJSON *json, const char *origin, jg_google_account *a,
	jg_error *err)
{
	jg_status st = check_type(json, origin, err);
	if (st == JG_OK)
		st = copy_member(json, "client_email", origin, a->client_email, sizeof a->client_email, err);
	if (st == JG_OK)
		st = copy_member(json, "private_key_id", origin, a->key_id, sizeof a->key_id, err);
	if (st == JG_OK)
		st = copy_member(json, "token_uri", origin, a->token_uri, sizeof a->token_uri, err);
	if (st == JG_OK && strncmp(a->token_uri, "https://", 8) != 0)
		st = jg_fail(err, JG_ERR_INPUT, "%s: token_uri is not an https URL", origin);
	return st;
}

/* The private_key member, its escapes decoded by cJSON, loaded as a key. */
static jg_status load_key(const cJSON *json, const char *origin, jg_key *key, jg_error *err)
{
	const char *pem = member_string(json, "private_key");
	char where[256];
	if (pem == NULL || *pem == '\0')
		return jg_fail(err, JG_ERR_INPUT, "%s has no \"private_key\"; download the key file again",
			origin);
	(void)snprintf(where, sizeof where, "the private_key of %s", origin);
	jg_status st = jg_key_load_bytes((const unsigned char *)pem, strlen(pem), where, key, err);
	if (st == JG_OK)
		return st;
	jg_trace("%s", err->message); /* the key reader's words, whose advice is Salesforce's */
	return jg_fail(err, JG_ERR_INPUT, "%s: its private_key is not an unencrypted RSA key of 2048 "
		"to 4096 bits to sign RS256 with; create a new key for the service account (IAM > "
		"Service accounts > Keys > Add key > JSON)", origin);
}

jg_status jg_google_parse_account(const char *text, size_t len, const char *origin,
	jg_google_account *account, jg_key *key, jg_error *err)
{
	memset(account, 0, sizeof *account);
	if (!jg_oauth_strict_json_text(text, len))
		return jg_fail(err, JG_ERR_INPUT, "%s is not JSON text (control characters or invalid "
			"UTF-8): is it the service account's key file?", origin);
	cJSON *json = cJSON_ParseWithLength(text, len);
	jg_status st = JG_OK;
	if (!cJSON_IsObject(json))
		st = jg_fail(err, JG_ERR_INPUT, "%s is not a JSON object: is it the service account's "
			"key file?", origin);
	if (st == JG_OK)
		st = read_members(json, origin, account, err);
	if (st == JG_OK)
		st = load_key(json, origin, key, err);
	cJSON_Delete(json); /* frees through jg_wipe_free (main.c): the key's copy is wiped */
	return st;
}

jg_status jg_google_read_account(const char *path, const char *what, jg_google_account *account,
	jg_key *key, jg_error *err)
{
	static unsigned char text[JG_GOOGLE_FILE_MAX];
	char origin[1200];
	size_t len = 0;
	(void)snprintf(origin, sizeof origin, "the key file %s (%s)", path, what);
	jg_status st = jg_file_read(path, "service account key file", text, sizeof text, &len, err);
	if (st != JG_OK)
		(void)jg_fail_context(err, st, "%s", what);
	if (st == JG_OK)
		st = jg_google_parse_account((const char *)text, len, origin, account, key, err);
	jg_wipe(text, len);
	return st;
}
