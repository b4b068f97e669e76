#include "listener.h"

#include <string>

#include "rrtr/adapter_markers.h"

namespace rrtr::detail {
namespace {

// Suite and case joined as gtest prints them; for parameterized tests the suite
// already carries the instantiation prefix and the case the "/index" suffix.
std::string full_name(const testing::TestInfo& info) {
  return std::string(info.test_suite_name()) + "." + info.name();
}

}  // namespace

void GTestMarkerListener::OnTestStart(const testing::TestInfo& info) {
  current_ = full_name(info);
  markers::test_started("gtest", current_);
}

void GTestMarkerListener::OnTestPartResult(const testing::TestPartResult& result) {
  if (!result.failed()) return;  // successes and GTEST_SKIP also arrive here
  const char* file = result.file_name();
  // summary() is the message without gtest's stack trace, which is what a person
  // scanning a list of failures wants to read.
  markers::assertion_failed(current_,
                            {file ? file : "", result.line_number() > 0 ? result.line_number() : 0},
                            result.summary());
}

void GTestMarkerListener::OnTestEnd(const testing::TestInfo& info) {
  const testing::TestResult* result = info.result();
  markers::test_ended(current_, !result->Failed(), result->Skipped(), result->elapsed_time());
  current_.clear();
}

}  // namespace rrtr::detail
