/* Ends the way argv[1] says: a number is an exit status, "segv" a real fault,
 * "abort" abort(). Prints first so the output of a crashing run is checked too. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  printf("ending with %s\n", argv[1]);
  fflush(stdout);
  if (strcmp(argv[1], "segv") == 0) {
    int* volatile unmapped = (int*)(uintptr_t)8;  /* volatile: the compiler cannot see it is bad */
    *unmapped = 1;
  }
  if (strcmp(argv[1], "abort") == 0) abort();
  return atoi(argv[1]);
}
