// Links only against the installed package; the check runs it under marker_tap.
#include <gtest/gtest.h>

TEST(InstalledProbe, Works) { EXPECT_TRUE(true); }
