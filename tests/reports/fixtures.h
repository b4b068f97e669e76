// Sample reports shared by the tests.
#pragma once

#include <cstdint>
#include <string>

#include "rrtr/reports/report.h"

namespace rrtr::reports::testing {

// Every field set, every nullable field non-null, every array non-empty: walking its
// JSON reaches every field of the schema.
Report full_report();

// Every nullable field null and no failures.
Report passing_report();

// One shard of a sharded run: `attempted` runs with the given failures of
// "Net.Reconnect" at the given run indexes.
Report shard_report(std::string origin, std::uint64_t attempted,
                    std::vector<std::uint64_t> failing_runs, std::uint64_t seed);

}  // namespace rrtr::reports::testing
