// A DebugTarget that "is" a static ELF program without running it: memory comes from
// the PT_LOAD segments, execution is simulated just enough for gdb. The program's
// "execution" is a scripted timeline: the named functions' code, one after the other.
// Continuing stops at the next inserted breakpoint along it (or fires an inserted write
// watchpoint, writing to the watched int first), else the program exits; reverse
// continuing stops at the previous breakpoint, else reports the start of history.
#pragma once

#include <atomic>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "gdb/debug_target.h"

namespace rrtr::gdb::testing {

class ElfProgramTarget : public DebugTarget {
 public:
  // `real_path` is read; gdb is told the program lives at `reported_path`, so that it
  // can only get the file through vFile.
  // `timeline` names functions in the order they "run"; the first starts at the entry.
  ElfProgramTarget(const std::string& real_path, std::string reported_path, const std::vector<std::string>& timeline);

  Pid pid() const override { return Pid{kTid}; }
  std::vector<Tid> threads() const override { return {Tid{kTid}}; }
  RegisterSnapshot read_registers(Tid) override { return regs_; }
  void write_registers(Tid, const RegisterSnapshot& regs) override { regs_ = regs; }
  std::string read_memory(RemotePtr addr, std::size_t len) override;
  bool write_memory(RemotePtr addr, std::string_view bytes) override;
  bool insert_breakpoint(BreakpointType type, RemotePtr addr, std::size_t kind) override;
  bool remove_breakpoint(BreakpointType type, RemotePtr addr, std::size_t kind) override;
  StopEvent resume(Tid tid, Direction dir, ResumeKind kind, int signal) override;
  void request_interrupt() override {}
  StopEvent last_stop() const override { return stop_; }
  siginfo_t last_siginfo(Tid) override;
  std::string auxv() override;
  std::string exec_file() override { return reported_path_; }
  std::optional<std::string> file_contents(const std::string& path) override;
  std::optional<std::string> monitor(const std::string& command) override;
  void restart() override;

  static constexpr pid_t kTid = 4242;
  std::uint64_t entry() const { return entry_; }

  // What the session did, for the test to check.
  std::vector<std::string> files_served;
  std::vector<std::pair<BreakpointType, std::uint64_t>> inserted;
  int reverse_resumes = 0;
  int forward_resumes = 0;
  int restarts = 0;

 private:
  struct Range {
    std::uint64_t begin;
    std::uint64_t end;
  };
  // Position along the timeline: which range, then the pc.
  std::size_t range_of(std::uint64_t pc) const;
  void reset_to_entry();
  // The first code breakpoint strictly after (or before) the current position.
  std::optional<std::uint64_t> next_breakpoint(bool forward) const;

  std::string elf_;
  std::vector<Range> timeline_;
  std::size_t position_ = 0;
  std::string reported_path_;
  std::uint64_t entry_ = 0;
  std::map<std::uint64_t, std::string> memory_;
  std::set<std::uint64_t> code_breakpoints_;
  std::set<std::uint64_t> write_watches_;
  RegisterSnapshot regs_;
  StopEvent stop_;
};

}  // namespace rrtr::gdb::testing
