/* Always passes; its traces must never survive a run. */
#include <stdio.h>

int main(void) {
  puts("steady: ok");
  return 0;
}
