// The tests of a CMake build directory, as `ctest --show-only=json-v1` describes them.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace rrtr::cli {

struct CTestTest {
  std::string name;
  std::vector<std::string> command;
  std::vector<std::string> env;  // NAME=value from the ENVIRONMENT property
  std::filesystem::path cwd;     // WORKING_DIRECTORY, if set
};

// Runs `ctest --show-only=json-v1 ARGS` in the current directory.
std::vector<CTestTest> list_ctest_tests(const std::vector<std::string>& ctest_args);
// Parses its output (exposed for tests).
std::vector<CTestTest> parse_ctest_json(const std::string& json_text);

}  // namespace rrtr::cli
