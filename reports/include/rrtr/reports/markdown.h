// Markdown summary for a GitHub Actions job page.
#pragma once

#include <string>

#include "rrtr/reports/report.h"

namespace rrtr::reports {

// Heading, run counts, failing tests with flake rates, and the replay commands of
// every kept failure in code blocks.
std::string render_markdown_summary(const Report& report);

// Appends render_markdown_summary to the file named by $GITHUB_STEP_SUMMARY.
// Returns false when the variable is unset or empty; throws ReportError when the
// file cannot be written.
bool append_github_step_summary(const Report& report);

}  // namespace rrtr::reports
