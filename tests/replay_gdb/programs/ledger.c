// A balance corrupted a few statements before the check that aborts, with calls, long
// loops and system calls in between, so that going back from the abort to the write
// crosses all of them. The debit drawn from getrandom always overdraws, so every run
// aborts, but with a different amount: a test that knows the amount from the program's
// output can tell a replayed value from a remembered one.
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

struct ledger {
  long balance;
  long entries;
};

// Globals, so that even the -O2 build keeps them in memory where a watchpoint sees them.
struct ledger book;
long opened_at;

// noipa keeps the store a real store in the -O2 build and its line its own.
__attribute__((noipa)) void debit(struct ledger* l, long amount) {
  l->balance -= amount;  // CORRUPTING-WRITE
  l->entries++;
}

__attribute__((noipa)) long churn(long seed, int rounds) {
  long acc = seed;
  for (int i = 0; i < rounds; i++) acc = acc * 6364136223846793005L + (i ^ (acc >> 17));
  return acc;
}

int main(void) {
  unsigned char noise[8];
  if (getrandom(noise, sizeof noise, 0) != sizeof noise) return 2;
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  opened_at = ts.tv_sec;  // OPENED-WRITE
  book.balance = 100;  // INIT-WRITE
  long warm = churn(noise[0], 5000);
  const long amount = 101 + noise[1] % 50;
  printf("amount %ld at %ld.%09ld\n", amount, (long)ts.tv_sec, ts.tv_nsec);
  fflush(stdout);
  // Half a million instructions without a system call right before the write.
  warm = churn(warm, 40000);
  debit(&book, amount);
  long cool = churn(warm, 7000);
  pid_t pid = getpid();
  clock_gettime(CLOCK_MONOTONIC, &ts);
  printf("churned %lx pid %d\n", (unsigned long)(cool ^ ts.tv_nsec), (int)pid);
  fflush(stdout);
  if (book.balance < 0) abort();  // FAILING-CHECK
  return 0;
}
