// Recording a program into a trace.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace rrtr {

struct RecordOptions {
  std::vector<std::string> argv;          // argv[0] is the program (searched in PATH)
  std::filesystem::path trace_dir;        // created; must not exist yet
  std::filesystem::path blob_store;       // shared content-addressed store
  std::optional<int> cpu;                 // default: choose_cpu()
};

struct RecordResult {
  int status = 0;            // the program's status as a shell reports it
  int fatal_signal = 0;      // the signal that killed it, or 0
  bool complete = true;      // false when recording stopped early (see `problem`)
  std::string problem;       // why the trace is incomplete
  int problem_exit = 0;      // the exit code for that problem (ExitCode)
};

// Runs the program to its end under recording. Bad input (missing program, not an
// executable, trace dir exists) throws Error before anything runs; a problem met
// during recording (unsupported syscall, interruption) ends the recording, leaves a
// trace marked incomplete, and is reported in the result.
RecordResult record(const RecordOptions& options);

// The preload library that keeps std::random_device off RDRAND, or empty.
std::filesystem::path find_preload_library();

// Resolves argv[0] like execvp would and checks it can be run; throws Error(kBadInput).
std::filesystem::path resolve_program(const std::string& name);

}  // namespace rrtr
