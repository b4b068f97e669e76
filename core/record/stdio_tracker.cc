#include "record/stdio_tracker.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <fmt/format.h>

#include "ptrace/task.h"

namespace rrtr {

std::uint8_t StdioTracker::stream_of(std::uint64_t fd) const {
  auto it = streams_.find(fd);
  return it == streams_.end() ? 0 : it->second;
}

void StdioTracker::forget_replaced(const Task& task) {
  std::erase_if(streams_, [&](const auto& kv) {
    struct stat theirs {}, ours {};
    const auto path = fmt::format("/proc/{}/fd/{}", task.tid().value, kv.first);
    return ::stat(path.c_str(), &theirs) != 0 || ::fstat(kv.second, &ours) != 0 || theirs.st_dev != ours.st_dev ||
           theirs.st_ino != ours.st_ino;
  });
}

void StdioTracker::after_syscall(const SyscallInfo& info, const Task& task, const Registers& after) {
  const std::int64_t res = after.result();
  if (res < 0) return;
  auto dup_into = [&](std::uint64_t from, std::uint64_t to) {
    if (auto s = stream_of(from))
      streams_[to] = s;
    else
      streams_.erase(to);
  };
  switch (info.fd_effect) {
    case FdEffect::kNewFd: streams_.erase(static_cast<std::uint64_t>(res)); break;
    case FdEffect::kNewFdPair: {
      int fds[2] = {-1, -1};
      if (task.try_read_mem(RemotePtr(after.arg(info.fd_arg)), fds, sizeof fds) == sizeof fds) {
        streams_.erase(static_cast<std::uint64_t>(fds[0]));
        streams_.erase(static_cast<std::uint64_t>(fds[1]));
      }
      break;
    }
    case FdEffect::kClose: streams_.erase(after.arg(0)); break;
    case FdEffect::kCloseRange:
      std::erase_if(streams_, [&](const auto& kv) { return kv.first >= after.arg(0) && kv.first <= after.arg(1); });
      break;
    case FdEffect::kFcntl:  // F_DUPFD* is a dup; other commands leave the table alone
      if (after.arg(1) == F_DUPFD || after.arg(1) == F_DUPFD_CLOEXEC) dup_into(after.arg(0), static_cast<std::uint64_t>(res));
      break;
    case FdEffect::kDup: dup_into(after.arg(0), static_cast<std::uint64_t>(res)); break;
    case FdEffect::kDupTo: dup_into(after.arg(0), after.arg(1)); break;
    case FdEffect::kNone:
    case FdEffect::kWrite:
    case FdEffect::kWriteV: break;
  }
}

}  // namespace rrtr
