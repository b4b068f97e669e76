// An in-memory DebugTarget for exercising the server packet by packet: registers per
// thread, sparse memory, a breakpoint set, and scripted resumes. It records every call
// the server makes so tests can check what a packet turned into.
#pragma once

#include <atomic>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "gdb/debug_target.h"

namespace rrtr::gdb::testing {

// One resume() the server asked for.
struct ResumeCall {
  Tid tid;
  Direction direction;
  ResumeKind kind;
  int signal;
};

class FakeTarget : public DebugTarget {
 public:
  FakeTarget();

  Pid pid() const override { return process; }
  std::vector<Tid> threads() const override { return thread_ids; }
  RegisterSnapshot read_registers(Tid tid) override;
  void write_registers(Tid tid, const RegisterSnapshot& regs) override;
  std::string read_memory(RemotePtr addr, std::size_t len) override;
  bool write_memory(RemotePtr addr, std::string_view bytes) override;
  bool insert_breakpoint(BreakpointType type, RemotePtr addr, std::size_t kind) override;
  bool remove_breakpoint(BreakpointType type, RemotePtr addr, std::size_t kind) override;
  StopEvent resume(Tid tid, Direction dir, ResumeKind kind, int signal) override;
  void request_interrupt() override { interrupted = true; }
  StopEvent last_stop() const override { return stop; }
  siginfo_t last_siginfo(Tid tid) override;
  std::string auxv() override { return auxv_bytes; }
  std::string exec_file() override { return exec_path; }
  std::optional<std::string> file_contents(const std::string& path) override;
  std::optional<std::string> monitor(const std::string& command) override;
  void restart() override;

  // Maps `bytes` at `addr` (regions must not overlap).
  void map(std::uint64_t addr, std::string bytes) { memory[addr] = std::move(bytes); }
  // Blocks the next resumes until request_interrupt(), then stops with SIGINT.
  void resume_until_interrupted();

  Pid process{100};
  std::vector<Tid> thread_ids{Tid{101}, Tid{102}};
  std::map<pid_t, RegisterSnapshot> registers;
  std::map<std::uint64_t, std::string> memory;
  std::set<std::tuple<BreakpointType, std::uint64_t, std::size_t>> breakpoints;
  // resume() returns these in order; when empty it stops with SIGTRAP on the thread.
  std::deque<StopEvent> script;
  // Replaces the script when set.
  std::function<StopEvent(Tid, Direction, ResumeKind, int)> on_resume;
  std::vector<ResumeCall> resumes;
  std::atomic<bool> interrupted{false};
  StopEvent stop;
  std::string auxv_bytes;
  std::string exec_path = "/bin/fake";
  std::map<std::string, std::string> files;
  std::vector<std::string> files_asked;
  std::map<std::string, std::string> monitor_answers;
  int restarts = 0;
};

}  // namespace rrtr::gdb::testing
