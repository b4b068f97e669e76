// The runner's progress display: one live line on a terminal, one line per run in CI.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace rrtr::cli {

class Progress {
 public:
  Progress(std::uint64_t planned, bool live);
  // After each finished run.
  void run_finished(std::uint64_t done, std::uint64_t failures, const std::string& what);
  // Leaves the live line, so normal output can follow.
  void finish();

 private:
  std::uint64_t planned_;
  bool live_;
  std::chrono::steady_clock::time_point start_;
  bool drawn_ = false;
};

std::string format_duration(double seconds);

}  // namespace rrtr::cli
