#include "failure_lookup.h"

#include <fmt/format.h>

#include <filesystem>

namespace rrtr::reports::detail {

std::optional<FirstFailure> first_failure_of(const Report& report, std::string_view test_name) {
  for (const Failure& run : report.failures) {
    for (const FailedTest& test : run.failed_tests) {
      if (test.name == test_name) return FirstFailure{&run, &test};
    }
  }
  return std::nullopt;
}

std::vector<const TestStats*> failing_tests(const Report& report) {
  std::vector<const TestStats*> out;
  for (const TestStats& t : report.tests) {
    if (t.failed > 0) out.push_back(&t);
  }
  return out;
}

std::vector<const Failure*> unattributed_failures(const Report& report) {
  std::vector<const Failure*> out;
  for (const Failure& f : report.failures) {
    if (f.failed_tests.empty()) out.push_back(&f);
  }
  return out;
}

std::string describe_outcome(const Failure& failure) {
  std::string out;
  auto add = [&out](const std::string& part) { out += out.empty() ? part : ", " + part; };
  if (failure.timed_out) add("timed out");
  if (failure.signal) add("signal " + *failure.signal);
  if (failure.exit_status) add(fmt::format("exit status {}", *failure.exit_status));
  return out.empty() ? "failed" : out;
}

std::string describe_location(const FailedTest& test) {
  if (test.file.empty()) return {};
  if (test.line && *test.line > 0) return fmt::format("{}:{}", test.file, *test.line);
  return test.file;
}

std::string describe_flakiness(const TestStats& test) {
  return fmt::format("{} of {} runs failed ({})", test.failed, test.runs, percent(test.flake_rate));
}

std::string percent(double rate) { return fmt::format("{:.3g}%", rate * 100.0); }

std::string program_name(const Report& report) {
  std::string name = std::filesystem::path(report.program).filename().string();
  return name.empty() ? std::string(kToolName) : name;
}

}  // namespace rrtr::reports::detail
