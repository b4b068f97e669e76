#include "rrtr/reports/report.h"

namespace rrtr::reports {

double flake_rate(std::uint64_t failed, std::uint64_t runs) {
  if (runs == 0) return 0.0;
  return static_cast<double>(failed) / static_cast<double>(runs);
}

std::string_view to_string(TickBackend backend) {
  switch (backend) {
    case TickBackend::none: return "none";
    case TickBackend::perf: return "perf";
    case TickBackend::cov: return "cov";
  }
  return "none";
}

std::string_view to_string(RunMode mode) {
  switch (mode) {
    case RunMode::until_fail: return "until_fail";
    case RunMode::repeat: return "repeat";
  }
  return "until_fail";
}

std::optional<TickBackend> parse_tick_backend(std::string_view text) {
  for (TickBackend b : {TickBackend::none, TickBackend::perf, TickBackend::cov}) {
    if (to_string(b) == text) return b;
  }
  return std::nullopt;
}

std::optional<RunMode> parse_run_mode(std::string_view text) {
  for (RunMode m : {RunMode::until_fail, RunMode::repeat}) {
    if (to_string(m) == text) return m;
  }
  return std::nullopt;
}

}  // namespace rrtr::reports
