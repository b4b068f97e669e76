#include "ctest_tests.h"

#include <sys/wait.h>

#include <nlohmann/json.hpp>

#include <algorithm>

#include "common/error.h"
#include "subprocess.h"

namespace rrtr::cli {

namespace {
// A build directory set up with rrtr_record_tests runs each test through
// `rr-test-runner record ... --`; this runner records by itself, so the launcher goes.
void strip_recorder_launcher(std::vector<std::string>& command) {
  if (command.size() < 2 || std::filesystem::path(command[0]).filename() != "rr-test-runner" || command[1] != "record") return;
  auto dd = std::find(command.begin(), command.end(), "--");
  if (dd != command.end()) command.erase(command.begin(), dd + 1);
}
}  // namespace

std::vector<CTestTest> parse_ctest_json(const std::string& text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object() || !j.contains("tests") || !j["tests"].is_array())
    fail(ExitCode::kBadInput, "ctest --show-only=json-v1 did not print a test list");
  std::vector<CTestTest> tests;
  for (const auto& t : j["tests"]) {
    if (!t.is_object() || !t.contains("command") || !t["command"].is_array()) continue;  // a test without a command (NOT_AVAILABLE)
    CTestTest test;
    test.name = t.value("name", "");
    for (const auto& c : t["command"]) test.command.push_back(c.get<std::string>());
    for (const auto& p : t.value("properties", nlohmann::json::array())) {
      const std::string prop = p.value("name", "");
      if (prop == "WORKING_DIRECTORY" && p["value"].is_string()) test.cwd = p["value"].get<std::string>();
      if (prop == "ENVIRONMENT" && p["value"].is_array())
        for (const auto& e : p["value"]) test.env.push_back(e.get<std::string>());
    }
    strip_recorder_launcher(test.command);
    if (!test.command.empty()) tests.push_back(std::move(test));
  }
  return tests;
}

std::vector<CTestTest> list_ctest_tests(const std::vector<std::string>& ctest_args) {
  std::vector<std::string> argv = {"ctest", "--show-only=json-v1"};
  argv.insert(argv.end(), ctest_args.begin(), ctest_args.end());
  auto [status, out] = run_capture(argv);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    fail(ExitCode::kBadInput, "ctest --show-only=json-v1 failed: {}", out.substr(0, out.find('\n')));
  return parse_ctest_json(out);
}

}  // namespace rrtr::cli
