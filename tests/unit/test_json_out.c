/*
 * src/base/json_out.c and the JSON outputs of src/oauth/output.c, against cJSON's printer as the
 * oracle: the bytes must be those of cJSON_PrintUnformatted, with DEL and the C1 controls escaped
 * too (cJSON writes them raw; a terminal obeys them). The escaping of those is written here anew
 * (terminal_safe), independently of json_out.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "base/json_out.h"
#include "oauth/output.h"

/* text with DEL as \u007f and each C1 control (C2 80 to C2 9F) as \u0080 to \u009f, as a heap
 * string; text is freed. */
static char *terminal_safe(char *text)
{
	size_t n = strlen(text);
	char *out = malloc(n * 6 + 1), *o = out;
	assert_non_null(out);
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		if (*p == 0x7f) {
			o += sprintf(o, "\\u007f");
		} else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			o += sprintf(o, "\\u00%02x", p[1]);
			p++;
		} else {
			*o++ = (char)*p;
		}
	}
	*o = '\0';
	cJSON_free(text);
	return out;
}

/* What cJSON_PrintUnformatted makes of item (deleted), made terminal-safe, as a heap string. */
static char *cjson_text(cJSON *item)
{
	assert_non_null(item);
	char *text = cJSON_PrintUnformatted(item);
	assert_non_null(text);
	cJSON_Delete(item);
	return terminal_safe(text);
}

static void string_is_cjsons(const char *s)
{
	char buf[4096];
	jg_out o;
	jg_out_init(&o, buf, sizeof buf);
	jg_json_put_string(&o, s);
	assert_int_equal(jg_out_finish(&o), 0);
	char *want = cjson_text(cJSON_CreateString(s));
	assert_string_equal(buf, want);
	assert_int_equal(o.len, strlen(want));
	free(want);
}

static void every_byte_escaped_as_cjson_does(void **state)
{
	(void)state;
	for (int c = 1; c < 256; c++) {
		char s[4] = { 'a', (char)c, 'z', '\0' };
		string_is_cjsons(s);
	}
	string_is_cjsons("");
	string_is_cjsons("\"\\/\b\f\n\r\t\x01\x1f\x7f\xc3\xa9\xe2\x80\xa8");
	/* The controls cJSON leaves raw, by their expected bytes. */
	char buf[64];
	jg_out o;
	jg_out_init(&o, buf, sizeof buf);
	jg_json_put_string(&o, "a\x7f\xc2\x80\xc2\x9b\xc2\x9f\xc2\xa0z\xc2");
	assert_string_equal(buf, "\"a\\u007f\\u0080\\u009b\\u009f\xc2\xa0z\xc2\"");
}

/* decode's pass over cJSON's text: DEL and C1 escaped, everything else (layout too) kept. */
static void terminal_safe_text(void **state)
{
	(void)state;
	char buf[64];
	jg_out o;
	jg_out_init(&o, buf, sizeof buf);
	jg_json_put_terminal_safe(&o, "{\n\t\"a\":\t\"\x7f\xc2\x9b\xc3\xa9\\u001b\"\n}");
	assert_string_equal(buf, "{\n\t\"a\":\t\"\\u007f\\u009b\xc3\xa9\\u001b\"\n}");
}

static void random_strings_escaped_as_cjson_does(void **state)
{
	(void)state;
	uint32_t x = 12345;
	for (int n = 0; n < 2000; n++) {
		char s[64];
		size_t len = (size_t)(n % 63);
		for (size_t i = 0; i < len; i++) {
			x = x * 1103515245u + 12345u;
			s[i] = (char)(1 + (x >> 16) % 255);
		}
		s[len] = '\0';
		string_is_cjsons(s);
	}
}

static void integers_as_printf_writes_them(void **state)
{
	(void)state;
	const long long values[] = { 0, 1, -1, 7, 10, -10, 1700000180, LLONG_MAX, LLONG_MIN };
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		char buf[32], want[32];
		jg_out o;
		jg_out_init(&o, buf, sizeof buf);
		jg_json_put_integer(&o, values[i]);
		(void)snprintf(want, sizeof want, "%lld", values[i]);
		assert_string_equal(buf, want);
	}
}

static void a_full_fixed_sink_fails_and_stays_failed(void **state)
{
	(void)state;
	char buf[8];
	jg_out o;
	jg_out_init(&o, buf, sizeof buf);
	jg_out_puts(&o, "1234567");
	assert_int_equal(o.failed, 0);
	assert_string_equal(buf, "1234567");
	jg_out_puts(&o, "8");
	assert_int_equal(o.failed, 1);
	jg_out_puts(&o, "");
	assert_int_equal(jg_out_finish(&o), -1);
	assert_true(o.len < sizeof buf && buf[o.len] == '\0');
	jg_out_init(&o, buf, 0);
	assert_int_equal(jg_out_finish(&o), -1);
}

struct collected {
	char text[256];
	size_t len;
	int calls, refuse;
};

static int collect(void *ctx, const char *data, size_t len)
{
	struct collected *c = ctx;
	c->calls++;
	if (c->refuse || c->len + len >= sizeof c->text)
		return -1;
	memcpy(c->text + c->len, data, len);
	c->len += len;
	c->text[c->len] = '\0';
	return 0;
}

static void a_flushing_sink_passes_everything_on(void **state)
{
	(void)state;
	for (size_t cap = 2; cap < 12; cap++) {
		char buf[12];
		struct collected c = { .len = 0 };
		jg_out o;
		jg_out_init_flushing(&o, buf, cap, collect, &c);
		jg_out_puts(&o, "{\"a\":");
		jg_json_put_string(&o, "line\nbreak");
		jg_out_puts(&o, "}");
		assert_int_equal(jg_out_finish(&o), 0);
		assert_string_equal(c.text, "{\"a\":\"line\\nbreak\"}");
	}
	char buf[4];
	struct collected c = { .refuse = 1 };
	jg_out o;
	jg_out_init_flushing(&o, buf, sizeof buf, collect, &c);
	jg_out_puts(&o, "too much");
	assert_int_equal(jg_out_finish(&o), -1);
	assert_int_equal(c.calls, 1);
}

/* The grant JSON output as it was made with cJSON (src/oauth/output.c before json_out.c). */
static char *envelope_by_cjson(const jg_token *t, const jg_grant_facts *f)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *result = cJSON_CreateObject();
	cJSON_AddNumberToObject(root, "status", 0);
	cJSON_AddItemToObject(root, "result", result);
	cJSON_AddStringToObject(result, "accessToken", t->access_token);
	cJSON_AddStringToObject(result, "instanceUrl", t->instance_url);
	cJSON_AddStringToObject(result, "orgId", t->org_id);
	cJSON_AddStringToObject(result, "userId", t->user_id);
	cJSON_AddStringToObject(result, "username", f->username);
	cJSON_AddStringToObject(result, "loginUrl", f->login_url);
	cJSON_AddStringToObject(result, "clientId", f->client_id);
	if (f->private_key != NULL)
		cJSON_AddStringToObject(result, "privateKey", f->private_key);
	else
		cJSON_AddNullToObject(result, "privateKey");
	cJSON_AddStringToObject(result, "tokenType", t->token_type);
	cJSON_AddStringToObject(result, "scope", t->scope);
	cJSON_AddStringToObject(result, "id", t->id);
	cJSON_AddItemToObject(root, "warnings", cJSON_CreateArray());
	return cjson_text(root);
}

static void grant_json_is_what_cjson_printed(void **state)
{
	(void)state;
	static jg_token t;
	strcpy(t.access_token, "00D!AQ\"x\\y");
	strcpy(t.instance_url, "https://example.my.salesforce.com/");
	strcpy(t.id, "https://login.salesforce.com/id/00D000000000001AAA/005000000000001AAA");
	strcpy(t.org_id, "00D000000000001AAA");
	strcpy(t.user_id, "005000000000001AAA");
	strcpy(t.token_type, "Bearer");
	strcpy(t.scope, "api web\tfull\x1b[0m");
	jg_grant_facts f = { .username = "z\xc3\xb6" "e@example.com\n",
		.login_url = "https://login.salesforce.com", .client_id = "3MVG9\x7f\x01",
		.private_key = "/keys/app.key" };
	for (int with_key = 0; with_key < 2; with_key++) {
		f.private_key = with_key ? "/keys/\"app\".key" : NULL;
		char out[JG_OUTPUT_MAX];
		size_t len = 0;
		jg_error err;
		assert_int_equal(jg_output_render("json", &t, &f, out, sizeof out, &len, &err), JG_OK);
		char *want = envelope_by_cjson(&t, &f);
		assert_int_equal(len, strlen(want) + 1);
		assert_memory_equal(out, want, len - 1);
		assert_int_equal(out[len - 1], '\n');
		free(want);
	}
}

static void grant_json_that_does_not_fit_is_refused(void **state)
{
	(void)state;
	static jg_token t;
	memset(t.access_token, 'A', sizeof t.access_token - 1);
	jg_grant_facts f = { .username = "u", .login_url = "https://login.salesforce.com",
		.client_id = "c" };
	char out[512];
	size_t len = 0;
	jg_error err;
	assert_int_equal(jg_output_render("json", &t, &f, out, sizeof out, &len, &err), JG_ERR_PROTOCOL);
	assert_non_null(strstr(err.message, "does not fit"));
	assert_null(memchr(out, 'A', sizeof out)); /* the token's bytes are wiped */
}

static void failure_json_is_what_cjson_printed(void **state)
{
	(void)state;
	const jg_status statuses[] = { JG_ERR_REFUSED, JG_ERR_USAGE, JG_ERR_TLS, JG_ERR_CHECK };
	for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
		jg_error err = { 0 };
		jg_fail(&err, statuses[i], "cannot read \"%s\": \\ \x01\n\x7f", "k\xc3\xa9y");
		if (i == 0)
			strcpy(err.code, "invalid_grant");
		char buf[4096];
		jg_out o;
		jg_out_init(&o, buf, sizeof buf);
		jg_output_failure_json(&err, &o);
		assert_int_equal(jg_out_finish(&o), 0);

		cJSON *e = cJSON_CreateObject();
		int code = jg_exit_code(err.status);
		cJSON_AddNumberToObject(e, "status", code);
		cJSON_AddStringToObject(e, "name", "JwtGrantError");
		cJSON_AddStringToObject(e, "message", err.message);
		cJSON_AddNumberToObject(e, "exitCode", code);
		cJSON_AddStringToObject(e, "code", err.code[0] ? err.code : jg_status_code(err.status));
		cJSON_AddStringToObject(e, "commandName", "grant");
		cJSON_AddItemToObject(e, "warnings", cJSON_CreateArray());
		char *want = cjson_text(e);
		assert_int_equal(o.len, strlen(want) + 1);
		assert_memory_equal(buf, want, strlen(want));
		assert_string_equal(buf + strlen(want), "\n");
		free(want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_byte_escaped_as_cjson_does),
		cmocka_unit_test(random_strings_escaped_as_cjson_does),
		cmocka_unit_test(terminal_safe_text),
		cmocka_unit_test(integers_as_printf_writes_them),
		cmocka_unit_test(a_full_fixed_sink_fails_and_stays_failed),
		cmocka_unit_test(a_flushing_sink_passes_everything_on),
		cmocka_unit_test(grant_json_is_what_cjson_printed),
		cmocka_unit_test(grant_json_that_does_not_fit_is_refused),
		cmocka_unit_test(failure_json_is_what_cjson_printed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
