/* Fails about one run in three with status 3, a value no crash or launcher problem
 * would produce, so the test can tell its own failure from anything else. */
#include <stdio.h>
#include <sys/random.h>

int main(void) {
  unsigned char byte = 0;
  if (getrandom(&byte, 1, 0) != 1) return 2;
  if (byte % 3 == 0) {
    printf("flaky: draw %u is unlucky\n", byte);
    return 3;
  }
  printf("flaky: draw %u\n", byte);
  return 0;
}
