// Values that only system calls supply (the clock, getrandom, the pid, bytes read
// from /dev/urandom), printed by the program and combined afterwards: a replay must
// show the recorded values, the same each time it passes here.
#include <fcntl.h>
#include <stdio.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

int main(void) {
  struct timespec ts = {0, 0};
  unsigned long seed = 0;
  unsigned char bytes[4] = {0};
  long pid = 0;
  int fd = open("/dev/urandom", O_RDONLY);  // BEFORE-SYSCALLS
  clock_gettime(CLOCK_REALTIME, &ts);
  if (getrandom(&seed, sizeof seed, 0) != sizeof seed) return 2;
  if (read(fd, bytes, sizeof bytes) != sizeof bytes) return 3;
  close(fd);
  pid = getpid();
  unsigned long mixed = seed ^ (unsigned long)ts.tv_nsec ^ ((unsigned long)bytes[0] << 8);  // VALUES-READY
  mixed ^= (unsigned long)pid << 20;
  printf("ts %ld %ld seed %lu bytes %u %u %u %u pid %ld mixed %lu\n", (long)ts.tv_sec, ts.tv_nsec, seed,
         bytes[0], bytes[1], bytes[2], bytes[3], pid, mixed);
  return 0;
}
