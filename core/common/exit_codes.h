// The exit statuses of rr-test-runner, documented in README.md. Statuses of the
// recorded program itself (0..255, 128+N for signal N) pass through record and replay;
// the tool's own failures use the range 240..249, which test programs rarely use.
#pragma once

namespace rrtr {

enum class ExitCode : int {
  kUsage = 240,            // bad command line
  kBadInput = 241,         // missing/unreadable program, not an executable, bad trace path
  kTraceCorrupt = 242,     // trace damaged, truncated or of an unknown version
  kUnsupported = 243,      // the program did something the engine cannot record yet
  kDiverged = 244,         // replay did not follow the recording
  kIncompleteTrace = 245,  // replay reached the end of a trace that was cut short
  kInterrupted = 246,      // the recorder was stopped by SIGINT/SIGTERM
  kHostMismatch = 247,     // replay host lacks a CPU feature the recording used
  kHostRefused = 248,      // the system forbids what the engine needs (ptrace, seccomp)
  kInternal = 249,         // a bug in rr-test-runner or an unexpected kernel answer
};

constexpr int to_int(ExitCode c) { return static_cast<int>(c); }

}  // namespace rrtr
