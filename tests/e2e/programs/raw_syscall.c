/* Prints, then makes syscall number argv[1], which the kernel may not know. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  printf("before syscall %s\n", argv[1]);
  fflush(stdout);
  long r = syscall(atol(argv[1]), 0, 0, 0);
  printf("syscall returned %ld\n", r);
  return 0;
}
