// JUnit XML for CI systems that display test results.
#pragma once

#include <string>

#include "rrtr/reports/report.h"

namespace rrtr::reports {

// A complete UTF-8 XML document (mapping: docs/report-schema.md, "JUnit mapping").
std::string render_junit(const Report& report);

}  // namespace rrtr::reports
