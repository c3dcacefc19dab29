/*
 * Names (RFC 5280 Name ::= SEQUENCE OF RelativeDistinguishedName) as text, and the UTF-8 rules
 * for the text a name holds.
 */
#ifndef JG_NAME_H
#define JG_NAME_H

#include <stddef.h>

#include "base/error.h"
#include "x509/der.h"

/*
 * The Name whose contents (the RDN SETs) are name[0..len) as text into out[0..cap): RFC 4514
 * order (last RDN first), ", " between RDNs and "+" inside one; CN, O, OU, C, L, ST,
 * emailAddress and a dozen rarer types by OpenSSL's short names, other types as
 * "dotted.oid=#hex-of-DER" (RFC 4514 2.4); values of types that are not strings too;
 * characters , + " \ < > ; escaped with a backslash; bytes that are not valid text of their
 * string type, control characters and the UTF-8 bytes of invisible format characters
 * (bidirectional overrides, zero-width spaces) as \XX hex, so that a name prints safely. A
 * text longer than cap ends in "...". JG_ERR_INPUT "certificate is malformed: ..." for a Name
 * that does not read as DER, an empty RDN, or more than 32 RDNs.
 */
jg_status jg_name_text(jg_der_span name, char *out, size_t cap, jg_error *err);

/* Characters a terminal would act on: C0 controls, DEL and C1 controls. */
int jg_name_is_control(long code);

#endif
