#include <gtest/gtest.h>

#include <string>

#include "common/zero_pages.h"

namespace rrtr {
namespace {

TEST(ZeroPages, AllZero) {
  EXPECT_TRUE(all_zero(""));
  EXPECT_TRUE(all_zero(std::string(3 * kPageSize + 17, '\0')));
  std::string s(3 * kPageSize + 17, '\0');
  s.back() = 1;  // in the partial block after the last whole one
  EXPECT_FALSE(all_zero(s));
  s.back() = 0;
  s[kPageSize] = 1;
  EXPECT_FALSE(all_zero(s));
}

// Replay writes only these runs into fresh (zero) memory: a non-zero byte left out is a
// replay that runs on other data.
TEST(ZeroPages, RunsCoverEveryNonZeroByte) {
  std::string image(8 * kPageSize, '\0');
  EXPECT_TRUE(nonzero_page_runs(image).empty());
  image[0] = 1;                     // page 0
  image[2 * kPageSize + 5] = 1;     // pages 2-3 form one run
  image[3 * kPageSize] = 1;
  image[8 * kPageSize - 1] = 1;     // the last byte
  auto runs = nonzero_page_runs(image);
  std::vector<ByteRun> expected = {{0, kPageSize}, {2 * kPageSize, 2 * kPageSize}, {7 * kPageSize, kPageSize}};
  EXPECT_EQ(runs, expected);

  image.resize(8 * kPageSize + 10);  // a partial last page
  image.back() = 2;
  expected.back() = {7 * kPageSize, kPageSize + 10};
  EXPECT_EQ(nonzero_page_runs(image), expected);

  EXPECT_EQ(nonzero_page_runs(std::string(5, 'x')), (std::vector<ByteRun>{{0, 5}}));
}

}  // namespace
}  // namespace rrtr
