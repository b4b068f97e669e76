// Replaying a trace: re-executing the program's instructions while feeding it
// everything recorded from outside, event by event.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>

#include "ptrace/tracee_process.h"
#include "replay/blob_files.h"
#include "trace/trace_dir.h"

namespace rrtr {

// Where --goto-failure stopped.
struct FailureStop {
  std::uint64_t event = 0;
  std::string description;
};

struct ReplayOptions {
  bool echo_stdio = true;  // write what the program wrote to stdout/stderr
};

// One replay of one trace. The tracee is always left stopped between events, with a
// pending resume, so a debugger can take over between any two events.
class ReplaySession {
 public:
  ReplaySession(const std::filesystem::path& trace_dir, ReplayOptions options);
  ~ReplaySession();

  // Replays every event; returns the program's status as a shell reports it.
  // Throws Error(kDiverged) on divergence and Error(kIncompleteTrace) at the end of a
  // partial trace.
  int run_to_end();
  // Replays up to the first failed assertion (a test marker) and stops right after it;
  // with no marker, stops at the delivery of the signal that kills the program.
  // nullopt when the program ran to its end without either.
  std::optional<FailureStop> run_to_failure();
  // Replays the next event; false once the program has exited.
  bool step_event();
  std::uint64_t next_event_index() const { return cursor_index_; }
  const TraceReader& trace() const { return trace_; }
  const Event* peek_event();

 private:
  struct Resume_ {
    Resume how = Resume::kCont;
    int sig = 0;
  };

  void start();
  void check_host() const;
  WaitStatus resume_and_wait();
  void replay_syscall(const SyscallEvent& e);
  void replay_exec(const ExecEvent& e);
  void replay_signal(const SignalEvent& e);
  void replay_trap(const InstructionTrapEvent& e);
  void replay_marker(const MarkerEvent& e);
  int replay_exit(const ExitEvent& e);
  void expect_syscall_stop(const WaitStatus& st, std::int64_t nr, const std::string& expected);
  void verify_syscall(const Registers& regs, const SyscallEvent& e);
  void inject_following_signal();
  void check_and_echo_written(const SyscallEvent& e, const Registers& regs);
  std::string describe_stop(const WaitStatus& st);
  [[noreturn]] void diverged(const std::string& expected, const std::string& got);
  void emulate_result(Registers regs, std::int64_t result);
  void remote_brk(const SyscallEvent& e);

  TraceReader trace_;
  ReplayOptions options_;
  EventStreamReader events_;
  std::optional<Event> peeked_;
  std::uint64_t cursor_index_ = 0;  // index of the event being replayed / next
  BlobFiles blobs_;
  std::unique_ptr<TraceeProcess> proc_;
  Resume_ pending_;
  std::optional<std::uint64_t> brk_end_;
  std::optional<int> exit_status_;
};

}  // namespace rrtr
