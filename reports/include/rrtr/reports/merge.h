// Combining the reports of shards that ran the same program independently.
#pragma once

#include <vector>

#include "rrtr/reports/report.h"

namespace rrtr::reports {

// Joins shard reports into one (rules: docs/report-schema.md, "Merging"). Shard i is
// reports[i]. Throws ReportError when reports is empty.
Report merge_reports(std::vector<Report> reports);

}  // namespace rrtr::reports
