/* Prints, then creates a thread. */
#include <pthread.h>
#include <stdio.h>

static void* work(void* arg) { return arg; }

int main(void) {
  printf("before thread\n");
  fflush(stdout);
  pthread_t t;
  if (pthread_create(&t, NULL, work, NULL) != 0) return 2;
  pthread_join(t, NULL);
  printf("after thread\n");
  return 0;
}
