#include "test_discovery.h"

#include <sys/wait.h>

#include <algorithm>
#include <sstream>

#include "common/error.h"
#include "common/files.h"
#include "subprocess.h"

namespace rrtr::cli {

const char* framework_name(Framework f) {
  switch (f) {
    case Framework::kGtest: return "gtest";
    case Framework::kCatch2: return "catch2";
    case Framework::kNone: return "none";
  }
  return "none";
}

Framework detect_framework(const std::filesystem::path& program) {
  auto bytes = read_file(program);
  if (!bytes) return Framework::kNone;
  if (bytes->find("gtest_list_tests") != std::string::npos) return Framework::kGtest;
  if (bytes->find("list-test-names-only") != std::string::npos ||
      (bytes->find("--list-tests") != std::string::npos && bytes->find("Catch") != std::string::npos))
    return Framework::kCatch2;
  return Framework::kNone;
}

std::vector<std::string> parse_gtest_list(const std::string& output) {
  std::vector<std::string> tests;
  std::istringstream in(output);
  std::string line, suite;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto hash = line.find('#');
    if (hash != std::string::npos) line.erase(hash);
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
    if (line.empty()) continue;
    if (line[0] != ' ') {
      suite = line;  // "Suite." (the trailing dot is part of gtest's format)
    } else {
      auto name = line.substr(line.find_first_not_of(' '));
      tests.push_back(suite + name);
    }
  }
  return tests;
}

std::vector<std::string> filter_args(Framework fw, const std::string& filter) {
  if (fw == Framework::kGtest) return {"--gtest_filter=" + filter};
  if (fw == Framework::kCatch2) return {filter};
  return {};
}

std::vector<std::string> list_tests(const std::filesystem::path& program, const std::vector<std::string>& args,
                                    Framework fw, const std::optional<std::string>& filter) {
  std::vector<std::string> argv = {program.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  if (filter) {
    auto f = filter_args(fw, *filter);
    argv.insert(argv.end(), f.begin(), f.end());
  }
  if (fw == Framework::kGtest) argv.push_back("--gtest_list_tests");
  if (fw == Framework::kCatch2) argv.push_back("--list-test-names-only");
  auto [status, out] = run_capture(argv);
  if (!WIFEXITED(status) || (fw == Framework::kGtest && WEXITSTATUS(status) != 0))
    fail(ExitCode::kBadInput, "{} did not list its tests ({} --gtest_list_tests failed)", program.string(), framework_name(fw));
  if (fw == Framework::kGtest) return parse_gtest_list(out);
  std::vector<std::string> tests;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty() && line.find_first_not_of(' ') != std::string::npos) tests.push_back(line);
  return tests;
}

}  // namespace rrtr::cli
