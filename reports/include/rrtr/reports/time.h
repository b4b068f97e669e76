// The timestamp format used by started_at.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace rrtr::reports {

// "2025-03-01T10:15:30.250Z": RFC 3339, UTC, millisecond precision.
std::string format_rfc3339_utc(std::chrono::system_clock::time_point when);

// Accepts RFC 3339 date-times in UTC ("Z" suffix) with optional fractional seconds.
bool is_rfc3339_utc(std::string_view text);

}  // namespace rrtr::reports
