/* jwtgrant assertion: build and sign the JWT that grant would send, print it; no network. */
#include <string.h>

#include "base/clock.h"
#include "base/wipe.h"
#include "cmd/cmd.h"
#include "crypto/jwt.h"

jg_status jg_cmd_assertion(const jg_options *o, jg_error *err)
{
	static jg_cmd_request rq;
	static char jwt[JG_JWT_MAX + 1];
	size_t len = 0;
	int64_t now = 0;
	jg_status st = jg_clock_now(&now, err);
	if (st == JG_OK)
		st = jg_cmd_request_prepare(o, &rq, err);
	if (st == JG_OK)
		st = jg_jwt_make_assertion(&rq.claims, now, &rq.key.sk, &rq.key.pk, jwt, JG_JWT_MAX, &len,
			err);
	if (st == JG_OK) {
		jwt[len++] = '\n';
		st = jg_cmd_emit(o, jwt, len, err);
	}
	jg_cmd_request_wipe(&rq); /* the private key */
	jg_wipe(jwt, sizeof jwt); /* the assertion */
	return st;
}
