/* Commands still to come; each says so plainly. Removed as the commands land. */
#include "commands.h"

jg_status jg_cmd_keygen(const jg_options *o, jg_error *err)
{
	(void)o;
	return jg_fail(err, JG_ERR_USAGE, "keygen is not implemented yet");
}

jg_status jg_cmd_check(const jg_options *o, jg_error *err)
{
	(void)o;
	return jg_fail(err, JG_ERR_USAGE, "check is not implemented yet");
}

jg_status jg_cmd_decode(const jg_options *o, jg_error *err)
{
	(void)o;
	return jg_fail(err, JG_ERR_USAGE, "decode is not implemented yet");
}
