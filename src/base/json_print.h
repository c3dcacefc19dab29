/*
 * Showing JSON text as cJSON_Print showed it, from the text itself: numbers are copied as
 * written, so no floating-point formatting is needed (`decode`'s header and claims).
 *
 * The text is read by cJSON's grammar, the one cJSON_ParseWithLengthOpts applied before:
 * white space is any byte up to 0x20, a UTF-8 byte order mark may come first, containers nest
 * at most JG_JSON_DEPTH_MAX deep, a string ends at the first quote not taken by a backslash,
 * a number is a run of [0-9+-eE.] that jg_json_strtod reads whole.
 *
 * Layout, as cJSON_Print (JG_JSON_PRETTY) and cJSON_PrintUnformatted (JG_JSON_COMPACT) have it:
 *   pretty   an object is "{", a newline, its members one a line as <indent>"name":<tab>value,
 *            separated by ",", then a newline, the object's own indent and "}"; the indent is
 *            one tab per container around (arrays count); an empty object is "{", a newline,
 *            its own indent and "}". An array stays on its line: "[" elements joined by ", "
 *            "]", "[]" when empty.
 *   compact  no white space at all: {"a":[1,2]}.
 * Values:
 *   numbers  exactly as written: 1e3 stays 1e3 and 0.10 stays 0.10 (cJSON wrote 1000, 0.1);
 *   strings  as cJSON printed them: escapes decoded (\u00e9 is é, \/ is /), then `"` and `\`
 *            escaped, and every control character escaped: \b \f \n \r \t by their letters,
 *            the others as \u00xx. Unlike cJSON, DEL and the C1 controls U+0080–U+009F count
 *            as control characters too, raw or escaped, so that nothing in a hostile token
 *            reaches the terminal as a control; and a NUL (\u0000), where cJSON cut the string
 *            short, is shown as \u0000 with the rest after it. Every other byte as it is (UTF-8,
 *            valid or not).
 *   literals null, true, false.
 */
#ifndef JG_JSON_PRINT_H
#define JG_JSON_PRINT_H

#include <stddef.h>

#include "base/json_out.h"

#define JG_JSON_DEPTH_MAX 1000 /* cJSON's CJSON_NESTING_LIMIT */

typedef enum jg_json_style {
	JG_JSON_COMPACT = 0,
	JG_JSON_PRETTY = 1
} jg_json_style;

/* Write the one JSON value of text[0..len) to out. Returns 0, or -1 when the text is not JSON by
 * the grammar above (out then holds a part of it). out's own failure is left in out->failed. */
int jg_json_print(jg_out *out, const char *text, size_t len, jg_json_style style);

/*
 * The value of the first member called `name` in the object of text[0..len): the member that
 * cJSON_GetObjectItemCaseSensitive finds (names compared once decoded, up to a NUL). Returns 0
 * with *value pointing into text and *value_len its length, or -1 when there is no such member
 * or the text before it is not a JSON object.
 */
int jg_json_find_member(const char *text, size_t len, const char *name, const char **value,
	size_t *value_len);

#endif
