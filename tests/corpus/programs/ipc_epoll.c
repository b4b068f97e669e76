// epoll_wait returns the user data word registered earlier; a replay must copy
// back the recorded event array.
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

int main(void) {
  int p[2];
  if (pipe(p)) return 1;
  int ep = epoll_create1(EPOLL_CLOEXEC);
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  struct epoll_event ev = {.events = EPOLLIN, .data.u64 = (unsigned long long)ts.tv_nsec};
  epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
  struct epoll_event out[4];
  int n0 = epoll_wait(ep, out, 4, 2);
  if (write(p[1], "z", 1) != 1) return 1;
  int n1 = epoll_wait(ep, out, 4, 1000);
  printf("empty wait -> %d, filled wait -> %d\n", n0, n1);
  if (n1 > 0) printf("event %#x data %llu\n", out[0].events, (unsigned long long)out[0].data.u64);
  close(ep);
  return 0;
}
