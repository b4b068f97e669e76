// The report of one rr-test-runner invocation, as plain data.
//
// These structs mirror docs/report-schema.md field for field; the JSON layer is the
// only place that knows the wire names.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rrtr::reports {

// Bumped whenever a reader of the previous version could misread a new document.
inline constexpr int kSchemaVersion = 1;
inline constexpr std::string_view kToolName = "rr-test-runner";

// Which mechanism the recorder used to count progress for asynchronous events.
enum class TickBackend { none, perf, cov };

// until_fail stops at the first failing run (count caps the attempts); repeat always
// performs count runs.
enum class RunMode { until_fail, repeat };

// Identifies the program that wrote the report.
struct ToolInfo {
  std::string name{kToolName};
  std::string version;
  bool operator==(const ToolInfo&) const = default;
};

// The machine the runs were recorded on; replaying elsewhere may diverge.
struct HostInfo {
  std::string kernel;  // uname release
  std::string cpu_model;
  bool pmu_present = false;
  TickBackend tick_backend = TickBackend::none;
  bool operator==(const HostInfo&) const = default;
};

// How the runner was asked to run the program.
struct RunOptions {
  RunMode mode = RunMode::until_fail;
  std::uint64_t count = 0;  // until_fail: cap on attempts; repeat: number of runs
  std::uint64_t jobs = 1;
  bool per_test = false;
  std::optional<std::string> filter;
  std::optional<std::uint64_t> seed;
  bool chaos = false;
  bool operator==(const RunOptions&) const = default;
};

// Outcome counts over every run attempted in the invocation.
struct RunCounts {
  std::uint64_t attempted = 0;
  std::uint64_t passed = 0;
  std::uint64_t failed = 0;
  std::uint64_t could_not_record = 0;
  bool operator==(const RunCounts&) const = default;
};

// How often one test failed across all runs.
struct TestStats {
  std::string name;
  std::uint64_t runs = 0;
  std::uint64_t passed = 0;
  std::uint64_t failed = 0;
  double flake_rate = 0.0;  // failed / runs; keep in step with flake_rate()
  bool operator==(const TestStats&) const = default;
};

// One failing assertion or test inside a failing run.
struct FailedTest {
  std::string name;
  std::string file;  // empty when the framework did not say
  std::optional<std::int64_t> line;
  std::string message;
  bool operator==(const FailedTest&) const = default;
};

// A failing run whose trace was kept.
struct Failure {
  std::uint64_t run_index = 0;        // 0-based position among the invocation's runs
  std::optional<int> exit_status;     // absent when killed by a signal
  std::optional<std::string> signal;  // e.g. "SIGSEGV"
  bool timed_out = false;
  double duration_s = 0.0;
  std::vector<FailedTest> failed_tests;
  std::string trace;
  std::uint64_t trace_size_bytes = 0;
  std::string replay_command;        // shell-quoted, copy-pasteable
  std::string goto_failure_command;  // shell-quoted, copy-pasteable
  std::optional<std::uint64_t> seed;
  std::optional<std::uint64_t> shard;  // set by merge_reports only
  bool operator==(const Failure&) const = default;
};

// Present only on a report produced by merge_reports.
struct MergeInfo {
  std::vector<std::string> merged_from;  // origins of the inputs, in shard order
  bool hosts_differ = false;
  bool operator==(const MergeInfo&) const = default;
};

// Everything one invocation (or a merge of shards) has to say.
struct Report {
  int schema_version = kSchemaVersion;
  ToolInfo tool;
  std::vector<std::string> command;  // the runner's own argv
  std::string program;               // the test binary as given on the command line
  std::string started_at;            // RFC 3339, UTC
  double duration_s = 0.0;
  HostInfo host;
  RunOptions options;
  RunCounts runs;
  std::vector<TestStats> tests;
  std::vector<Failure> failures;
  std::optional<MergeInfo> merge;
  // Where the report was read from (set by parse_report) so merge_reports can name
  // its inputs. Never serialized, but operator== compares it like any other member.
  std::string origin;
  bool operator==(const Report&) const = default;
};

// failed / runs, and 0 for a test that never ran (rather than NaN).
double flake_rate(std::uint64_t failed, std::uint64_t runs);

std::string_view to_string(TickBackend backend);
std::string_view to_string(RunMode mode);
// Inverse of to_string; nullopt for anything else.
std::optional<TickBackend> parse_tick_backend(std::string_view text);
std::optional<RunMode> parse_run_mode(std::string_view text);

}  // namespace rrtr::reports
