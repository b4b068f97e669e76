// Starting a tracee and making sure it never outlives the engine.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "common/types.h"
#include "common/unique_fd.h"
#include "ptrace/remote_syscalls.h"
#include "ptrace/task.h"

namespace rrtr {

// What execve gets, made before the spawn: the child shares the engine's memory and
// must not allocate.
struct ProgramLaunch {
  const char* path;
  char* const* argv;
  char* const* envp;
  // A close-on-exec descriptor of ours the program inherits all the same, at the same
  // number (the tracer closes it in the program before its first instruction); or -1.
  int inherited_fd = -1;
};

// Owns a traced child process: the destructor kills and reaps it if it is still there.
// (PTRACE_O_EXITKILL covers the case where the engine itself dies.)
class TraceeProcess {
 public:
  // Starts a program as our tracee through clone(CLONE_VM | CLONE_VFORK): no copy of
  // the engine's address space and no stop before the exec. The child pins itself to
  // `cpu` (with us), arranges to die with us and sets no_new_privs (for the seccomp
  // filters the tracer installs later). Returns with the program stopped at the SIGTRAP
  // of its exec, before its first instruction, that SIGTRAP to be discarded, and the
  // engine's ptrace options set. An exec that fails is bad input (kBadInput), a refused
  // ptrace the host's doing (kHostRefused).
  static std::unique_ptr<TraceeProcess> spawn_program(int cpu, const ProgramLaunch& launch);
  // Forks; the child pins itself to `cpu`, arranges to die with us, stops for the
  // tracer, then runs `child_main` (which must not return). The parent attaches with
  // the engine's ptrace options and returns with the child stopped at that first stop.
  TraceeProcess(int cpu, const std::function<void()>& child_main);
  // Adopts a process that is already our tracee (auto-attached by a fork or clone).
  explicit TraceeProcess(Pid adopted);
  TraceeProcess(const TraceeProcess&) = delete;
  TraceeProcess& operator=(const TraceeProcess&) = delete;
  ~TraceeProcess();

  Pid pid() const { return pid_; }
  Task& task() { return *task_; }
  // Once the child is gone: what failed in its set-up before the program ran, as
  // child_setup_failed reported it; nullopt if nothing did (the program ran and exited).
  std::optional<std::string> setup_failure() const;
  // The process has been reaped (its exit was seen through wait()).
  void mark_reaped() { reaped_ = true; }
  // SIGKILL, without waiting for the death: the destructor reaps it.
  void kill() const;
  // kill(), the death run on the calling thread's CPUs rather than the process's own:
  // a snapshot's copy, pinned with the program it was forked from, would otherwise tear
  // its whole address space down on the program's CPU while the program runs.
  void kill_on_callers_cpus() const;

 private:
  // SIGKILL, then waits for the death itself (not a stop, not an EINTR).
  void kill_and_reap();
  // A child of ours, its Task made later (spawn_program).
  TraceeProcess(Pid pid, std::nullptr_t) : pid_(pid) {}

  Pid pid_;
  std::unique_ptr<Task> task_;
  UniqueFd setup_failure_;  // read end; the child holds the write end until its exec
  bool reaped_ = false;
};

// In the child of TraceeProcess, before the program runs: tells the tracer that `what`
// failed (with errno) and exits. Without it a refused ptrace or seccomp filter would
// look like the program exiting with some status of ours.
[[noreturn]] void child_setup_failed(const char* what, const char* why_it_may_fail = nullptr);

// Forks a stopped tracee through a remote clone: the copy shares nothing writable with
// it (copy-on-write), is stopped, is traced by us, and is our child (CLONE_PARENT), so
// killing it leaves no zombie behind.
std::unique_ptr<TraceeProcess> fork_stopped_tracee(Task& task);
// fork_stopped_tracee in two halves, for a caller that makes the clone in a batch of its
// own: the call, then the owner of the copy its result names. The copy never runs an
// instruction of its own (it stops at a SIGSTOP first); kWaitForIt waits for that stop,
// which ptrace requests on it need, and reading its memory does not. Between the two,
// interrupts must be deferred (InterruptsDeferred), or the copy may be left behind.
enum class CopyStop { kWaitForIt, kDoNotWait };
RemoteSyscalls::Call copy_call();
std::unique_ptr<TraceeProcess> adopt_copy(std::int64_t clone_result, CopyStop stop);

// The CPU the engine and its tracees run on: one, so ptrace round trips stay on-core.
int choose_cpu();
bool cpu_allowed(int cpu);
void pin_to_cpu(int cpu);

}  // namespace rrtr
