/*
 * The trust-anchor loader (src/tls/trust.h: jg_trust_add_pem), as it reads a --cacert file: the
 * input is the PEM text. The set is freed after each input, so LeakSanitizer sees any anchor
 * that is not released.
 *
 * Checked: a successful load adds as many anchors as it says, each with a DN and a key that
 * live in the set; loading the same text again adds nothing (the same anchor is kept once);
 * a failure says why in one line.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_util.h"
#include "tls/trust.h"

static void check_set(const jg_trust *t)
{
	FUZZ_CHECK(t->count <= t->capacity && t->count <= JG_TRUST_ANCHORS_MAX);
	FUZZ_CHECK(t->count == 0 || (t->anchors == t->owned && t->owned != NULL));
	for (size_t i = 0; i < t->count; i++) {
		const br_x509_trust_anchor *ta = &t->anchors[i];
		FUZZ_CHECK(ta->dn.data != NULL && ta->dn.len > 0);
		FUZZ_CHECK((ta->flags & ~(unsigned)BR_X509_TA_CA) == 0);
		if (ta->pkey.key_type == BR_KEYTYPE_RSA) {
			FUZZ_CHECK(ta->pkey.key.rsa.nlen > 0 && ta->pkey.key.rsa.elen > 0);
			FUZZ_CHECK(ta->pkey.key.rsa.n == ta->dn.data + ta->dn.len);
		} else {
			FUZZ_CHECK(ta->pkey.key_type == BR_KEYTYPE_EC);
			FUZZ_CHECK(ta->pkey.key.ec.qlen > 0);
			FUZZ_CHECK(ta->pkey.key.ec.q == ta->dn.data + ta->dn.len);
		}
		/* Touch every byte: ASan checks they belong to a live allocation. */
		volatile unsigned char sum = 0;
		for (size_t j = 0; j < ta->dn.len; j++)
			sum ^= ta->dn.data[j];
		(void)sum;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	jg_trust t;
	jg_error err;
	size_t added = 99, again = 99;
	unsigned char *pem = (unsigned char *)fuzz_copy(data, size);

	jg_trust_init(&t);
	jg_status st = jg_trust_add_pem(&t, pem, size, "fuzz CA file", &added, &err);
	if (st == JG_OK) {
		FUZZ_CHECK(added > 0 && added == t.count);
		check_set(&t);
		size_t count = t.count, duplicates = t.duplicates;
		FUZZ_CHECK(jg_trust_add_pem(&t, pem, size, "fuzz CA file", &again, &err) == JG_OK);
		FUZZ_CHECK(again == 0 && t.count == count && t.duplicates > duplicates);
		check_set(&t);
	} else {
		FUZZ_CHECK(st == JG_ERR_INPUT && err.status == JG_ERR_INPUT);
		FUZZ_CHECK(fuzz_terminated(err.message, sizeof err.message));
		FUZZ_CHECK(strchr(err.message, '\n') == NULL);
		check_set(&t);
	}
	jg_trust_free(&t);
	FUZZ_CHECK(t.count == 0 && t.owned == NULL && t.anchors == NULL);
	free(pem);
	return 0;
}
