// What the gdb remote-protocol server needs from whatever it debugs. The replay engine
// implements it (replay/replay_target.h); tests implement it with fakes. The server
// knows nothing of traces, the target nothing of packets.
#pragma once

#include <signal.h>
#include <sys/user.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/types.h"

namespace rrtr {

// The register state gdb sees for one thread: general registers, x87/SSE, and the
// upper halves of the AVX ymm registers (when the CPU has AVX).
struct RegisterSnapshot {
  user_regs_struct gpr{};
  user_fpregs_struct fp{};
  bool has_avx = false;
  std::array<std::array<std::uint8_t, 16>, 16> ymm_high{};
};

enum class BreakpointType : std::uint8_t {
  kSoftware = 0,    // Z0
  kHardware = 1,    // Z1
  kWriteWatch = 2,  // Z2
  kReadWatch = 3,   // Z3
  kAccessWatch = 4  // Z4
};

enum class Direction : std::uint8_t { kForward, kReverse };
enum class ResumeKind : std::uint8_t { kContinue, kStep };

// Why the target stopped after a resume.
struct StopEvent {
  enum class Kind : std::uint8_t {
    kSignal,      // stopped with `signo` (SIGTRAP for breakpoints and steps)
    kWatchpoint,  // a watchpoint at `watch_addr` triggered (signo is SIGTRAP)
    kExited,      // the process exited with `exit_code`
    kKilled,      // the process was killed by `signo`
    kNoHistory,   // reverse execution reached the start, or forward the end of the trace
  };
  Kind kind = Kind::kSignal;
  Tid tid;
  int signo = SIGTRAP;
  int exit_code = 0;
  BreakpointType watch_type = BreakpointType::kWriteWatch;
  RemotePtr watch_addr;
  bool breakpoint = false;  // stopped at a software/hardware breakpoint (swbreak/hwbreak)
};

class DebugTarget {
 public:
  virtual ~DebugTarget() = default;

  virtual Pid pid() const = 0;
  virtual std::vector<Tid> threads() const = 0;

  virtual RegisterSnapshot read_registers(Tid tid) = 0;
  virtual void write_registers(Tid tid, const RegisterSnapshot& regs) = 0;
  // Returns the readable prefix (possibly empty) of [addr, addr+len).
  virtual std::string read_memory(RemotePtr addr, std::size_t len) = 0;
  virtual bool write_memory(RemotePtr addr, std::string_view bytes) = 0;

  // `kind` is gdb's kind/length field (breakpoint length, watched byte count).
  virtual bool insert_breakpoint(BreakpointType type, RemotePtr addr, std::size_t kind) = 0;
  virtual bool remove_breakpoint(BreakpointType type, RemotePtr addr, std::size_t kind) = 0;

  // Runs until something stops it; `signal` is delivered first (forward only).
  virtual StopEvent resume(Tid tid, Direction dir, ResumeKind kind, int signal) = 0;
  // Called from another thread (gdb sent Ctrl-C): makes a running resume() return
  // soon with a SIGINT stop. Must be thread-safe and async-signal-safe.
  virtual void request_interrupt() = 0;
  // Where the target is stopped now (for `?`).
  virtual StopEvent last_stop() const = 0;
  virtual siginfo_t last_siginfo(Tid tid) = 0;

  virtual std::string auxv() = 0;
  virtual std::string exec_file() = 0;
  // Contents of a file of the debugged program (executable, libraries) by the path the
  // program used; nullopt when the target does not have it. Serves vFile for gdb.
  virtual std::optional<std::string> file_contents(const std::string& path) = 0;
  // Text output of `monitor CMD`; nullopt for an unknown command.
  virtual std::optional<std::string> monitor(const std::string& command) = 0;
  // `run` in gdb: go back to the start.
  virtual void restart() = 0;
};

}  // namespace rrtr
