// AT_RANDOM is 16 bytes the kernel writes onto the initial stack at exec; no
// syscall returns them, so the engine must reproduce the recorded stack image.
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/auxv.h>

int main(void) {
  const unsigned char *r = (const unsigned char *)getauxval(AT_RANDOM);
  if (!r) return 1;
  printf("AT_RANDOM ");
  for (int i = 0; i < 16; i++) printf("%02x", r[i]);
  printf("\n");
  return 0;
}
