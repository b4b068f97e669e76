// A user-space generator seeded once from getrandom: only the seed crosses the
// kernel boundary, every later value is pure computation on it.
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <sys/random.h>

static uint64_t state;

static uint64_t next(void) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return state;
}

int main(void) {
  if (getrandom(&state, sizeof state, GRND_NONBLOCK) != sizeof state) return 1;
  state |= 1;  // xorshift must never hold zero
  for (int i = 0; i < 4; i++) printf("xorshift %016llx\n", (unsigned long long)next());
  return 0;
}
