// The runner: re-executes a test binary under recording, keeps the failing traces,
// and writes the reports.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace rrtr::cli {

// Exit statuses of the runner (README.md): 0 every run passed, 1 a failure was recorded;
// 240 usage, 243 runs that could not be recorded.
struct RunnerOptions {
  std::vector<std::string> command;  // program and its arguments
  std::vector<std::string> self_argv;  // the runner's own argv, for the report
  std::optional<std::uint64_t> until_fail;  // cap on attempts
  std::optional<std::uint64_t> repeat;
  unsigned jobs = 1;
  std::optional<double> timeout_s;
  std::optional<std::uint64_t> seed;
  bool chaos = false;
  std::string keep = "failing";  // all | failing | none
  std::filesystem::path traces_dir = "rr-traces";
  bool per_test = false;
  std::optional<std::string> filter;
  std::optional<std::filesystem::path> report;  // default TRACES_DIR/report.json
  std::optional<std::filesystem::path> junit;
  // `rr-test-runner ctest`: the tests come from `ctest --show-only=json-v1 ARGS`.
  std::optional<std::vector<std::string>> ctest_args;
};

inline constexpr std::uint64_t kDefaultUntilFailCap = 1000;

int run_flaky(const RunnerOptions& options);

}  // namespace rrtr::cli
