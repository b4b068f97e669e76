#include "rrtr/reports/time.h"

#include <gtest/gtest.h>

namespace rrtr::reports {
namespace {

using std::chrono::milliseconds;
using std::chrono::system_clock;

system_clock::time_point at_ms(long long ms) { return system_clock::time_point(milliseconds(ms)); }

TEST(Rfc3339, FormatsUtcWithMilliseconds) {
  EXPECT_EQ(format_rfc3339_utc(at_ms(0)), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_rfc3339_utc(at_ms(1740824130250)), "2025-03-01T10:15:30.250Z");
  EXPECT_EQ(format_rfc3339_utc(at_ms(951782400000)), "2000-02-29T00:00:00.000Z");
}

TEST(Rfc3339, BeforeTheEpochRoundsDown) {
  EXPECT_EQ(format_rfc3339_utc(at_ms(-1)), "1969-12-31T23:59:59.999Z");
}

TEST(Rfc3339, FormattedTimesValidate) {
  EXPECT_TRUE(is_rfc3339_utc(format_rfc3339_utc(system_clock::now())));
}

TEST(Rfc3339, AcceptsUtcTimestamps) {
  for (const char* text :
       {"2025-03-01T10:15:30Z", "2025-03-01T10:15:30.250Z", "2025-03-01t10:15:30.123456789z",
        "2024-02-29T23:59:59Z", "2016-12-31T23:59:60Z"}) {
    EXPECT_TRUE(is_rfc3339_utc(text)) << text;
  }
}

TEST(Rfc3339, RejectsEverythingElse) {
  for (const char* text : {"", "2025-03-01", "2025-03-01T10:15:30", "2025-03-01T10:15:30+01:00",
                           "2025-03-01 10:15:30Z", "2025-03-01T10:15:30.Z", "2025-02-29T00:00:00Z",
                           "2025-13-01T00:00:00Z", "2025-04-31T00:00:00Z", "2025-03-01T24:00:00Z",
                           "2025-03-01T10:60:00Z", "2025-3-01T10:15:30Z", "2025-03-01T10:15:30ZZ",
                           "1900-02-29T00:00:00Z", "yesterday"}) {
    EXPECT_FALSE(is_rfc3339_utc(text)) << text;
  }
}

}  // namespace
}  // namespace rrtr::reports
