/*
 * A Google service account's JSON key file (src/oauth/google.h): a file as the console writes it
 * gives the account (client_email, private_key_id, token_uri) and loads its key, with "\n" or
 * "\r\n" in the key; every other file is JG_ERR_INPUT with one line naming the file and the
 * problem (the other kinds of credentials by name), without control characters, and never
 * quoting the private key. The key is made at test time (jg_keygen_rsa) and written as PKCS#8
 * PEM, as Google's files hold it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h> /* mkstemp */
#include <string.h>
#include <unistd.h>

#include <cJSON.h>

#include "base/wipe.h"
#include "crypto/key.h"
#include "crypto/keygen.h"
#include "oauth/google.h"

#define ORIGIN "the key file sa.json (--credentials)"
#define EMAIL "ci-deploy@seed-project.iam.gserviceaccount.com"
#define KEY_ID "0123456789abcdef0123456789abcdef01234567"
#define TOKEN_URI "https://oauth2.googleapis.com/token"

/* A P-256 key (PKCS#8), made for this test with openssl genpkey: Google's files hold RSA keys. */
static const char ec_pem[] =
	"-----BEGIN PRIVATE KEY-----\\n"
	"MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg+ne9Z1G7Txt0dbc6\\n"
	"bQsSlbQlST8whXtZYMhkbf+TTaWhRANCAARi9qXaB2Z3O+GArBo2ns5jD8rO2Zk5\\n"
	"mJHIskuSWHO4e+SgjVmFZtcc1wx3PYSIrPOQt2WHy9GESXmLnbjouBwC\\n"
	"-----END PRIVATE KEY-----\\n";

static jg_key made, loaded;
static jg_google_account account;
static char pem[JG_KEYGEN_PEM_MAX];         /* the key's PEM, real line breaks */
static char pem_json[2 * JG_KEYGEN_PEM_MAX]; /* the same inside a JSON string: "\n" */
static char pem_json_crlf[2 * JG_KEYGEN_PEM_MAX]; /* with "\r\n" */
static char text[16384];
static jg_error err;

/* The members of a key file, each as JSON text to put between quotes (NULL: absent). */
typedef struct members {
	const char *type, *client_email, *key_id, *token_uri, *private_key;
	const char *extra; /* further members, written as they are (with a leading comma) */
} members;

static members service_account(void)
{
	members m = { .type = "service_account", .client_email = EMAIL, .key_id = KEY_ID,
		.token_uri = TOKEN_URI, .private_key = pem_json, .extra = "" };
	return m;
}

static void put_member(char **p, char *end, int *first, const char *name, const char *value)
{
	if (value == NULL)
		return;
	int n = snprintf(*p, (size_t)(end - *p), "%s\n  \"%s\": \"%s\"", *first ? "" : ",", name,
		value);
	assert_true(n > 0 && n < end - *p);
	*p += n;
	*first = 0;
}

/* A key file as the console lays it out: an object, one member a line. Its length. */
static size_t file_of(const members *m)
{
	char *p = text, *end = text + sizeof text;
	int first = 1;
	int n = snprintf(p, sizeof text, "{");
	p += n;
	put_member(&p, end, &first, "type", m->type);
	put_member(&p, end, &first, "project_id", "seed-project");
	put_member(&p, end, &first, "private_key_id", m->key_id);
	put_member(&p, end, &first, "private_key", m->private_key);
	put_member(&p, end, &first, "client_email", m->client_email);
	put_member(&p, end, &first, "client_id", "100000000000000000001");
	put_member(&p, end, &first, "auth_uri", "https://accounts.google.com/o/oauth2/auth");
	put_member(&p, end, &first, "token_uri", m->token_uri);
	n = snprintf(p, (size_t)(end - p), "%s\n}\n", m->extra);
	assert_true(n > 0 && n < end - p);
	p += n;
	return (size_t)(p - text);
}

static jg_status parse(const char *t, size_t len)
{
	memset(&err, 0, sizeof err);
	jg_key_wipe(&loaded);
	return jg_google_parse_account(t, len, ORIGIN, &account, &loaded, &err);
}

/* Whether the message holds a piece of the key: any base64 line of its PEM, or the first 20
 * characters of one. */
static int quotes_key(const char *message)
{
	const char *line = pem;
	while (*line != '\0') {
		size_t len = strcspn(line, "\n");
		if (strncmp(line, "-----", 5) != 0 && len >= 20) {
			char piece[21];
			memcpy(piece, line, 20);
			piece[20] = '\0';
			if (strstr(message, piece) != NULL)
				return 1;
		}
		line += len + (line[len] == '\n');
	}
	return 0;
}

/* t[0..len) is refused: JG_ERR_INPUT, one line naming the file and holding `what`, no control
 * character, no piece of the key, and the key left empty. */
static void refused(const char *t, size_t len, const char *what)
{
	assert_int_equal(parse(t, len), JG_ERR_INPUT);
	assert_int_equal(err.status, JG_ERR_INPUT);
	assert_non_null(strstr(err.message, ORIGIN));
	if (strstr(err.message, what) == NULL)
		fail_msg("\"%s\" not in the message: %s", what, err.message);
	for (const char *p = err.message; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			fail_msg("control character 0x%02x in the message: %s", (unsigned char)*p, err.message);
	}
	assert_false(quotes_key(err.message));
	assert_int_equal(loaded.bits, 0);
}

static void refused_members(const members *m, const char *what)
{
	size_t len = file_of(m);
	refused(text, len, what);
}

/* src with each real line break written as the JSON escape `esc`. */
static void escape_lines(const char *src, const char *esc, char *out, size_t cap)
{
	size_t o = 0;
	for (const char *p = src; *p != '\0'; p++) {
		const char *piece = *p == '\n' ? esc : NULL;
		size_t n = piece != NULL ? strlen(piece) : 1;
		assert_true(o + n < cap);
		memcpy(out + o, piece != NULL ? piece : p, n);
		o += n;
	}
	out[o] = '\0';
}

static int make_key(void **state)
{
	(void)state;
	jg_error e;
	size_t len = 0;
	if (jg_keygen_rsa(2048, &made, &e) != JG_OK ||
		jg_keygen_private_pem(&made, pem, sizeof pem, &len, &e) != JG_OK)
		return -1;
	escape_lines(pem, "\\n", pem_json, sizeof pem_json);
	escape_lines(pem, "\\r\\n", pem_json_crlf, sizeof pem_json_crlf);
	return 0;
}

static int wipe_all(void **state)
{
	(void)state;
	jg_key_wipe(&made);
	jg_key_wipe(&loaded);
	jg_wipe(pem, sizeof pem);
	jg_wipe(pem_json, sizeof pem_json);
	jg_wipe(pem_json_crlf, sizeof pem_json_crlf);
	jg_wipe(text, sizeof text);
	return 0;
}

static void assert_account_loaded(void)
{
	assert_string_equal(account.client_email, EMAIL);
	assert_string_equal(account.key_id, KEY_ID);
	assert_string_equal(account.token_uri, TOKEN_URI);
	assert_int_equal(loaded.bits, 2048);
	assert_int_equal(loaded.pk.nlen, made.pk.nlen);
	assert_memory_equal(loaded.pk.n, made.pk.n, made.pk.nlen);
	assert_memory_equal(loaded.pk.e, made.pk.e, made.pk.elen);
}

static void valid_file_gives_the_account_and_key(void **state)
{
	(void)state;
	members m = service_account();
	size_t len = file_of(&m);
	assert_int_equal(parse(text, len), JG_OK);
	assert_account_loaded();
}

/* CRLF between the members and "\r\n" in the key (a file edited on Windows). */
static void valid_file_with_crlf(void **state)
{
	(void)state;
	members m = service_account();
	m.private_key = pem_json_crlf;
	size_t len = file_of(&m);
	char crlf[sizeof text + 64];
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		if (text[i] == '\n')
			crlf[o++] = '\r';
		crlf[o++] = text[i];
	}
	assert_int_equal(parse(crlf, o), JG_OK);
	assert_account_loaded();
}

/* The text is not NUL-terminated where the file ends: a parse reads only len bytes. */
static void reads_only_its_length(void **state)
{
	(void)state;
	members m = service_account();
	size_t len = file_of(&m);
	text[len] = 'x'; /* past the end: not part of the file */
	assert_int_equal(parse(text, len), JG_OK);
	assert_int_equal(parse(text, len - 2), JG_ERR_INPUT); /* the closing brace cut off */
}

static void other_credentials_named(void **state)
{
	(void)state;
	/* gcloud's application default credentials: a refresh token, never quoted. */
	static const char user[] = "{\"account\":\"\",\"client_id\":\"seed.apps.googleusercontent.com\","
		"\"client_secret\":\"seed-secret-value\",\"refresh_token\":\"1//0seedRefreshTokenValue\","
		"\"type\":\"authorized_user\",\"universe_domain\":\"googleapis.com\"}";
	refused(user, strlen(user), "holds authorized_user credentials, not a service account key");
	assert_null(strstr(err.message, "seed-secret-value"));
	assert_null(strstr(err.message, "1//0seedRefreshTokenValue"));

	static const char workload[] = "{\"type\":\"external_account\",\"audience\":\"//iam.googleapis.com/"
		"projects/1/locations/global/workloadIdentityPools/p/providers/gh\",\"subject_token_type\":"
		"\"urn:ietf:params:oauth:token-type:jwt\",\"token_url\":\"https://sts.googleapis.com/v1/token\","
		"\"credential_source\":{\"file\":\"/var/run/token\"}}";
	refused(workload, strlen(workload), "holds external_account credentials");

	/* A service account file but for its type: still refused by the type, which is named. */
	members m = service_account();
	m.type = "impersonated_service_account";
	refused_members(&m, "impersonated_service_account");
}

static void type_missing_or_not_a_string(void **state)
{
	(void)state;
	members m = service_account();
	m.type = NULL;
	refused_members(&m, "has no \"type\"");
	static const char number[] = "{\"type\":1,\"client_email\":\"a@b\"}";
	refused(number, strlen(number), "has no \"type\"");
}

/* A type with terminal escapes is shown with them made harmless. */
static void type_shown_without_controls(void **state)
{
	(void)state;
	members m = service_account();
	m.type = "\\u001b[2Jx\\u009bq";
	refused_members(&m, "holds .[2Jx");
}

static void members_missing(void **state)
{
	(void)state;
	members m = service_account();
	m.private_key = NULL;
	refused_members(&m, "has no \"private_key\"");
	m.private_key = "";
	refused_members(&m, "has no \"private_key\"");
	m = service_account();
	m.client_email = NULL;
	refused_members(&m, "\"client_email\" is missing");
	m = service_account();
	m.key_id = NULL;
	refused_members(&m, "\"private_key_id\" is missing");
	m = service_account();
	m.token_uri = NULL;
	refused_members(&m, "\"token_uri\" is missing");
	m = service_account();
	m.key_id = "";
	refused_members(&m, "\"private_key_id\" is missing, empty");
}

static void token_uri_not_https(void **state)
{
	(void)state;
	members m = service_account();
	m.token_uri = "http://oauth2.googleapis.com/token";
	refused_members(&m, "token_uri is not an https URL");
	m.token_uri = "HTTPS://oauth2.googleapis.com/token"; /* as written: https:// */
	refused_members(&m, "token_uri is not an https URL");
}

static void client_email_not_printable(void **state)
{
	(void)state;
	static const char *const bad[] = { "ci deploy@seed.iam.gserviceaccount.com",
		"ci\\u00e9@seed.iam.gserviceaccount.com", "ci\\t@seed.iam.gserviceaccount.com",
		"ci\\u007f@seed" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		members m = service_account();
		m.client_email = bad[i];
		refused_members(&m, "\"client_email\" is missing, empty, too long or not printable ASCII");
	}
	char longer[JG_CLAIM_MAX + 8];
	memset(longer, 'a', sizeof longer - 1);
	longer[sizeof longer - 1] = '\0';
	members m = service_account();
	m.client_email = longer;
	refused_members(&m, "\"client_email\" is missing, empty, too long");
}

static void not_an_object(void **state)
{
	(void)state;
	static const char array[] = "[{\"type\":\"service_account\"}]";
	refused(array, strlen(array), "is not a JSON object");
	refused("\"service_account\"", 17, "is not a JSON object");
	refused("", 0, "is not a JSON object");
	members m = service_account();
	size_t len = file_of(&m);
	refused(text, len / 2, "is not a JSON object"); /* truncated inside the key */
}

static void not_json_text(void **state)
{
	(void)state;
	static const char latin1[] = "{\"type\":\"service_account\",\"client_email\":\"caf\xe9@x\"}";
	refused(latin1, strlen(latin1), "is not JSON text (control characters or invalid UTF-8)");
	static const char nul[] = "{\"type\":\"service_account\",\"client_email\":\"a\\u0000b@x\"}";
	refused(nul, strlen(nul), "is not JSON text");
	static const char raw_control[] = "{\"type\":\"service_account\",\"client_email\":\"a\x01@x\"}";
	refused(raw_control, strlen(raw_control), "is not JSON text");
}

/* A private_key that does not load: the message says what the key must be, in Google's terms. */
#define NOT_A_KEY ORIGIN ": its private_key is not an unencrypted RSA key of 2048 to 4096 bits"

static void key_that_does_not_load(void **state)
{
	(void)state;
	members m = service_account();
	m.private_key = ec_pem;
	refused_members(&m, NOT_A_KEY);
	assert_null(strstr(err.message, "Salesforce")); /* the key reader's advice is not shown */

	/* The key's PEM with its body cut short: the base64 no longer decodes to a key. */
	char damaged[sizeof pem_json];
	(void)snprintf(damaged, sizeof damaged, "%s", pem_json);
	char *cut = strstr(damaged, "\\n") + 2 + 200;
	(void)snprintf(cut, (size_t)(damaged + sizeof damaged - cut), "\\n-----END PRIVATE KEY-----\\n");
	m.private_key = damaged;
	refused_members(&m, NOT_A_KEY);

	/* Not PEM at all: base64 lines of the key without their BEGIN and END lines, garbled. */
	char *body = strstr(damaged, "\\n") + 2;
	body[100] = '\0';
	body[50] = '*';
	m.private_key = body;
	refused_members(&m, NOT_A_KEY);

	/* A public key; a PEM object of another kind, whose label has a terminal escape. */
	m.private_key = "-----BEGIN PUBLIC KEY-----\\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\\n-----END PUBLIC KEY-----\\n";
	refused_members(&m, NOT_A_KEY);
	m.private_key = "-----BEGIN X\\u001b[2JY-----\\nAAAA\\n-----END X\\u001b[2JY-----\\n";
	refused_members(&m, NOT_A_KEY);
	jg_wipe(damaged, sizeof damaged);
}

/* The file read from disk: the same account; a file that is not there names its path. */
static void read_from_a_file(void **state)
{
	(void)state;
	char path[] = "/tmp/jg-test-google.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	members m = service_account();
	size_t len = file_of(&m);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
	memset(&err, 0, sizeof err);
	jg_key_wipe(&loaded);
	assert_int_equal(jg_google_read_account(path, "--credentials", &account, &loaded, &err), JG_OK);
	assert_account_loaded();
	assert_int_equal(unlink(path), 0);

	jg_key_wipe(&loaded);
	assert_int_equal(jg_google_read_account(path, "GOOGLE_APPLICATION_CREDENTIALS", &account,
		&loaded, &err), JG_ERR_INPUT);
	assert_non_null(strstr(err.message, path));
	assert_int_equal(loaded.bits, 0);
}

int main(void)
{
	/* As main.c: cJSON frees through jg_wipe_free, so its copy of the key dies wiped. */
	static cJSON_Hooks hooks = { malloc, jg_wipe_free };
	cJSON_InitHooks(&hooks);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_file_gives_the_account_and_key),
		cmocka_unit_test(valid_file_with_crlf),
		cmocka_unit_test(reads_only_its_length),
		cmocka_unit_test(other_credentials_named),
		cmocka_unit_test(type_missing_or_not_a_string),
		cmocka_unit_test(type_shown_without_controls),
		cmocka_unit_test(members_missing),
		cmocka_unit_test(token_uri_not_https),
		cmocka_unit_test(client_email_not_printable),
		cmocka_unit_test(not_an_object),
		cmocka_unit_test(not_json_text),
		cmocka_unit_test(key_that_does_not_load),
		cmocka_unit_test(read_from_a_file),
	};
	return cmocka_run_group_tests_name("google", tests, make_key, wipe_all);
}
