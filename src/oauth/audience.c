#include "oauth/audience.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char login[] = "https://login.salesforce.com";
static const char test[] = "https://test.salesforce.com";

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n > m && strcasecmp(s + n - m, suffix) == 0;
}

/* cs<digits>.salesforce.com: the classic sandbox instances. */
static int is_cs_instance(const char *host)
{
	if (strncasecmp(host, "cs", 2) != 0)
		return 0;
	const char *p = host + 2;
	if (*p < '0' || *p > '9')
		return 0;
	while (*p >= '0' && *p <= '9')
		p++;
	return strcasecmp(p, ".salesforce.com") == 0;
}

const char *jg_audience_for_host(const char *host)
{
	if (strcasecmp(host, "test.salesforce.com") == 0 ||
		ends_with(host, ".sandbox.my.salesforce.com") ||
		ends_with(host, ".scratch.my.salesforce.com") || is_cs_instance(host))
		return test;
	return login;
}

const char *jg_audience_choose(const char *flag, const char *host, const char **source)
{
	static const char *const vars[] = { "SF_AUDIENCE_URL", "SFDX_AUDIENCE_URL" };
	const char *dummy;
	if (source == NULL)
		source = &dummy;
	if (flag != NULL && *flag != '\0') {
		*source = "--audience";
		return flag;
	}
	for (size_t i = 0; i < 2; i++) {
		const char *v = getenv(vars[i]);
		if (v != NULL && *v != '\0') {
			*source = vars[i];
			return v;
		}
	}
	*source = "the instance URL's host";
	return jg_audience_for_host(host);
}
