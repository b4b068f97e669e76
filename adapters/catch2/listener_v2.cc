// Catch2 2.x listener. Catch2 2.x is header-only: the implementation lives in the
// user's CATCH_CONFIG_MAIN file, and this file only needs the listener interfaces.
#define CATCH_CONFIG_EXTERNAL_INTERFACES
#include <catch2/catch.hpp>

#if CATCH_VERSION_MAJOR < 3

#include <chrono>
#include <string>

#include "assertion_text.h"
#include "rrtr/adapter_markers.h"

namespace rrtr::detail {

// Sends markers for test cases and failed assertions. Sections re-run a test case's
// body but belong to one test case, so only test-case events become markers.
class Catch2MarkerListener : public Catch::TestEventListenerBase {
 public:
  using TestEventListenerBase::TestEventListenerBase;

  void testCaseStarting(const Catch::TestCaseInfo& info) override {
    TestEventListenerBase::testCaseStarting(info);
    current_ = info.name;
    started_ = std::chrono::steady_clock::now();
    markers::test_started("catch2", current_);
  }

  bool assertionEnded(const Catch::AssertionStats& stats) override {
    // isOk() is also true for failures Catch2 tolerates ([!mayfail], CHECK_NOFAIL).
    if (!stats.assertionResult.isOk()) {
      const Catch::SourceLineInfo where = stats.assertionResult.getSourceInfo();
      markers::assertion_failed(current_,
                                {where.file ? where.file : "", static_cast<long>(where.line)},
                                describe_failure(stats));
    }
    return TestEventListenerBase::assertionEnded(stats);
  }

  void testCaseEnded(const Catch::TestCaseStats& stats) override {
    // Catch2 2.x measures sections but not test cases, hence our own clock.
    const auto elapsed = std::chrono::steady_clock::now() - started_;
    markers::test_ended(stats.testInfo.name, stats.totals.assertions.failed == 0, false,
                        std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count());
    TestEventListenerBase::testCaseEnded(stats);
  }

 private:
  std::string current_;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace rrtr::detail

// The linker keeps this file (and so the registrar below) because the CMake target
// declares this symbol undefined.
extern "C" void rrtr_catch2_autoregister() {}

namespace {
using rrtr_catch2_marker_listener = rrtr::detail::Catch2MarkerListener;
}
CATCH_REGISTER_LISTENER(rrtr_catch2_marker_listener)

#endif
