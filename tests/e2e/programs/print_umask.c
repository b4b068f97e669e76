/* Prints the umask the program started with. */
#include <stdio.h>
#include <sys/stat.h>

int main(void) {
  mode_t m = umask(0);
  printf("umask %04o\n", (unsigned)m);
  return 0;
}
