/*
 * touch: a static program that writes KIB kibibytes of a zeroed buffer and exits, so that a known
 * resident set can be put in front of a measuring tool (tests/bench/run.sh calibrates its peak
 * RSS figures with it: how much of a small process each tool can see at all).
 *
 *   touch KIB        0 <= KIB <= 16384
 */
#include <stdlib.h>
#include <string.h>

static unsigned char buffer[16384 * 1024];

int main(int argc, char **argv)
{
	long kib = argc == 2 ? strtol(argv[1], NULL, 10) : -1;
	if (kib < 0 || kib > 16384)
		return 2;
	memset(buffer, 1, (size_t)kib * 1024);
	/* Read a byte back through a volatile pointer so the writes cannot be optimised away. */
	const volatile unsigned char *probe = buffer;
	return kib > 0 && probe[kib * 1024 - 1] != 1;
}
