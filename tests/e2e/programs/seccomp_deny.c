/* seccomp_deny NR[:wx][,NR...] COMMAND [ARGS...]: runs COMMAND with the listed syscalls
 * failing with EPERM, as a container's seccomp profile makes them fail. Docker's
 * default without CAP_SYS_PTRACE, for a tracer: 310,311,438 (process_vm_readv,
 * process_vm_writev, pidfd_getfd). NR:wx fails only a call whose third argument asks
 * for writable and executable memory, as systemd's MemoryDenyWriteExecute= makes
 * mmap and mprotect fail: 9:wx,10:wx. */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  struct sock_filter f[64];
  int n = 0;
  f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
  for (char* s = argv[1]; *s && n < 60;) {
    char* end;
    unsigned long nr = strtoul(s, &end, 10);
    if (end == s) return 2;
    if (strncmp(end, ":wx", 3) == 0) {
      const unsigned wx = PROT_WRITE | PROT_EXEC;
      f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nr, 0, 5);
      f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[2]));
      f[n++] = (struct sock_filter)BPF_STMT(BPF_ALU | BPF_AND | BPF_K, wx);
      f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, wx, 0, 1);
      f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM);
      f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
      end += 3;
    } else {
      f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nr, 0, 1);
      f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM);
    }
    s = *end == ',' ? end + 1 : end;
  }
  f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
  struct sock_fprog prog = {(unsigned short)n, f};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) {
    perror("seccomp");
    return 2;
  }
  execvp(argv[2], argv + 2);
  perror("execvp");
  return 127;
}
