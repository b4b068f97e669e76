/* Prints its pid, then never ends: "sleep" loops in nanosleep, "pipe" blocks in a read
 * of a pipe whose write end it holds itself (so no EOF), "busy" makes getppid() calls
 * back to back, keeping its recorder busy between stops. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char** argv) {
  printf("pid %d\n", (int)getpid());
  printf("blocking now\n");
  fflush(stdout);
  if (argc > 1 && strcmp(argv[1], "pipe") == 0) {
    int fds[2];
    char c;
    if (pipe(fds) != 0) return 2;
    for (;;) read(fds[0], &c, 1);
  }
  if (argc > 1 && strcmp(argv[1], "busy") == 0)
    for (;;) getppid();
  for (;;) {
    struct timespec ts = {0, 50 * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
}
