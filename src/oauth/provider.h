/*
 * The authorization servers grant speaks to (providers.md): Salesforce, the default, a Google
 * service account, any RFC 7523 token endpoint (generic), and a GitHub App's installations.
 * Each is one bit, so that the option table can say which take an option.
 */
#ifndef JG_PROVIDER_H
#define JG_PROVIDER_H

typedef enum jg_provider {
	JG_PROVIDER_SALESFORCE = 1,
	JG_PROVIDER_GOOGLE = 2,
	JG_PROVIDER_GENERIC = 4,
	JG_PROVIDER_GITHUB = 8
} jg_provider;

/* "salesforce", "google", "generic", "github". */
static inline const char *jg_provider_name(jg_provider p)
{
	return p == JG_PROVIDER_GOOGLE ? "google" : p == JG_PROVIDER_GENERIC ? "generic" :
		p == JG_PROVIDER_GITHUB ? "github" : "salesforce";
}

#endif
