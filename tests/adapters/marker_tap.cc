// marker_tap: runs a program under ptrace and writes every rr-test-runner marker it
// sends as one JSON line {"kind":K,"len":N,"payload":"...","ret":R} to OUT.
//
//   marker_tap OUT -- PROGRAM [ARGS...]
//
// strace cannot do this job: it rejects unknown syscall numbers in -e trace= and
// prints only the payload pointer of an unknown syscall. The tap exits with the
// program's status (128+signal if it was killed). Single-threaded programs only:
// it follows the first process and no children, which is all the adapter tests need.
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "rrtr/marker_abi.h"

namespace {

// A marker seen at syscall entry, completed with the kernel's answer at exit.
struct PendingMarker {
  long kind;
  unsigned long len;  // as passed, even if the memory could not be read
  std::string payload;
};

std::string read_child_memory(pid_t pid, unsigned long address, std::size_t len) {
  std::string buffer(len, '\0');
  iovec local{buffer.data(), len};
  iovec remote{reinterpret_cast<void*>(address), len};
  const ssize_t got = process_vm_readv(pid, &local, 1, &remote, 1, 0);
  buffer.resize(got > 0 ? static_cast<std::size_t>(got) : 0);
  return buffer;
}

[[noreturn]] void run_child(char** argv) {
  if (ptrace(PTRACE_TRACEME, 0, nullptr, nullptr) != 0) _exit(126);
  // Stopping here lets the parent set options before the program's first syscall.
  raise(SIGSTOP);
  execvp(argv[0], argv);
  std::perror("marker_tap: exec");
  _exit(127);
}

int exit_code(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4 || std::strcmp(argv[2], "--") != 0) {
    std::fprintf(stderr, "usage: marker_tap OUT -- PROGRAM [ARGS...]\n");
    return 2;
  }
  std::ofstream out(argv[1], std::ios::binary);
  if (!out) {
    std::perror("marker_tap: output");
    return 2;
  }
  const pid_t child = fork();
  if (child < 0) return 2;
  if (child == 0) run_child(argv + 3);

  int status = 0;
  waitpid(child, &status, 0);
  ptrace(PTRACE_SETOPTIONS, child, nullptr,
         PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL | PTRACE_O_TRACEEXEC);
  std::optional<PendingMarker> pending;
  int deliver = 0;
  for (;;) {
    ptrace(PTRACE_SYSCALL, child, nullptr, deliver);
    deliver = 0;
    if (waitpid(child, &status, 0) < 0) return 2;
    if (WIFEXITED(status) || WIFSIGNALED(status)) break;
    const int sig = WSTOPSIG(status);
    if (sig != (SIGTRAP | 0x80)) {
      // Exec events carry SIGTRAP in the status high bits; real signals go on to
      // the program (the initial SIGSTOP is already consumed above).
      if ((status >> 16) == 0) deliver = sig;
      continue;
    }
    __ptrace_syscall_info info{};
    if (ptrace(PTRACE_GET_SYSCALL_INFO, child, sizeof info, &info) <= 0) continue;
    if (info.op == PTRACE_SYSCALL_INFO_ENTRY && info.entry.nr == RRTR_MARKER_SYSCALL) {
      pending = PendingMarker{static_cast<long>(info.entry.args[0]), info.entry.args[2],
                              read_child_memory(child, info.entry.args[1], info.entry.args[2])};
    } else if (info.op == PTRACE_SYSCALL_INFO_EXIT && pending) {
      nlohmann::json line{{"kind", pending->kind},
                          {"len", pending->len},
                          {"payload", pending->payload},
                          {"ret", info.exit.rval}};
      out << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
      pending.reset();
    }
  }
  out.flush();
  return exit_code(status);
}
