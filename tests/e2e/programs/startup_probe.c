/* Prints what its library gathered in the start-up (startup_lib.c): different in every
 * native run, the same in every replay. */
#include <stdio.h>
#include <string.h>

extern unsigned char startup_random[16];
extern char startup_stat[256];
extern unsigned char* startup_map;
extern unsigned long startup_stack;

int main(void) {
  unsigned char xmm15[16];
  __asm__ volatile("movdqu %%xmm15, %0" : "=m"(xmm15));
  volatile double one = 1.0, three = 3.0;
  printf("xmm15=%d third=%.17g\n", memcmp(xmm15, startup_random, 16) == 0, one / three);
  printf("map=%p stack=%#lx\n", (void*)startup_map, startup_stack);
  for (int i = 0; i < 16; ++i) printf("%02x%s", startup_map[i], i == 15 ? "\n" : "");
  printf("same=%d\n", memcmp(startup_map, startup_random, 16) == 0);
  fputs(startup_stat, stdout);
  return 0;
}
