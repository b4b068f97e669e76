// Google Test integration of rr-test-runner: reports test start, failed assertions and
// test end through the marker side channel so the recorder can index them in a trace.
#ifndef RRTR_GTEST_ADAPTER_H
#define RRTR_GTEST_ADAPTER_H

namespace rrtr {

// Appends the marker listener to testing::UnitTest's listener list. Idempotent: every
// call after the first (including the automatic one made by rrtr::gtest_adapter)
// returns false and changes nothing, so markers are never sent twice. Call it before
// RUN_ALL_TESTS().
bool install_gtest_listener();

}  // namespace rrtr

#endif
