/* Prints the dispositions and the mask it started with, as inherited through exec.
 * With "exec": first ignores SIGUSR1, catches SIGUSR2 and SIGTERM, then execs itself
 * (plain), which must find SIGUSR1 still ignored and the two others back to default. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void on_signal(int sig) { (void)sig; }

int main(int argc, char** argv) {
  if (argc > 1 && strcmp(argv[1], "exec") == 0) {
    signal(SIGUSR1, SIG_IGN);
    signal(SIGUSR2, on_signal);
    signal(SIGTERM, on_signal);
    char* again[] = {argv[0], NULL};
    execv(argv[0], again);
    return 127;
  }
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
