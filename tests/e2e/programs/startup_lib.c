/* A library whose constructor runs in the program's start-up, before the recording's
 * first event (it runs before the preload's): nothing it does is recorded, so what it
 * gathers must come back in replay from the start-up snapshot, registers included:
 * it leaves the rounding mode upward and random bytes in xmm15, which nothing between
 * it and main touches. */
#include <fcntl.h>
#include <fenv.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <unistd.h>

unsigned char startup_random[16];
char startup_stat[256];
unsigned char* startup_map;
unsigned long startup_stack;

__attribute__((constructor)) static void gather(void) {
  if (getrandom(startup_random, sizeof startup_random, 0) != sizeof startup_random) _exit(3);
  int fd = open("/proc/self/stat", O_RDONLY); /* the pid and the start time */
  if (fd < 0 || read(fd, startup_stat, sizeof startup_stat - 1) <= 0) _exit(4);
  close(fd);
  startup_map = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (startup_map == MAP_FAILED) _exit(5);
  memcpy(startup_map, startup_random, sizeof startup_random); /* one page of two written */
  startup_stack = (unsigned long)&fd;
  if (fesetround(FE_UPWARD) != 0) _exit(6);
  __asm__ volatile("movdqu %0, %%xmm15" : : "m"(startup_random) : "xmm15");
}
