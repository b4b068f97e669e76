// main() for the probes that install the listener explicitly. Calling the installer
// twice must still yield one listener; the marker checks count the markers.
#include <cstdio>

#include <gtest/gtest.h>

#include "rrtr/gtest_adapter.h"

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  const bool first = rrtr::install_gtest_listener();
  const bool second = rrtr::install_gtest_listener();
  // Visible in the output so the checks can tell which call did the installing.
  std::printf("rrtr install calls: %d %d\n", first, second);
  return RUN_ALL_TESTS();
}
