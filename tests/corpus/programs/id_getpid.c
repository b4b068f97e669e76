// Each run gets a fresh pid; a replay must report the recorded one.
#define _GNU_SOURCE
#include <stdio.h>
#include <unistd.h>

int main(void) {
  printf("getpid %d\n", (int)getpid());
  return 0;
}
