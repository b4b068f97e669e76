/* Passes three runs in four; the fourth kind of run blocks forever, the way a test
 * stuck on a lost wakeup would. The draw comes from getrandom so that a replay of a
 * hung run hangs at the same point. Pass an argument to hang on every run. */
#include <stdio.h>
#include <sys/random.h>
#include <time.h>

int main(int argc, char** argv) {
  (void)argv;
  unsigned char byte = 0;
  if (getrandom(&byte, 1, 0) != 1) return 2;
  if (argc < 2 && byte % 4 != 0) {
    printf("draw %u: done\n", byte);
    return 0;
  }
  printf("draw %u: waiting for a wakeup that never comes\n", byte);
  fflush(stdout);
  for (;;) {
    struct timespec ts = {0, 20 * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
}
