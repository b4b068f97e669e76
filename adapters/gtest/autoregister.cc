// Installs the marker listener during static initialization, before gtest_main (or
// the user's main) calls RUN_ALL_TESTS. UnitTest::GetInstance() builds its singleton
// on first use, so the order of static initializers across files does not matter.
#include "rrtr/gtest_adapter.h"

// The CMake target names this symbol with --undefined so the linker keeps this file.
extern "C" void rrtr_gtest_autoregister() {}

namespace {
[[maybe_unused]] const bool kInstalledAtStartup = rrtr::install_gtest_listener();
}  // namespace
