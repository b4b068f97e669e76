#include "progress.h"

#include <fmt/format.h>

#include <cmath>

#include "common/stderr.h"

namespace rrtr::cli {

std::string format_duration(double s) {
  if (s < 60) return fmt::format("{:.1f}s", s);
  auto total = static_cast<long>(std::lround(s));
  if (total < 3600) return fmt::format("{}m{:02}s", total / 60, total % 60);
  return fmt::format("{}h{:02}m", total / 3600, total % 3600 / 60);
}

Progress::Progress(std::uint64_t planned, bool live)
    : planned_(planned), live_(live), start_(std::chrono::steady_clock::now()) {}

void Progress::run_finished(std::uint64_t done, std::uint64_t failures, const std::string& what) {
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0;
  if (!live_) {
    print_stderr("rr-test-runner: run {}/{}: {}\n", done, planned_, what);
    return;
  }
  std::string eta = rate > 0 && planned_ > done ? format_duration(static_cast<double>(planned_ - done) / rate) : "-";
  print_stderr("\r\033[Krun {}/{}  failures {}  {:.1f} runs/s  elapsed {}  ETA {}", done, planned_, failures,
             rate, format_duration(elapsed), eta);
  drawn_ = true;
}

void Progress::finish() {
  if (drawn_) print_stderr("\n");
  drawn_ = false;
}

}  // namespace rrtr::cli
