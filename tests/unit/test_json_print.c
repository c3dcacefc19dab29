/*
 * src/base/json_print.c: cJSON_Print's layout from the text itself. cJSON's own printer is the
 * oracle (the test binaries still link it): random JSON without the differences json_print.h
 * lists must come out byte for byte as cJSON_Print and cJSON_PrintUnformatted write it. Then
 * the differences, each on purpose: numbers as written, control characters escaped, NUL shown;
 * and jg_json_find_member against cJSON_GetObjectItemCaseSensitive.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "base/json_print.h"

static char printed[1 << 21];

/* jg_json_print of text into `printed`; returns its status. */
static int print(const char *text, size_t len, jg_json_style style)
{
	jg_out o;
	jg_out_init(&o, printed, sizeof printed);
	int st = jg_json_print(&o, text, len, style);
	assert_int_equal(o.failed, 0);
	return st;
}

static void prints_as(const char *text, const char *pretty, const char *compact)
{
	if (print(text, strlen(text), JG_JSON_PRETTY) != 0)
		fail_msg("refused: %s", text);
	if (strcmp(printed, pretty) != 0)
		fail_msg("%s\npretty:\n%s\nwant:\n%s", text, printed, pretty);
	assert_int_equal(print(text, strlen(text), JG_JSON_COMPACT), 0);
	if (strcmp(printed, compact) != 0)
		fail_msg("%s\ncompact: %s\nwant:    %s", text, printed, compact);
}

/* The same bytes as cJSON's printers, in both layouts. */
static void prints_as_cjson(const char *text, size_t len)
{
	cJSON *json = cJSON_ParseWithLengthOpts(text, len + 1, NULL, 1);
	if (json == NULL)
		fail_msg("cJSON refuses the test's own JSON: %s", text);
	char *pretty = cJSON_Print(json), *compact = cJSON_PrintUnformatted(json);
	assert_int_equal(print(text, len, JG_JSON_PRETTY), 0);
	if (strcmp(printed, pretty) != 0)
		fail_msg("%s\npretty:\n%s\ncJSON:\n%s", text, printed, pretty);
	assert_int_equal(print(text, len, JG_JSON_COMPACT), 0);
	if (strcmp(printed, compact) != 0)
		fail_msg("%s\ncompact: %s\ncJSON:   %s", text, printed, compact);
	cJSON_free(pretty);
	cJSON_free(compact);
	cJSON_Delete(json);
}

static void layout_is_cjsons(void **state)
{
	(void)state;
	prints_as("{}", "{\n}", "{}");
	prints_as("[]", "[]", "[]");
	prints_as(" { \"a\" : 1 , \"b\":[ ] } ", "{\n\t\"a\":\t1,\n\t\"b\":\t[]\n}", "{\"a\":1,\"b\":[]}");
	prints_as("{\"a\":{}}", "{\n\t\"a\":\t{\n\t}\n}", "{\"a\":{}}");
	prints_as("[{},[{}]]", "[{\n\t}, [{\n\t\t}]]", "[{},[{}]]");
	prints_as("{\"a\":[1,2,[3,{\"b\":{}}]]}",
		"{\n\t\"a\":\t[1, 2, [3, {\n\t\t\t\t\"b\":\t{\n\t\t\t\t}\n\t\t\t}]]\n}",
		"{\"a\":[1,2,[3,{\"b\":{}}]]}");
	prints_as("\"x\"", "\"x\"", "\"x\"");
	prints_as("null", "null", "null");
	prints_as("\xEF\xBB\xBF{\"bom\":true}", "{\n\t\"bom\":\ttrue\n}", "{\"bom\":true}");
	const char *samples[] = { "{}", "[]", "{\"a\":{}}", "[{},[{}]]", "[[[[]]]]",
		"{\"x\":[{\"z\":null},{},[],[{}]],\"y\":{\"q\":{}}}", "[{\"a\":1},[{}]]",
		"{\"a\":[1,2,[3,{\"b\":{}}]]}", "{\"a\":\"\\u00e9\\/\\\"\\\\\\b\\f\\n\\r\\t\\u0001\"}",
		"{\"\\ud83d\\ude00\":\"\xf0\x9f\x98\x80\",\"\":\"\"}", "[true,false,null,\"\"]",
		"{\"a\":1,\"a\":2}", "{\"raw\":\"\x01\x1f\t\"}", "\x01{\x02\"a\"\x03:\x04[\x05]\x06}\x07" };
	for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++)
		prints_as_cjson(samples[i], strlen(samples[i]));
}

static void numbers_are_copied_as_written(void **state)
{
	(void)state;
	prints_as("{\"exp\":1e3,\"n\":-0,\"f\":0.10,\"big\":123456789012345678901234567890}",
		"{\n\t\"exp\":\t1e3,\n\t\"n\":\t-0,\n\t\"f\":\t0.10,\n\t\"big\":\t123456789012345678901234567890\n}",
		"{\"exp\":1e3,\"n\":-0,\"f\":0.10,\"big\":123456789012345678901234567890}");
	prints_as("[1E+300,1e400,-1.5e-7,1.,-.5,007]", "[1E+300, 1e400, -1.5e-7, 1., -.5, 007]",
		"[1E+300,1e400,-1.5e-7,1.,-.5,007]");
}

static void control_characters_are_escaped(void **state)
{
	(void)state;
	/* ESC raw and escaped; DEL and the C1 controls (CSI 0x9b) raw and escaped; NUL. */
	prints_as("{\"a\":\"\x1b[31m\\u001b\"}", "{\n\t\"a\":\t\"\\u001b[31m\\u001b\"\n}",
		"{\"a\":\"\\u001b[31m\\u001b\"}");
	prints_as("[\"\x7f\\u007f\xc2\x9b\\u009b\xc2\xa0\\u00a0\"]",
		"[\"\\u007f\\u007f\\u009b\\u009b\xc2\xa0\xc2\xa0\"]",
		"[\"\\u007f\\u007f\\u009b\\u009b\xc2\xa0\xc2\xa0\"]");
	prints_as("[\"a\\u0000b\",\"\\uzzzzc\"]", "[\"a\\u0000b\", \"\\u0000c\"]",
		"[\"a\\u0000b\",\"\\u0000c\"]");
	prints_as("{\"line\nbreak\\n\":\"\r\"}", "{\n\t\"line\\nbreak\\n\":\t\"\\r\"\n}",
		"{\"line\\nbreak\\n\":\"\\r\"}");
	/* A \u with a bad digit is U+0000 to cJSON, and it may take the next escape's backslash
	 * along: the quote left bare is escaped, as cJSON's printer would. */
	prints_as("[\"\\u123\\\"x\"]", "[\"\\u0000\\\"x\"]", "[\"\\u0000\\\"x\"]");
	/* Bytes that are not UTF-8 pass as they are, like cJSON's. */
	prints_as("[\"\xff\x80\x9b\"]", "[\"\xff\x80\x9b\"]", "[\"\xff\x80\x9b\"]");
}

static void what_cjson_refuses_is_refused(void **state)
{
	(void)state;
	const char *bad[] = { "", " ", "{", "}", "[", "[1,]", "{\"a\"}", "{\"a\":}", "{\"a\":1,}",
		"{a:1}", "[1 2]", "[1e]", "[-]", "[.5]", "[+1]", "[1.2.3]", "\"abc", "\"\\x\"",
		"\"\\ud800\"", "\"\\udc00\\ud800\"", "\"\\ud800\\u0041\"", "\"\\u12\"", "nul", "tru",
		"[1]]", "{}x", "[\"a\"\"b\"]", "{\"a\":1 \"b\":2}", "\"\\" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cJSON *json = cJSON_ParseWithLengthOpts(bad[i], strlen(bad[i]) + 1, NULL, 1);
		if (json != NULL)
			fail_msg("the test is wrong: cJSON accepts %s", bad[i]);
		if (print(bad[i], strlen(bad[i]), JG_JSON_PRETTY) != -1)
			fail_msg("printed: %s", bad[i]);
	}
}

static void nesting_stops_where_cjsons_does(void **state)
{
	(void)state;
	static char deep[2 * (JG_JSON_DEPTH_MAX + 1) + 1];
	for (size_t depth = JG_JSON_DEPTH_MAX; depth <= JG_JSON_DEPTH_MAX + 1; depth++) {
		memset(deep, '[', depth);
		memset(deep + depth, ']', depth);
		deep[2 * depth] = '\0';
		cJSON *json = cJSON_ParseWithLengthOpts(deep, 2 * depth + 1, NULL, 1);
		int st = print(deep, 2 * depth, JG_JSON_PRETTY);
		assert_int_equal(st == 0, json != NULL);
		assert_int_equal(st, depth == JG_JSON_DEPTH_MAX ? 0 : -1);
		cJSON_Delete(json);
	}
	/* Objects a thousand deep: the indentation of the pretty layout grows to 1000 tabs. */
	size_t n = 0;
	static char objects[8 * JG_JSON_DEPTH_MAX];
	for (size_t i = 0; i < JG_JSON_DEPTH_MAX; i++)
		n += (size_t)sprintf(objects + n, "{\"k\":");
	n += (size_t)sprintf(objects + n, "0");
	for (size_t i = 0; i < JG_JSON_DEPTH_MAX; i++)
		objects[n++] = '}';
	prints_as_cjson(objects, n);
}

/* --- random JSON, against cJSON ------------------------------------------------------------ */

static uint32_t rng = 2463534242u;

static unsigned random_below(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng % n;
}

struct gen {
	char *buf;
	size_t len, cap;
};

static void emit(struct gen *g, const char *s)
{
	size_t n = strlen(s);
	assert_true(g->len + n < g->cap);
	memcpy(g->buf + g->len, s, n + 1);
	g->len += n;
}

static void space(struct gen *g)
{
	static const char *const spaces[] = { "", "", "", " ", "\n", "\t", "\r\n  ", "\x01", "\x1f" };
	emit(g, spaces[random_below(sizeof spaces / sizeof spaces[0])]);
}

/* A string of pieces cJSON and json_print treat alike (no DEL, no C1, no NUL). */
static void string(struct gen *g)
{
	static const char *const pieces[] = { "a", "Z", " ", "0", "/", "\\/", "\\\"", "\\\\",
		"\\b", "\\f", "\\n", "\\r", "\\t", "\\u0041", "\\u00e9", "\\u00E9", "\\u20ac",
		"\\ud83d\\ude00", "\\uD834\\uDD1E", "\\u001b", "\\u001F", "\xc3\xa9", "\xe2\x82\xac",
		"\xf0\x9f\x98\x80", "\x01", "\t", "\x1b", "\xff", "\\u00a0", "\\u2028", "{", "]",
		":", "," };
	emit(g, "\"");
	for (unsigned n = random_below(6); n > 0; n--)
		emit(g, pieces[random_below(sizeof pieces / sizeof pieces[0])]);
	emit(g, "\"");
}

static void value(struct gen *g, unsigned depth)
{
	char number[24];
	unsigned kind = random_below(depth > 6 ? 5 : 8);
	switch (kind) {
	case 0: emit(g, "null"); break;
	case 1: emit(g, random_below(2) ? "true" : "false"); break;
	case 2:
		/* whole numbers as cJSON writes them ("%d"), so that the text is what it prints */
		(void)snprintf(number, sizeof number, "%d", (int)random_below(2000001) - 1000000);
		emit(g, number);
		break;
	case 3:
	case 4: string(g); break;
	default: {
		int object = kind != 5;
		emit(g, object ? "{" : "[");
		unsigned n = random_below(5);
		for (unsigned i = 0; i < n; i++) {
			space(g);
			if (i > 0) {
				emit(g, ",");
				space(g);
			}
			if (object) {
				string(g);
				space(g);
				emit(g, ":");
				space(g);
			}
			value(g, depth + 1);
			space(g);
		}
		if (n == 0)
			space(g);
		emit(g, object ? "}" : "]");
	}
	}
}

static void random_json_prints_as_cjson(void **state)
{
	(void)state;
	static char buf[1 << 16];
	for (int k = 0; k < 20000; k++) {
		struct gen g = { buf, 0, sizeof buf };
		space(&g);
		value(&g, 0);
		space(&g);
		prints_as_cjson(buf, g.len);
	}
}

/* --- jg_json_find_member ----------------------------------------------------------------- */

static void finds(const char *text, const char *name, const char *want)
{
	const char *value = NULL;
	size_t len = 0;
	int st = jg_json_find_member(text, strlen(text), name, &value, &len);
	cJSON *json = cJSON_Parse(text);
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(json, name);
	if (want == NULL) {
		assert_int_equal(st, -1);
		assert_null(item);
	} else {
		if (st != 0)
			fail_msg("%s: no member %s", text, name);
		if (len != strlen(want) || memcmp(value, want, len) != 0)
			fail_msg("%s: member %s is %.*s, want %s", text, name, (int)len, value, want);
		assert_non_null(item);
		/* the very member cJSON finds: its compact text is this one's */
		char *by_cjson = cJSON_PrintUnformatted(item);
		assert_int_equal(print(value, len, JG_JSON_COMPACT), 0);
		if (cJSON_IsNumber(item) == 0)
			assert_string_equal(printed, by_cjson);
		cJSON_free(by_cjson);
	}
	cJSON_Delete(json);
}

static void members_are_found_as_cjson_finds_them(void **state)
{
	(void)state;
	finds("{\"exp\":1700000180,\"iat\":1}", "exp", "1700000180");
	finds("{\"exp\":1700000180,\"iat\":1}", "iat", "1");
	finds("{\"exp\":1}", "nbf", NULL);
	finds("{}", "exp", NULL);
	finds(" { \"a\" : { \"exp\" : 5 } , \"exp\" : [ 1, {} ] } ", "exp", "[ 1, {} ]");
	finds("{\"exp\":\"first\",\"exp\":\"second\"}", "exp", "\"first\"");
	finds("{\"\\u0065xp\":1e300}", "exp", "1e300");
	finds("{\"Exp\":1,\"exp\":2}", "exp", "2");
	finds("{\"ex\":1,\"expo\":2}", "exp", NULL);
	finds("{\"exp\\u0000hidden\":true}", "exp", "true");
	finds("{\"alg\":\"RS\\u0032\\u0035\\u0036\"}", "alg", "\"RS\\u0032\\u0035\\u0036\"");
	finds("{\"\xc2\x85\":null,\"\\u0085\":1}", "\xc2\x85", "null");
	const char *value = NULL;
	size_t len = 0;
	assert_int_equal(jg_json_find_member("[{\"exp\":1}]", 11, "exp", &value, &len), -1);
	assert_int_equal(jg_json_find_member("{\"exp\" 1}", 9, "exp", &value, &len), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(layout_is_cjsons),
		cmocka_unit_test(numbers_are_copied_as_written),
		cmocka_unit_test(control_characters_are_escaped),
		cmocka_unit_test(what_cjson_refuses_is_refused),
		cmocka_unit_test(nesting_stops_where_cjsons_does),
		cmocka_unit_test(random_json_prints_as_cjson),
		cmocka_unit_test(members_are_found_as_cjson_finds_them),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
