/* jwtgrant assertion: build and sign the JWT that grant would send, print it; no network. */
#include <string.h>

#include "base/clock.h"
#include "base/wipe.h"
#include "cmd/cmd.h"
#include "crypto/jwt.h"

jg_status jg_cmd_assertion(const jg_options *o, jg_error *err)
{
	static jg_key key;
	static char jwt[JG_JWT_MAX + 1];
	size_t len = 0;
	int64_t now = 0;
	jg_assertion claims;
	jg_status st = jg_cmd_require_grant_inputs(o, err);
	if (st == JG_OK)
		st = jg_clock_now(&now, err);
	if (st == JG_OK)
		st = jg_cmd_load_key(o, &key, NULL, err);
	if (st == JG_OK)
		st = jg_cmd_assertion_from_options(o, &claims, err);
	if (st == JG_OK)
		st = jg_jwt_make_assertion(&claims, now, &key.sk, &key.pk, jwt, JG_JWT_MAX, &len, err);
	if (st == JG_OK) {
		jwt[len++] = '\n';
		st = jg_cmd_emit(o, jwt, len, err);
	}
	jg_key_wipe(&key);   /* the private key */
	jg_wipe(jwt, sizeof jwt); /* the assertion */
	return st;
}
