/*
 * NO_PROXY: which hosts bypass the proxy (--noproxy, env no_proxy / NO_PROXY), as curl reads
 * the list:
 *
 *   - Entries are separated by commas; blanks (spaces, tabs) around them are ignored, and a
 *     blank between two words separates entries as a comma does. Empty entries are skipped.
 *   - The list "*" alone (blanks around it allowed) matches every host. A "*" among other
 *     entries matches nothing, and "*.example.com" is not a pattern (curl has no globs).
 *   - A name entry matches the host itself and every name below it: "example.com" and
 *     ".example.com" both match "example.com" and "a.example.com", never "badexample.com".
 *     Case is ignored, and so is one trailing dot on the host and on the entry.
 *   - An IP entry matches an IP literal host: "192.0.2.7" exactly, "10.0.0.0/8" and
 *     "fe80::/10" as CIDR ranges (prefix 0..32 or 0..128). IPv6 entries may be written in
 *     brackets ("[::1]"). An IP entry never matches a name, nor a name entry an IP host: no
 *     resolution is done here.
 *   - A port suffix on an entry ("example.com:8443", "10.0.0.1:80", "[::1]:8443") is ignored.
 *   - Malformed entries (a bad address or prefix length) match nothing; they are not errors.
 */
#ifndef JG_NOPROXY_H
#define JG_NOPROXY_H

/* Longest entry reported through matched_entry; longer ones are truncated there. */
#define JG_NOPROXY_ENTRY_MAX 255

/*
 * 1 when host (a name, an IPv4 literal or an IPv6 literal with or without brackets, as in a
 * jg_url) is matched by an entry of list, else 0; a NULL or blank list, or a NULL or empty
 * host, matches nothing. When matched_entry is not NULL it is set to NULL on no match, and on
 * a match to the entry as written in the list (blanks trimmed; "*" for the match-all list),
 * for a trace such as "bypassed by NO_PROXY entry '.example.com'". That text is a copy held in
 * storage of this module: it stays valid until the next call, and the function is therefore
 * not reentrant (jwtgrant is single-threaded).
 */
int jg_noproxy_match(const char *list, const char *host, const char **matched_entry);

#endif
