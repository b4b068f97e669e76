// Questions every renderer asks of a report: which tests failed, and what their
// first kept failure looked like.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rrtr/reports/report.h"

namespace rrtr::reports::detail {

// A test's earliest kept failure: the run it happened in and the test's entry there.
struct FirstFailure {
  const Failure* run;
  const FailedTest* test;
};

std::optional<FirstFailure> first_failure_of(const Report& report, std::string_view test_name);

// tests[] entries with at least one failed run, in report order.
std::vector<const TestStats*> failing_tests(const Report& report);

// Kept failing runs that name no failing test (a crash before or between tests, a
// hang): without them a crash in main would not show up at all.
std::vector<const Failure*> unattributed_failures(const Report& report);

// "signal SIGSEGV", "exit status 1", "timed out" (joined with ", " when several).
std::string describe_outcome(const Failure& failure);

// "a_test.cc:12", "a_test.cc", or empty when the file is unknown. Lines below 1 are
// treated as unknown since frameworks use 0 or -1 for that.
std::string describe_location(const FailedTest& test);

// "3 of 200 runs failed (1.5%)"
std::string describe_flakiness(const TestStats& test);

// The percentage with three significant digits, so 1 in 10000 is not shown as 0.0%.
std::string percent(double rate);

// The test binary's file name; the classname for tests that have no "Suite." part.
std::string program_name(const Report& report);

}  // namespace rrtr::reports::detail
