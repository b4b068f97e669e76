// The subcommands of rr-test-runner. Each returns the process exit status.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace rrtr::cli {

struct RecordArgs {
  std::optional<std::filesystem::path> output;  // -o TRACE
  std::filesystem::path traces_dir = "rr-traces";
  std::string keep = "all";  // all | failing
  std::optional<int> cpu;
  std::vector<std::string> command;
};
int record(const RecordArgs& a);

struct ReplayArgs {
  std::filesystem::path trace;
  bool autopilot = false;
  bool goto_failure = false;
  bool quiet = false;  // do not echo the program's output
  std::optional<std::uint16_t> gdb_port;  // serve on 127.0.0.1:PORT instead of starting gdb
  std::vector<std::string> gdb_args;      // passed to gdb after its own
};
int replay(const ReplayArgs& a);

int dump(const std::filesystem::path& trace);
// Prints docs/syscalls.md, generated from the syscall table.
int syscalls_doc();

int merge_reports(const std::vector<std::filesystem::path>& inputs, const std::filesystem::path& out);
int pack(const std::filesystem::path& trace, const std::filesystem::path& out);

// A trace path that does not exist yet: DIR/NAME-N.
std::filesystem::path fresh_trace_path(const std::filesystem::path& dir, const std::string& program);

}  // namespace rrtr::cli
