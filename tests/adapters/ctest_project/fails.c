/* Always fails with a distinctive status, which must come back through the launcher. */
int main(void) { return 7; }
