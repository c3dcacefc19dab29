/*
 * The JSON printer of `decode` (src/base/json_print.h: jg_json_print, jg_json_find_member) over the
 * text cJSON parses, as decode hands it over (cJSON_ParseWithLengthOpts, whole text).
 *
 * Checked:
 *   - the printer accepts exactly the texts cJSON accepts;
 *   - both layouts, parsed again by cJSON, give the same tree as the input: same types, names,
 *     strings and numbers (the same double: numbers are copied as written), in the same order;
 *   - nothing printed is a control character: no byte below 0x20 but the layout's tab and
 *     newline (none at all in the compact layout), no DEL, no UTF-8 C1 control (0xC2 0x80-0x9F);
 *   - where json_print.h promises cJSON's bytes (no numbers, no DEL, C1 or NUL in strings),
 *     the output is byte for byte cJSON_Print's and cJSON_PrintUnformatted's;
 *   - jg_json_find_member finds the member cJSON_GetObjectItemCaseSensitive finds, and its
 *     text is that member's value.
 */
#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "fuzz_util.h"
#include "base/json_print.h"

/* A heap buffer the printer flushes into. */
struct grown {
	char *data;
	size_t len, cap;
};

static int grow(void *ctx, const char *data, size_t len)
{
	struct grown *g = ctx;
	if (g->len + len + 1 > g->cap) {
		g->cap = (g->len + len + 1) * 2;
		g->data = realloc(g->data, g->cap);
		FUZZ_CHECK(g->data != NULL);
	}
	memcpy(g->data + g->len, data, len);
	g->len += len;
	g->data[g->len] = '\0';
	return 0;
}

/* text[0..len) printed in style into a fresh heap string (*out, *out_len); the printer's status. */
static int print(const char *text, size_t len, jg_json_style style, struct grown *g)
{
	char buf[256];
	jg_out out;
	*g = (struct grown){ NULL, 0, 0 };
	jg_out_init_flushing(&out, buf, sizeof buf, grow, g);
	int st = jg_json_print(&out, text, len, style);
	FUZZ_CHECK(jg_out_finish(&out) == 0);
	(void)grow(g, "", 0);
	return st;
}

static cJSON *parse(const char *text, size_t len)
{
	char *copy = fuzz_alloc(len + 1);
	memcpy(copy, text, len);
	copy[len] = '\0';
	cJSON *json = cJSON_ParseWithLengthOpts(copy, len + 1, NULL, 1);
	free(copy);
	return json;
}

static int same_name(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* The same tree: types, names, values and order. */
static int same_tree(const cJSON *a, const cJSON *b)
{
	if ((a->type & 0xFF) != (b->type & 0xFF) || !same_name(a->string, b->string))
		return 0;
	if (cJSON_IsNumber(a))
		return memcmp(&a->valuedouble, &b->valuedouble, sizeof a->valuedouble) == 0;
	if (cJSON_IsString(a))
		return strcmp(a->valuestring, b->valuestring) == 0;
	const cJSON *x = a->child, *y = b->child;
	for (; x != NULL && y != NULL; x = x->next, y = y->next) {
		if (!same_tree(x, y))
			return 0;
	}
	return x == NULL && y == NULL;
}

/* Whether s holds DEL or a UTF-8 C1 control, which json_print escapes and cJSON did not. */
static int has_del_or_c1(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; p != NULL && *p; p++) {
		if (*p == 0x7F || (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F))
			return 1;
	}
	return 0;
}

/* Whether the tree is one where json_print promises cJSON's very bytes. */
static int printed_alike(const cJSON *j)
{
	if (cJSON_IsNumber(j) || has_del_or_c1(j->string) ||
		(cJSON_IsString(j) && has_del_or_c1(j->valuestring)))
		return 0;
	for (const cJSON *c = j->child; c != NULL; c = c->next) {
		if (!printed_alike(c))
			return 0;
	}
	return 1;
}

static void check_no_controls(const struct grown *g, int pretty)
{
	const unsigned char *p = (const unsigned char *)g->data;
	for (size_t i = 0; i < g->len; i++) {
		FUZZ_CHECK(p[i] >= 0x20 || (pretty && (p[i] == '\t' || p[i] == '\n')));
		FUZZ_CHECK(p[i] != 0x7F);
		FUZZ_CHECK(!(p[i] == 0xC2 && i + 1 < g->len && p[i + 1] >= 0x80 && p[i + 1] <= 0x9F));
	}
}

/* One layout of a text cJSON accepted: printed, checked, compared. */
static void check_layout(const char *text, size_t len, const cJSON *json, jg_json_style style)
{
	struct grown g;
	FUZZ_CHECK(print(text, len, style, &g) == 0);
	check_no_controls(&g, style == JG_JSON_PRETTY);
	cJSON *again = parse(g.data, g.len);
	FUZZ_CHECK(again != NULL && same_tree(json, again));
	cJSON_Delete(again);
	/* A NUL shown as \u0000 (cJSON cut the string there) is a difference too. */
	if (printed_alike(json) && strstr(g.data, "u0000") == NULL) {
		char *by_cjson = style == JG_JSON_PRETTY ? cJSON_Print(json) : cJSON_PrintUnformatted(json);
		FUZZ_CHECK(by_cjson != NULL && strcmp(by_cjson, g.data) == 0);
		cJSON_free(by_cjson);
	}
	free(g.data);
}

/* jg_json_find_member against cJSON_GetObjectItemCaseSensitive for one name. */
static void check_member(const char *text, size_t len, const cJSON *json, const char *name)
{
	const char *value = NULL;
	size_t value_len = 0;
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(json, name);
	int st = jg_json_find_member(text, len, name, &value, &value_len);
	FUZZ_CHECK((st == 0) == (item != NULL));
	if (st != 0)
		return;
	FUZZ_CHECK(value >= text && value + value_len <= text + len);
	cJSON *alone = parse(value, value_len);
	FUZZ_CHECK(alone != NULL);
	/* the member's name is not part of the value: compare what is under it */
	alone->string = item->string;
	FUZZ_CHECK(same_tree(item, alone));
	alone->string = NULL;
	cJSON_Delete(alone);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	cJSON *json = parse(text, size);
	struct grown g;
	int st = print(text, size, JG_JSON_PRETTY, &g);
	free(g.data);
	FUZZ_CHECK((st == 0) == (json != NULL));
	if (json == NULL)
		return 0;
	check_layout(text, size, json, JG_JSON_PRETTY);
	check_layout(text, size, json, JG_JSON_COMPACT);
	if (cJSON_IsObject(json)) {
		check_member(text, size, json, "exp");
		check_member(text, size, json, "alg");
		if (json->child != NULL)
			check_member(text, size, json, json->child->string);
		if (json->child != NULL && json->child->next != NULL)
			check_member(text, size, json, json->child->next->string);
	}
	cJSON_Delete(json);
	return 0;
}
