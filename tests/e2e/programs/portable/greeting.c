/* A shared library of the test's own, so that a mapped file other than libc must
 * come from the trace too. */
const char* portable_greeting(void) { return "greetings from a library that no longer exists"; }
