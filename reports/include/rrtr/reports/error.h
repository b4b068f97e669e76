// The one exception type the reports library throws.
#pragma once

#include <stdexcept>
#include <string>

namespace rrtr::reports {

// A report could not be read, validated or written. what() is a single line:
// "<origin>: <field>: <problem>", with empty parts left out.
class ReportError : public std::runtime_error {
 public:
  ReportError(std::string origin, std::string field, std::string problem);

  const std::string& origin() const noexcept { return origin_; }
  // Dotted path such as "failures[2].run_index"; empty for whole-document problems.
  const std::string& field() const noexcept { return field_; }
  const std::string& problem() const noexcept { return problem_; }

 private:
  std::string origin_;
  std::string field_;
  std::string problem_;
};

}  // namespace rrtr::reports
