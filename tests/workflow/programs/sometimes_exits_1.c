/* Not a test binary: no framework, no adapter, just an exit status that is 1 on
 * about one run in three. The runner must treat it as a plain program. */
#include <stdio.h>
#include <sys/random.h>

int main(void) {
  unsigned char byte = 0;
  if (getrandom(&byte, 1, 0) != 1) return 2;
  printf("draw %u\n", byte);
  return byte % 3 == 0 ? 1 : 0;
}
