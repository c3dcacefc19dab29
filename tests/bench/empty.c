/* The floor: an empty static program, measured beside jwtgrant (bearssl-notes #16). */
int main(void)
{
	return 0;
}
