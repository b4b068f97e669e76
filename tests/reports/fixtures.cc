#include "fixtures.h"

#include "rrtr/reports/shell.h"

namespace rrtr::reports::testing {

Report full_report() {
  Report r;
  r.tool.version = "0.1.0";
  r.command = {"rr-test-runner", "--until-fail", "500", "--filter", "Net.*", "./build/net_test"};
  r.program = "./build/net_test";
  r.started_at = "2025-03-01T10:15:30.250Z";
  r.duration_s = 84.25;
  r.host = {"6.1.0-18-amd64", "AMD EPYC 7763 64-Core Processor", true, TickBackend::perf};
  r.options = {RunMode::until_fail, 500, 2, true, std::string("Net.*"), 1234, true};
  r.runs = {137, 135, 2, 1};
  r.tests = {{"Net.Connect", 136, 136, 0, 0.0}, {"Net.Reconnect", 136, 134, 2, flake_rate(2, 136)}};
  Failure f;
  f.run_index = 41;
  f.exit_status = 1;
  f.signal = "SIGABRT";
  f.timed_out = true;
  f.duration_s = 0.625;
  f.failed_tests = {{"Net.Reconnect", "tests/net_test.cc", 88, "Expected: ok\n  Actual: timeout"}};
  f.trace = "rr-traces/run-41";
  f.trace_size_bytes = 12582912;
  f.replay_command = shell_join({"rr-test-runner", "replay", f.trace});
  f.goto_failure_command = shell_join({"rr-test-runner", "replay", "--goto-failure", f.trace});
  f.seed = 1275;
  f.shard = 0;
  r.failures = {f};
  r.merge = MergeInfo{{"shard-a/report.json"}, true};
  return r;
}

Report passing_report() {
  Report r;
  r.tool.version = "0.1.0";
  r.command = {"rr-test-runner", "--repeat", "3", "./t"};
  r.program = "./t";
  r.started_at = "2025-03-01T10:15:30Z";
  r.duration_s = 1.5;
  r.options.mode = RunMode::repeat;
  r.options.count = 3;
  r.runs = {3, 3, 0, 0};
  r.tests = {{"Solo", 3, 3, 0, 0.0}};
  return r;
}

Report shard_report(std::string origin, std::uint64_t attempted,
                    std::vector<std::uint64_t> failing_runs, std::uint64_t seed) {
  Report r = passing_report();
  r.origin = std::move(origin);
  r.options.seed = seed;
  std::uint64_t failed = failing_runs.size();
  r.runs = {attempted, attempted - failed, failed, 0};
  r.tests = {
      {"Net.Connect", attempted, attempted, 0, 0.0},
      {"Net.Reconnect", attempted, attempted - failed, failed, flake_rate(failed, attempted)}};
  for (std::uint64_t index : failing_runs) {
    Failure f;
    f.run_index = index;
    f.exit_status = 1;
    f.failed_tests = {{"Net.Reconnect", "net_test.cc", 88, "boom"}};
    f.trace = r.origin + "/run-" + std::to_string(index);
    f.replay_command = shell_join({"rr-test-runner", "replay", f.trace});
    r.failures.push_back(f);
  }
  return r;
}

}  // namespace rrtr::reports::testing
