/* Prints, then creates a process with fork(). */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
  printf("before fork\n");
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) _exit(0);
  waitpid(pid, NULL, 0);
  printf("after fork\n");
  return 0;
}
