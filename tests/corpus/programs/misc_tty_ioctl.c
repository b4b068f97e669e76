// Under a harness stdout is not a terminal, so TIOCGWINSZ fails and errno is
// part of what the replay must reproduce.
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

int main(void) {
  int tty = isatty(1);
  int tty_errno = errno;
  struct winsize ws = {0};
  errno = 0;
  int rc = ioctl(1, TIOCGWINSZ, &ws);
  int ioctl_errno = errno;
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  printf("isatty(1)=%d errno=%s\n", tty, tty ? "-" : strerrorname_np(tty_errno));
  printf("TIOCGWINSZ rc=%d errno=%s rows=%d cols=%d\n", rc,
         rc ? strerrorname_np(ioctl_errno) : "-", ws.ws_row, ws.ws_col);
  printf("at ns %ld\n", ts.tv_nsec);
  return 0;
}
