/* Built with AddressSanitizer, whose runtime wants to come first in the library list:
 * prints its pid (different on every run) through stdio. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(void) {
  char* p = malloc(16);
  snprintf(p, 16, "%d", (int)getpid());
  printf("asan program, pid %s\n", p);
  free(p);
  return 0;
}
