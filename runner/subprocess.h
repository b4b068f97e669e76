// Child processes of the runner: started with their output in a file, waited for with
// a deadline, and never left behind.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/unique_fd.h"

namespace rrtr::cli {

// A running child in its own process group. Killed (the whole group) on destruction.
class Subprocess {
 public:
  // stdout and stderr go to `log` (created 0600); stdin is /dev/null. `env` entries
  // (NAME=value) are added to the inherited environment; `cwd` is where it runs.
  Subprocess(const std::vector<std::string>& argv, const std::filesystem::path& log,
             const std::vector<std::string>& env = {}, const std::filesystem::path& cwd = {});
  Subprocess(Subprocess&&) noexcept = default;
  Subprocess& operator=(Subprocess&&) noexcept = default;
  ~Subprocess();

  pid_t pid() const { return pid_; }
  int pidfd() const { return pidfd_.get(); }
  // Non-blocking: the raw wait status once the child has exited.
  std::optional<int> poll_exit();
  // Sends `sig` to the child's process group.
  void signal_group(int sig) const;

 private:
  pid_t pid_ = -1;
  UniqueFd pidfd_;
  bool reaped_ = false;
};

// Runs a command to completion and returns (raw wait status, combined output).
std::pair<int, std::string> run_capture(const std::vector<std::string>& argv);

}  // namespace rrtr::cli
