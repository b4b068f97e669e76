// Replay as a debugger target: gdb's continue, step, breakpoints and watchpoints, in
// both directions, on a machine without a tick counter.
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include "gdb/debug_target.h"
#include "replay/position.h"
#include "replay/replay_session.h"

namespace rrtr {

// Checkpoint policy: one at the start, then one every kCheckpointEvery events reached
// going forward, at most kMaxCheckpoints (older ones are thinned, the first is kept),
// plus ones made while stepping backwards. Each is a forked copy of the replayed
// process, so memory costs only what differs (copy-on-write).
inline constexpr std::uint64_t kCheckpointEvery = 256;
inline constexpr std::size_t kMaxCheckpoints = 48;
// Single-step budget for finding the instruction before a position when no cheaper
// way exists (see docs/architecture.md, "Reverse execution").
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
  };
  // A stop met while running ops, with the position it happened at.
  struct Hit {
    Position pos;
    StopEvent stop;
  };

  StopEvent run_op(const Op& op, bool stop_at_boundary = false);
  void apply_write(const Op& op);
  bool modified_by_debugger() const;
  bool next_event_is_this_syscall();
  StopEvent forward(ResumeKind kind);
  StopEvent reverse_continue();
  StopEvent reverse_step();
  void goto_position(const Position& target);
  std::optional<Position> previous_instruction(const Position& p);
  std::optional<Position> before_event(std::uint64_t event_index);
  std::vector<Hit> scan(const Position& from, const Position& to, const BreakpointSet& watch_set);
  void take_checkpoint();
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
};

}  // namespace rrtr
