// Catch2 3.x listener; built instead of listener_v2.cc when CMake finds Catch2 3.
#include <catch2/catch_version_macros.hpp>

#if CATCH_VERSION_MAJOR >= 3

#include <chrono>
#include <string>

#include <catch2/catch_test_case_info.hpp>
#include <catch2/reporters/catch_reporter_event_listener.hpp>
#include <catch2/reporters/catch_reporter_registrars.hpp>

#include "assertion_text.h"
#include "rrtr/adapter_markers.h"

namespace rrtr::detail {
namespace {

// SKIP() and the skipped counter arrived in 3.3; before that nothing is skipped.
template <class Counts>
bool skipped_without_failure([[maybe_unused]] const Counts& counts) {
#if CATCH_VERSION_MAJOR > 3 || CATCH_VERSION_MINOR >= 3
  return counts.skipped > 0 && counts.failed == 0;
#else
  return false;
#endif
}

}  // namespace

// Same events and payloads as the 2.x listener; only Catch2's types differ.
class Catch2MarkerListener : public Catch::EventListenerBase {
 public:
  using EventListenerBase::EventListenerBase;

  void testCaseStarting(const Catch::TestCaseInfo& info) override {
    current_ = info.name;
    started_ = std::chrono::steady_clock::now();
    markers::test_started("catch2", current_);
  }

  void assertionEnded(const Catch::AssertionStats& stats) override {
    if (stats.assertionResult.isOk()) return;
    const Catch::SourceLineInfo where = stats.assertionResult.getSourceInfo();
    markers::assertion_failed(current_,
                              {where.file ? where.file : "", static_cast<long>(where.line)},
                              describe_failure(stats));
  }

  void testCaseEnded(const Catch::TestCaseStats& stats) override {
    const auto elapsed = std::chrono::steady_clock::now() - started_;
    const bool skipped = skipped_without_failure(stats.totals.assertions);
    markers::test_ended(stats.testInfo->name, stats.totals.assertions.failed == 0, skipped,
                        std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count());
  }

 private:
  std::string current_;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace rrtr::detail

extern "C" void rrtr_catch2_autoregister() {}

namespace {
using rrtr_catch2_marker_listener = rrtr::detail::Catch2MarkerListener;
}
CATCH_REGISTER_LISTENER(rrtr_catch2_marker_listener)

#endif
