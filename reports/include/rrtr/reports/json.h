// Reading and writing report.json (layout: docs/report-schema.md).
#pragma once

#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "rrtr/reports/report.h"

namespace rrtr::reports {

// ADL hooks so `nlohmann::json j = report;` and `j.get<Report>()` work. from_json
// validates like parse_report and throws ReportError with an empty origin.
void to_json(nlohmann::json& j, const Report& report);
void to_json(nlohmann::ordered_json& j, const Report& report);
void from_json(const nlohmann::json& j, Report& report);
void from_json(const nlohmann::ordered_json& j, Report& report);

// Pretty-printed with 2-space indent and a trailing newline. Invalid UTF-8 in any
// string is replaced by U+FFFD instead of failing the whole report.
std::string render_json(const Report& report);

// origin names the source in error messages ("report.json: ...") and is stored in
// Report::origin.
Report parse_report(std::string_view text, std::string_view origin);

// Reads and parses a file; origin is the path as given.
Report load_report(const std::filesystem::path& path);

}  // namespace rrtr::reports
