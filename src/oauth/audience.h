/* The `aud` claim: which Salesforce login service the assertion is meant for. */
#ifndef JG_AUDIENCE_H
#define JG_AUDIENCE_H

/*
 * The default audience for a token host: "https://test.salesforce.com" when the host is
 * test.salesforce.com, ends in .sandbox.my.salesforce.com or .scratch.my.salesforce.com, or is
 * cs<digits>.salesforce.com; otherwise "https://login.salesforce.com". Case-insensitive.
 */
const char *jg_audience_for_host(const char *host);

/*
 * The audience to use: the --audience flag when given, else SF_AUDIENCE_URL, else
 * SFDX_AUDIENCE_URL (empty variables count as unset), else the rule above. `source` (may be
 * NULL) receives a few words naming where it came from, for the -v trace.
 */
const char *jg_audience_choose(const char *flag, const char *host, const char **source);

#endif
