/*
 * The fuzz build's stand-in for the generated table of embedded trust anchors
 * (build/<variant>/gen/anchors_embedded.c): an empty set. No fuzz target selects the default
 * trust set; this only lets src/trust_default.c link if a target ever pulls it in.
 */
#include <stddef.h>

#include <bearssl_x509.h>

#include "trust.h"

const br_x509_trust_anchor jg_trust_embedded[1];
const size_t jg_trust_embedded_count = 0;
