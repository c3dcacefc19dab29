#include <stdio.h>
int main(void) { puts("jwtgrant " JG_VERSION); return 0; }
