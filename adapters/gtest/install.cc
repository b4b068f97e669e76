#include <atomic>

#include "listener.h"
#include "rrtr/gtest_adapter.h"

namespace rrtr {

bool install_gtest_listener() {
  // gtest offers no way to enumerate installed listeners, so the guard against a
  // second copy (automatic plus explicit installation) has to live here.
  static std::atomic<bool> installed{false};
  if (installed.exchange(true)) return false;
  // The listener list takes ownership and deletes it when the UnitTest goes away.
  testing::UnitTest::GetInstance()->listeners().Append(new detail::GTestMarkerListener);
  return true;
}

}  // namespace rrtr
