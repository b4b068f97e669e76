// Internal: the gtest event listener. Users install it through
// rrtr::install_gtest_listener(), which guards against double installation.
#ifndef RRTR_GTEST_LISTENER_H
#define RRTR_GTEST_LISTENER_H

#include <string>

#include <gtest/gtest.h>

namespace rrtr::detail {

// Translates gtest events into markers; it prints nothing, so it can sit beside any
// other listener or result printer.
class GTestMarkerListener : public testing::EmptyTestEventListener {
 public:
  void OnTestStart(const testing::TestInfo& info) override;
  void OnTestPartResult(const testing::TestPartResult& result) override;
  void OnTestEnd(const testing::TestInfo& info) override;

 private:
  // gtest calls OnTestPartResult while holding UnitTest's mutex, so asking
  // UnitTest::current_test_info() there would deadlock; the name is kept instead.
  // Empty outside a test (failures in environments or suite set-up).
  std::string current_;
};

}  // namespace rrtr::detail

#endif
