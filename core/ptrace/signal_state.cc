#include "ptrace/signal_state.h"

#include <csignal>
#include <cstring>
#include <fmt/format.h>
#include <string>

#include "common/files.h"
#include "ptrace/task.h"

namespace rrtr {

namespace {
std::uint64_t status_mask(const std::string& status, const char* field) {
  auto at = status.find(field);
  if (at == std::string::npos) return 0;
  return std::stoull(status.substr(at + std::strlen(field)), nullptr, 16);
}
}  // namespace

SignalState signal_state(const Task& task) {
  auto status = read_proc_file(fmt::format("/proc/{}/status", task.tid().value));
  if (!status) return {};
  return {status_mask(*status, "SigIgn:"), status_mask(*status, "SigBlk:"), status_mask(*status, "SigCgt:")};
}

bool signal_is_ignored(const Task& task, int signo) {
  const SignalState s = signal_state(task);
  const std::uint64_t bit = 1ULL << (signo - 1);
  if (s.ignored & bit) return true;
  if (s.caught & bit) return false;
  return signo == SIGCHLD || signo == SIGURG || signo == SIGWINCH || signo == SIGCONT;
}

}  // namespace rrtr
