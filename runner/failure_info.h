// What failed in a run: from the test markers in its trace, or, for a binary without
// an adapter, from the framework's own output.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "rrtr/reports/report.h"
#include "test_discovery.h"

namespace rrtr::cli {

// The tests one run executed and the failures it reported.
struct RunTests {
  bool from_markers = false;
  std::map<std::string, bool> outcome;  // test name -> passed
  std::vector<reports::FailedTest> failures;
};

// Reads the marker events of a trace (an incomplete trace gives what it has).
RunTests tests_from_trace(const std::filesystem::path& trace);
// Parses Google Test or Catch2 console output.
RunTests tests_from_output(Framework fw, const std::string& output);

}  // namespace rrtr::cli
