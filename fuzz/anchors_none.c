/*
 * The fuzz build's stand-in for the generated index of embedded trust anchors
 * (build/<variant>/gen/anchors_embedded.c): an empty index. No fuzz target selects the default
 * trust set; this only lets src/tls/trust_default.c link if a target ever pulls it in.
 */
#include <stddef.h>

#include "tls/anchors.h"

const jg_anchor_index jg_anchors_embedded = { NULL, 0, NULL, 0 };
