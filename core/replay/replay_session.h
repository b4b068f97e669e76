// Replaying a trace: re-executing the program's instructions while feeding it
// everything recorded from outside, event by event.
#pragma once

#include <filesystem>
#include <map>
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
  // Buffered calls answered inside the program from a queue, without a stop
  // (buffered_queue.h). A debugger's replay keeps a stop at each: its positions count
  // events, and a watchpoint must not fire inside the preload's copy.
  bool queue_buffered_calls = true;
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
  bool exited() const { return exit_status_.has_value(); }
  // A checkpoint cannot be forked now: a signal sent for the next event is pending.
  bool signal_pending_injection() const { return signal_injected_; }
  std::optional<int> exit_status() const { return exit_status_; }

  // --- For a debugger driving the tracee between events (replay_target.h) ---
  // The exec the program is running now (its path, auxv and initial mappings).
  const ExecEvent& current_exec() const { return current_exec_; }
  // The program's thread id in the recording (stable across checkpoints).
  Tid recorded_tid() const { return recorded_tid_; }
  void set_echo(bool echo) { options_.echo_stdio = echo; }
  // Skips the syscall whose entry the task is stopped at, answering `result`.
  void answer_syscall_here(std::int64_t result) { emulate_result(task().regs(), result); }
  Task& task() { return proc_->task(); }
  Pid pid() const { return proc_->pid(); }
  // Accounts for the queued calls the program has made since the last event (echoing
  // what they wrote): before an event's stop is looked at.
  void settle_buffered_calls();
  // Resumes as `how` (delivering the pending signal) and waits for the next stop.
  WaitStatus resume(Resume how);
  // Consumes the next event from the stop `st` it produced (a seccomp stop, a signal
  // stop or the exit), leaving the tracee stopped with the resume that follows it.
  // Throws Error(kDiverged) if `st` is not that event's stop.
  void apply_event(const WaitStatus& st);
  // The part of the state that a checkpoint must keep besides the process itself.
  struct State {
    EventStreamReader::Position reader;
    std::optional<Event> peeked;
    std::uint64_t cursor = 0;
    Resume how = Resume::kCont;
    int sig = 0;
    std::optional<std::uint64_t> brk_end;
    std::optional<int> exit_status;
    bool signal_injected = false;
    Registers regs;  // of the stopped tracee
    ExecEvent exec;
    std::uint64_t log_seen = 0;
    std::uint64_t queued = 0;
    std::map<BlobId, std::uint64_t> blob_fds;
  };
  State save_state();
  // Forks the stopped tracee (a copy-on-write copy, stopped, traced by us).
  std::unique_ptr<TraceeProcess> fork_tracee();
  // Makes `proc` (a fork made by fork_tracee at a point whose state is `state`) the
  // replayed process; the previous one is killed.
  void restore(const State& state, std::unique_ptr<TraceeProcess> proc);

 private:
  struct PendingResume {
    Resume how = Resume::kCont;
    int sig = 0;
  };

  void start();
  void check_host() const;
  Event take_event();
  void apply_syscall(const SyscallEvent& e, const WaitStatus& st);
  void apply_exec(const ExecEvent& e, const WaitStatus& st);
  void apply_signal(const SignalEvent& e, const WaitStatus& st);
  void apply_trap(const InstructionTrapEvent& e, const WaitStatus& st);
  void apply_marker(const MarkerEvent& e, const WaitStatus& st);
  void apply_exit(const ExitEvent& e, const WaitStatus& st);
  // Kills the replayed process and reaps it; its final status.
  WaitStatus kill_tracee();
  void expect_syscall_stop(const WaitStatus& st, std::int64_t nr, const std::string& expected);
  void verify_syscall(const Registers& regs, const SyscallEvent& e);
  void inject_following_signal();
  // The next event is a signal delivered as the call just applied returned.
  bool signal_follows();
  void check_and_echo_written(const SyscallEvent& e, const Registers& regs);
  void check_and_echo(const SyscallEvent& e, std::string_view bytes);
  // Queues the buffered calls up to the next event for the preload (buffered_queue.h).
  void fill_queue();
  std::string describe_stop(const WaitStatus& st);
  [[noreturn]] void diverged(const std::string& expected, const std::string& got);
  void emulate_result(Registers regs, std::int64_t result);
  void remote_brk(const SyscallEvent& e);
  // The flags the recording gave the preload (rrtr/syscall_buffer_abi.h).
  std::uint32_t buffer_flags() const;

  TraceReader trace_;
  ReplayOptions options_;
  EventStreamReader events_;
  std::optional<Event> peeked_;
  std::uint64_t cursor_index_ = 0;  // index of the next event to replay
  BlobFiles blobs_;
  std::unique_ptr<TraceeProcess> proc_;
  PendingResume pending_;
  std::optional<std::uint64_t> brk_end_;
  std::optional<int> exit_status_;
  bool signal_injected_ = false;  // a tgkill for the next (AfterSyscall) event is pending
  ExecEvent current_exec_;
  Tid recorded_tid_;
  std::uint64_t log_seen_ = 0;  // bytes of the preload's log accounted for
  std::uint64_t queued_ = 0;    // queued calls not yet accounted for
  std::optional<Event> last_applied_;  // the event the last stop was
  std::map<BlobId, std::uint64_t> tracee_blob_fds_;  // blobs open in the replayed process
};

}  // namespace rrtr
