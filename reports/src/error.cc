#include "rrtr/reports/error.h"

#include <utility>

namespace rrtr::reports {
namespace {

std::string compose(const std::string& origin, const std::string& field,
                    const std::string& problem) {
  std::string line;
  for (const std::string* part : {&origin, &field, &problem}) {
    if (part->empty()) continue;
    if (!line.empty()) line += ": ";
    line += *part;
  }
  // Callers print what() as one log line; an embedded newline would split it.
  for (char& c : line) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return line;
}

}  // namespace

ReportError::ReportError(std::string origin, std::string field, std::string problem)
    : std::runtime_error(compose(origin, field, problem)),
      origin_(std::move(origin)),
      field_(std::move(field)),
      problem_(std::move(problem)) {}

}  // namespace rrtr::reports
