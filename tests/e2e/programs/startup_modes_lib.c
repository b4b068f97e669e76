/* A library whose constructor runs in the program's start-up (before the preload's,
 * before any recorded call) and does what STARTUP_MODE says:
 *   crash   faults
 *   bigmap  maps 2 GiB, past the start-up's bound
 *   bigbuf  fills a 200 MiB buffer from malloc (a mapping past the bound)
 *   maps    fills five 30 MiB mappings, each within the bound: more than a snapshot carries
 *   read    blocks reading stdin and keeps what it read for main
 *   signals catches SIGUSR1 on an alternate stack and ignores SIGHUP (both natively:
 *           no recorded call), which startup_report() checks from main */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

char startup_input[64];
char* startup_buffer;
static char alternate_stack[64 * 1024];
static volatile int usr1_on_alternate_stack = -1;

static void on_usr1(int sig) {
  (void)sig;
  char here;
  usr1_on_alternate_stack = &here >= alternate_stack && &here < alternate_stack + sizeof alternate_stack;
}

void startup_report(void) {
  const char* mode = getenv("STARTUP_MODE");
  if (!mode || strcmp(mode, "signals") != 0) return;
  struct sigaction usr1, hup;
  stack_t stack;
  sigaction(SIGUSR1, NULL, &usr1);
  sigaction(SIGHUP, NULL, &hup);
  sigaltstack(NULL, &stack);
  raise(SIGUSR1);
  printf("usr1 caught %d onstack %d, hup ignored %d, altstack %d, handled on it %d\n", usr1.sa_handler == on_usr1,
         (usr1.sa_flags & SA_ONSTACK) != 0, hup.sa_handler == SIG_IGN,
         stack.ss_sp == alternate_stack && stack.ss_size == sizeof alternate_stack, usr1_on_alternate_stack);
}

__attribute__((constructor)) static void act(void) {
  const char* mode = getenv("STARTUP_MODE");
  if (!mode) return;
  if (strcmp(mode, "crash") == 0) *(volatile int*)0 = 1;
  if (strcmp(mode, "bigmap") == 0 &&
      mmap(NULL, 2UL << 30, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0) == MAP_FAILED)
    _exit(2);
  if (strcmp(mode, "bigbuf") == 0) {
    startup_buffer = malloc(200UL << 20);
    if (!startup_buffer) _exit(2);
    memset(startup_buffer, 'x', 200UL << 20);
  }
  if (strcmp(mode, "maps") == 0) {
    for (int i = 0; i < 5; ++i) {
      startup_buffer = mmap(NULL, 30UL << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (startup_buffer == MAP_FAILED) _exit(2);
      memset(startup_buffer, 'x', 30UL << 20);
    }
  }
  if (strcmp(mode, "read") == 0 && read(0, startup_input, sizeof startup_input - 1) < 0) _exit(3);
  if (strcmp(mode, "signals") == 0) {
    stack_t stack = {.ss_sp = alternate_stack, .ss_size = sizeof alternate_stack};
    struct sigaction usr1 = {.sa_handler = on_usr1, .sa_flags = SA_ONSTACK};
    if (sigaltstack(&stack, NULL) != 0 || sigaction(SIGUSR1, &usr1, NULL) != 0 || signal(SIGHUP, SIG_IGN) == SIG_ERR)
      _exit(4);
  }
}
