/*
 * The authorization servers grant speaks to (providers.md): Salesforce, the default, and a
 * Google service account. Each is one bit, so that the option table can say which take an option.
 */
#ifndef JG_PROVIDER_H
#define JG_PROVIDER_H

typedef enum jg_provider {
	JG_PROVIDER_SALESFORCE = 1,
	JG_PROVIDER_GOOGLE = 2
} jg_provider;

#define JG_PROVIDERS_ALL (JG_PROVIDER_SALESFORCE | JG_PROVIDER_GOOGLE)

/* "salesforce", "google". */
static inline const char *jg_provider_name(jg_provider p)
{
	return p == JG_PROVIDER_GOOGLE ? "google" : "salesforce";
}

#endif
