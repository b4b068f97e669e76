// Recognising Google Test and Catch2 binaries and listing their test cases.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace rrtr::cli {

enum class Framework { kNone, kGtest, kCatch2 };

const char* framework_name(Framework f);
// By the framework's own flag names compiled into the binary; no code is run.
Framework detect_framework(const std::filesystem::path& program);
// Runs the binary's listing mode (with `filter` applied by the framework itself).
std::vector<std::string> list_tests(const std::filesystem::path& program, const std::vector<std::string>& args,
                                    Framework fw, const std::optional<std::string>& filter);
// The arguments that make the binary run only the cases `filter` selects.
std::vector<std::string> filter_args(Framework fw, const std::string& filter);
// Parses `--gtest_list_tests` output (exposed for tests).
std::vector<std::string> parse_gtest_list(const std::string& output);

}  // namespace rrtr::cli
