// times() counts in clock ticks (10 ms), so a tie between runs is possible;
// the nanosecond clock printed with it keeps runs distinct.
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/times.h>
#include <time.h>

int main(void) {
  struct tms t;
  clock_t ticks = times(&t);
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  printf("times() %ld utime %ld stime %ld\n", (long)ticks, (long)t.tms_utime, (long)t.tms_stime);
  printf("at ns %ld\n", ts.tv_nsec);
  return 0;
}
