#include "ptrace/tracee_process.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <csignal>
#include <cstring>
#include <sys/syscall.h>

#include "common/cpu_sets.h"
#include "common/error.h"
#include "common/interrupt.h"
#include "ptrace/remote_syscalls.h"

namespace rrtr {

RemoteSyscalls::Call copy_call() {
  // Our child, not the tracee's: reaped by us once killed, not left a zombie for a
  // program that never waits for it (and then for whoever adopts it). Traced by us
  // through CLONE_PTRACE, from a SIGSTOP before its first instruction, as
  // PTRACE_O_TRACECLONE would have it, but without that option's PTRACE_EVENT_CLONE
  // stop of the tracee (CLONE_UNTRACED): a round trip fewer.
  return {"clone of a copy of the tracee", SYS_clone, {CLONE_PARENT | CLONE_PTRACE | CLONE_UNTRACED, 0, 0, 0, 0, 0}};
}

std::unique_ptr<TraceeProcess> adopt_copy(std::int64_t clone_result, CopyStop stop) {
  if (clone_result <= 0)
    fail(ExitCode::kInternal, "cannot fork a copy of the tracee: {}", std::strerror(static_cast<int>(-clone_result)));
  const Pid copy{static_cast<pid_t>(clone_result)};
  if (stop == CopyStop::kWaitForIt) {
    int status = 0;
    while (waitpid(copy.value, &status, __WALL) < 0 && errno == EINTR) {
    }
  }
  return std::make_unique<TraceeProcess>(copy);
}

std::unique_ptr<TraceeProcess> fork_stopped_tracee(Task& task) {
  const InterruptsDeferred until_adopted;  // the copy exists once the clone ran
  std::int64_t child;
  {
    RemoteSyscalls rs(task);
    child = rs.call(copy_call());
  }
  return adopt_copy(child, CopyStop::kWaitForIt);
}

int choose_cpu() {
  // The CPU we were started on, where the parent waiting for us most likely sleeps:
  // pinning elsewhere migrates us at once, and our exit would wake the parent across
  // CPUs; in a VM either can wait for an idle vCPU to wake (gtest_io recorded in 5.1 ms
  // here against 5.8 on the other CPU). Concurrent recorders are spread by whoever
  // starts them (the runner's --jobs passes --cpu).
  const int here = sched_getcpu();
  if (cpu_allowed(here)) return here;
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) return 0;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
    if (CPU_ISSET(cpu, &set)) return cpu;
  return 0;
}

bool cpu_allowed(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  return cpu >= 0 && cpu < CPU_SETSIZE && sched_getaffinity(0, sizeof set, &set) == 0 && CPU_ISSET(cpu, &set);
}

void pin_to_cpu(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  sched_setaffinity(0, sizeof set, &set);
}

namespace {
int g_setup_failure_fd = -1;  // in the child: the write end of TraceeProcess::setup_failure_
}  // namespace

void child_setup_failed(const char* what, const char* why_it_may_fail) {
  const int err = errno;
  char msg[256];
  const int n = std::snprintf(msg, sizeof msg, "%s: %s%s%s%s", what, std::strerror(err), why_it_may_fail ? " (" : "",
                              why_it_may_fail ? why_it_may_fail : "", why_it_may_fail ? ")" : "");
  if (g_setup_failure_fd >= 0 && n > 0)
    [[maybe_unused]] auto w = ::write(g_setup_failure_fd, msg, std::min<std::size_t>(static_cast<std::size_t>(n), sizeof msg - 1));
  _exit(125);
}

namespace {

constexpr long kEngineOptions = PTRACE_O_EXITKILL | PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACESECCOMP |
                                PTRACE_O_TRACEEXEC | PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK |
                                PTRACE_O_TRACEVFORK;

// Shared between spawn_program and its child, which writes only its failure here.
struct SpawnRequest {
  const ProgramLaunch* launch;
  sigset_t program_mask;
  const char* failed_step = nullptr;  // before the exec; null with `err` set: the exec failed
  const char* why_it_may_fail = nullptr;
  int err = 0;
};

// Async-signal-safe calls only: this runs on the engine's memory, the engine suspended.
int spawned_child(void* arg) {
  auto* request = static_cast<SpawnRequest*>(arg);
  reset_interrupt_handlers();
  auto failed = [request](const char* step, const char* why) {
    request->failed_step = step;
    request->why_it_may_fail = why;
    request->err = errno;
    _exit(125);
  };
  prctl(PR_SET_PDEATHSIG, SIGKILL);  // best effort: PTRACE_O_EXITKILL holds from the exec's stop on
  if (ptrace(PTRACE_TRACEME, 0, nullptr, nullptr) != 0)
    failed("ptrace(PTRACE_TRACEME)", "this system forbids tracing: a seccomp profile, kernel.yama.ptrace_scope or a sandbox");
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
    failed("prctl(PR_SET_NO_NEW_PRIVS)", "without it the recording's seccomp filter cannot be installed");
  // The child's descriptor table is its own copy: the flag changes here only.
  if (request->launch->inherited_fd >= 0 && fcntl(request->launch->inherited_fd, F_SETFD, 0) != 0)
    failed("fcntl(F_SETFD) of the descriptor the program inherits", nullptr);
  sigprocmask(SIG_SETMASK, &request->program_mask, nullptr);
  execve(request->launch->path, request->launch->argv, request->launch->envp);
  request->err = errno;
  _exit(127);
}

}  // namespace

std::unique_ptr<TraceeProcess> TraceeProcess::spawn_program(int cpu, const ProgramLaunch& launch) {
  pin_to_cpu(cpu);
  SpawnRequest request{&launch, {}};
  // Left uninitialised: zeroing it faulted in sixteen pages the child never touches.
  alignas(16) std::array<char, 64 * 1024> child_stack;
  pid_t pid;
  {
    // Until the child is ours to kill: an interrupt then is handled after the clone.
    const InterruptsDeferred until_spawned;
    request.program_mask = until_spawned.previous_mask();
    pid = clone(spawned_child, child_stack.data() + child_stack.size(), CLONE_VM | CLONE_VFORK | SIGCHLD, &request);
  }
  if (pid < 0) fail_errno("clone");
  // Here the child has exec'd or exited: the request says which. Its Task comes once it
  // is stopped (its memory cannot be opened after a failed exec).
  std::unique_ptr<TraceeProcess> proc(new TraceeProcess(Pid{pid}, nullptr));  // kills it on a failure
  int status = 0;
  while (waitpid(pid, &status, __WALL) < 0) {
    if (errno != EINTR) fail_errno("waitpid");
    fail_if_interrupted();
  }
  if (WIFSTOPPED(status) && WSTOPSIG(status) == SIGTRAP) {
    if (ptrace(PTRACE_SETOPTIONS, pid, nullptr, reinterpret_cast<void*>(kEngineOptions)) != 0)
      fail_errno("PTRACE_SETOPTIONS");
    proc->task_ = std::make_unique<Task>(Tid{pid});
    return proc;
  }
  if (WIFSTOPPED(status))  // nothing but the exec's SIGTRAP comes first
    fail(ExitCode::kInternal, "the program stopped with {} before its exec's SIGTRAP", signal_name(WSTOPSIG(status)));
  proc->mark_reaped();
  if (request.failed_step)
    fail(ExitCode::kHostRefused, "cannot start the program under the tracer: {}: {}{}{}{}", request.failed_step,
         std::strerror(request.err), request.why_it_may_fail ? " (" : "",
         request.why_it_may_fail ? request.why_it_may_fail : "", request.why_it_may_fail ? ")" : "");
  if (request.err) fail(ExitCode::kBadInput, "cannot execute {}: {}", launch.path, std::strerror(request.err));
  fail_if_interrupted();
  fail(ExitCode::kInternal, "the program died before its exec (status {:#x})", status);
}

TraceeProcess::TraceeProcess(int cpu, const std::function<void()>& child_main) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) != 0) fail_errno("pipe2");
  setup_failure_.reset(pipe_fds[0]);
  UniqueFd write_end(pipe_fds[1]);
  pin_to_cpu(cpu);
  pid_t pid = fork();
  if (pid < 0) fail_errno("fork");
  if (pid == 0) {
    g_setup_failure_fd = write_end.get();
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (ptrace(PTRACE_TRACEME, 0, nullptr, nullptr) != 0)
      child_setup_failed("ptrace(PTRACE_TRACEME)",
                         "this system forbids tracing: a seccomp profile, kernel.yama.ptrace_scope or a sandbox");
    raise(SIGSTOP);
    child_main();
    _exit(126);
  }
  write_end.reset();
  pid_ = Pid{pid};
  int status = 0;
  if (waitpid(pid, &status, __WALL) != pid || !WIFSTOPPED(status) || WSTOPSIG(status) != SIGSTOP) {
    kill_and_reap();  // a throwing constructor runs no destructor
    if (auto why = setup_failure()) fail(ExitCode::kHostRefused, "cannot start the program under the tracer: {}", *why);
    fail_if_interrupted();  // SIGINT/SIGTERM woke the waitpid: the child was not the trouble
    fail(ExitCode::kInternal, "the tracee did not stop for the tracer (status {:#x})", status);
  }
  if (ptrace(PTRACE_SETOPTIONS, pid, nullptr, reinterpret_cast<void*>(kEngineOptions)) != 0) {
    const int e = errno;
    kill_and_reap();
    errno = e;
    fail_errno("PTRACE_SETOPTIONS");
  }
  task_ = std::make_unique<Task>(Tid{pid});
}

void TraceeProcess::kill() const { ::kill(pid_.value, SIGKILL); }

void TraceeProcess::kill_on_callers_cpus() const {
  const cpu_set_t here = current_cpus();
  sched_setaffinity(pid_.value, sizeof here, &here);  // best effort: the kill is what matters
  kill();
}

void TraceeProcess::kill_and_reap() {
  kill();
  // Until its death: a stop reported before the kill lands is not it, and neither is a
  // waitpid our own SIGINT handler interrupts.
  for (;;) {
    int status = 0;
    const pid_t r = waitpid(pid_.value, &status, __WALL);
    if (r == pid_.value && (WIFEXITED(status) || WIFSIGNALED(status))) break;
    if (r < 0 && errno != EINTR) break;
  }
  reaped_ = true;
}

TraceeProcess::TraceeProcess(Pid adopted) : pid_(adopted), task_(std::make_unique<Task>(Tid{adopted.value})) {}

std::optional<std::string> TraceeProcess::setup_failure() const {
  if (!setup_failure_.valid()) return std::nullopt;
  char buf[256];
  const ssize_t n = ::read(setup_failure_.get(), buf, sizeof buf);
  if (n <= 0) return std::nullopt;
  return std::string(buf, static_cast<std::size_t>(n));
}

TraceeProcess::~TraceeProcess() {
  if (!reaped_ && pid_.value > 0) kill_and_reap();
}

}  // namespace rrtr
