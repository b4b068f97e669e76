/* Prints the dispositions and the mask it started with, as inherited through exec. */
#include <signal.h>
#include <stdio.h>

int main(void) {
  const int sigs[] = {SIGHUP, SIGINT, SIGPIPE, SIGTERM, SIGUSR1, SIGUSR2, SIGCHLD};
  for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; ++i) {
    struct sigaction old;
    sigaction(sigs[i], NULL, &old);
    printf("%d:%s ", sigs[i], old.sa_handler == SIG_DFL ? "default" : old.sa_handler == SIG_IGN ? "ignored" : "caught");
  }
  sigset_t mask;
  sigprocmask(SIG_BLOCK, NULL, &mask);
  printf("| blocked:");
  for (int sig = 1; sig < 32; ++sig)
    if (sigismember(&mask, sig)) printf(" %d", sig);
  printf("\n");
  return 0;
}
