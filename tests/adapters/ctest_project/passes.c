/* Passes with no arguments or with exactly the two the test passes; anything else
 * means the launcher mangled the command line. */
#include <string.h>

int main(int argc, char** argv) {
  if (argc == 1) return 0;
  return argc == 3 && strcmp(argv[1], "first-arg") == 0 && strcmp(argv[2], "two words") == 0
             ? 0
             : 3;
}
