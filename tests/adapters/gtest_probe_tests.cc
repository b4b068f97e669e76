// Tests the gtest marker checks run. Lines ending in "// MARK:<id>" are where the
// checks expect an ASSERTION_FAILED marker to point; the scripts find them by id, so
// editing this file cannot silently desynchronise expected line numbers.
#include <cerrno>
#include <string>

#include <gtest/gtest.h>

TEST(Probe, Passes) { EXPECT_EQ(1 + 1, 2); }

TEST(Probe, Fails) {
  const int four = 2 + 2;
  EXPECT_EQ(four, 5) << "arithmetic \"is\" broken";  // MARK:fails
}

// Quotes, backslashes, control characters and invalid UTF-8 must survive as valid
// JSON; the byte 0xff is replaced by U+FFFD.
TEST(Probe, AwkwardMessage) {
  ADD_FAILURE() << "q\"b\\n\nt\tc\x01 bad\xff end";  // MARK:awkward
}

// Larger than RRTR_MARKER_MAX_PAYLOAD; the adapter must cut it itself.
TEST(Probe, HugeMessage) {
  ADD_FAILURE() << std::string(100000, 'x');  // MARK:huge
}

// errno must be exactly what the test set, even though the failure just sent a
// marker (a failed syscall) and encoded JSON.
TEST(Probe, KeepsErrno) {
  errno = EDOM;
  ADD_FAILURE() << "errno probe";  // MARK:errno
  EXPECT_EQ(errno, EDOM);
}

TEST(Probe, Skipped) { GTEST_SKIP() << "not today"; }

class ProbeParam : public testing::TestWithParam<int> {};
TEST_P(ProbeParam, Even) {
  EXPECT_EQ(GetParam() % 2, 0);  // MARK:param
}
INSTANTIATE_TEST_SUITE_P(Sizes, ProbeParam, testing::Values(1, 2));
