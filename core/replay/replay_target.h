// Replay as a debugger target: gdb's continue, step, breakpoints and watchpoints, in
// both directions, on a machine without a tick counter.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "gdb/debug_target.h"
#include "replay/position.h"
#include "replay/replay_session.h"
#include "ticks/breakpoint_counter.h"

namespace rrtr {

// Checkpoint policy: one at the start, then one every kCheckpointEvery events reached
// going forward, at most kMaxCheckpoints (older ones are thinned, the first is kept),
// plus ones made while stepping backwards: one every kCheckpointEveryTriggers
// breakpoint hits of a search, the newest kMaxSearchCheckpoints kept. Each is a
// forked copy of the replayed process, so memory costs only what differs
// (copy-on-write).
inline constexpr std::uint64_t kCheckpointEvery = 256;
inline constexpr std::size_t kMaxCheckpoints = 48;
inline constexpr std::uint64_t kCheckpointEveryTriggers = 1024;
inline constexpr std::size_t kMaxSearchCheckpoints = 16;
// Finding the instruction before a position (see docs/architecture.md, "Reverse
// execution"): steps tried before anything else and after each anchor; hits after which
// a candidate address counts as a loop's; anchor rounds; hits one anchor pass may count.
inline constexpr std::uint64_t kNearSteps = 1024;
inline constexpr std::uint64_t kRareCandidateHits = 256;
inline constexpr int kAnchorLevels = 8;
inline constexpr std::uint64_t kSearchTriggerBudget = 20000000;
// Counted runs this long leave the counting to the kernel where it can.
inline constexpr std::uint64_t kKernelCountingFrom = 16;
inline constexpr std::uint64_t kCheckpointEveryKernelCount = 8192;
// Hits of a syscall instruction tried when finding the instruction of an event.
inline constexpr std::uint64_t kReverseStepBudget = 200000;

class ReplayTarget : public DebugTarget {
 public:
  explicit ReplayTarget(const std::filesystem::path& trace_dir);
  ~ReplayTarget() override;

  // Replays to the first failed assertion (or the fatal signal); false if there is none.
  bool goto_failure(std::string* description);
  const Position& position() const { return now_; }
  std::size_t checkpoint_count() const { return checkpoints_.size(); }

  Pid pid() const override { return recorded_pid_; }
  std::vector<Tid> threads() const override;
  RegisterSnapshot read_registers(Tid tid) override;
  void write_registers(Tid tid, const RegisterSnapshot& regs) override;
  std::string read_memory(RemotePtr addr, std::size_t len) override;
  bool write_memory(RemotePtr addr, std::string_view bytes) override;
  bool insert_breakpoint(BreakpointType type, RemotePtr addr, std::size_t kind) override;
  bool remove_breakpoint(BreakpointType type, RemotePtr addr, std::size_t kind) override;
  StopEvent resume(Tid tid, Direction dir, ResumeKind kind, int signal) override;
  void request_interrupt() override;
  StopEvent last_stop() const override { return last_stop_; }
  siginfo_t last_siginfo(Tid tid) override;
  std::string auxv() override;
  std::string exec_file() override;
  std::optional<std::string> file_contents(const std::string& path) override;
  std::optional<std::string> monitor(const std::string& command) override;
  void restart() override;

 private:
  struct Checkpoint {
    Position pos;
    ReplaySession::State state;
    std::unique_ptr<TraceeProcess> proc;
    bool search = false;  // made part-way through a search
  };
  using TriggerCallback = std::function<bool(std::uint64_t, const StopEvent&)>;
  // A stop met while running ops, with the position it happened at.
  struct Hit {
    Position pos;
    StopEvent stop;
  };

  StopEvent run_op(const Op& op, bool stop_at_boundary = false);
  StopEvent run_once(const Op& op, bool stop_at_boundary = false, std::optional<WaitStatus> pending = std::nullopt);
  // Resumes with `set` already armed; the stop if it is one of the set's triggers,
  // else nullopt with the stop in `other`.
  // Resumes the tracee so that request_interrupt() can stop it meanwhile.
  WaitStatus resume_tracee(Resume how);
  // A BreakpointCounter on the tracee; nullopt (and no more tries) if the kernel refuses.
  std::optional<BreakpointCounter> open_counter(std::uint64_t addr, std::uint64_t stop_after, std::string_view label);
  std::optional<StopEvent> armed_trigger(const BreakpointSet& set, WaitStatus* other);
  std::optional<StopEvent> classify_trigger(const BreakpointSet& set, const WaitStatus& st);
  // Up to `wanted` triggers of a set with an execution breakpoint, that breakpoint
  // counted by the kernel (BreakpointCounter); nullopt if it cannot be.
  struct KernelCounted {
    std::uint64_t triggers = 0;     // including `stop` when there is one
    std::optional<StopEvent> stop;  // the last trigger, or none: `status` is something else
    WaitStatus status;
  };
  std::optional<KernelCounted> run_kernel_counted(const BreakpointSet& set, std::uint64_t wanted);
  // Hits of the search's anchor (its last execution breakpoint) on the way to the next
  // trigger of `arrival`, counted by the kernel; nullopt if it cannot be.
  std::optional<std::uint64_t> kernel_count_to(const Op& search, const BreakpointSet& arrival);
  // Runs triggers done+1..op.count of a counted op (now_ holds the first `done`),
  // calling `each` after every one; stops early when it returns false, or when the
  // run leaves the event interval.
  StopEvent run_counted(const Op& op, std::uint64_t done, bool stop_at_boundary, const TriggerCallback& each);
  void push_op(const Op& op);
  void throw_if_interrupted();
  bool at_software_breakpoint_of(const BreakpointSet& set);
  void skip_hardware_breakpoint_here(const BreakpointSet& set);
  void apply_write(const Op& op);
  bool modified_by_debugger() const;
  bool next_event_is_this_syscall();
  StopEvent forward(ResumeKind kind);
  StopEvent reverse_continue();
  StopEvent reverse_step();
  void goto_position(const Position& target);
  std::optional<Position> previous_instruction(const Position& p);
  static BreakpointSet arrival_at(const BreakpointSet& set, std::uint64_t pc);
  std::optional<Position> search_previous(Position start, const BreakpointSet& arrival, const Registers& target);
  std::optional<Position> last_trigger_before(const Position& from, const Op& search, const BreakpointSet& arrival);
  std::optional<Position> step_towards(const Registers& target, std::uint64_t budget,
                                       std::map<std::uint64_t, std::uint64_t>* pcs);
  std::optional<Position> before_event(std::uint64_t event_index);
  std::optional<Hit> scan(const Position& from, const Position& to, const BreakpointSet& watch_set);
  void take_checkpoint(bool search = false);
  void maybe_checkpoint();
  const Checkpoint& best_checkpoint(const Position& target) const;
  std::unique_ptr<TraceeProcess> fork_of(TraceeProcess& proc, const Registers& regs);
  StopEvent stop_here(StopEvent::Kind kind, int signo = SIGTRAP);
  bool regs_equal(const Registers& a, const Registers& b) const;
  void update_echo();

  ReplaySession session_;
  Position now_;
  Position start_;
  bool now_known_ = true;
  BreakpointSet user_;
  std::vector<Checkpoint> checkpoints_;
  StopEvent last_stop_;
  siginfo_t last_siginfo_{};
  std::atomic<bool> interrupt_requested_{false};
  std::atomic<pid_t> running_pid_{0};
  std::uint64_t high_water_ = 0;   // furthest event reached: output is echoed only there
  std::uint64_t next_auto_checkpoint_ = kCheckpointEvery;
  Pid recorded_pid_;
  bool end_reported_ = false;
  bool kernel_counting_ = true;  // until perf breakpoints turn out unavailable
};

}  // namespace rrtr
