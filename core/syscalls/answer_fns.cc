#include "syscalls/answer_fns.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "common/error.h"
#include "ptrace/task.h"

namespace rrtr {

namespace {

// Writes `value` where the tracee asked, as the kernel's own copy would (an unmapped or
// read-only pointer is EFAULT), and answers `result`; nullopt where the recorder may
// not write that way, so the kernel answers.
std::optional<std::int64_t> write_out(Task& task, std::uint64_t addr, std::string_view bytes, std::int64_t result) {
  switch (task.copy_to_as_kernel(RemotePtr(addr), bytes)) {
    case Task::KernelCopy::kDone: return result;
    case Task::KernelCopy::kFault: return -EFAULT;
    case Task::KernelCopy::kUnavailable: return std::nullopt;
  }
  return std::nullopt;
}
template <typename T>
std::optional<std::int64_t> write_out(Task& task, std::uint64_t addr, const T& value, std::int64_t result) {
  return write_out(task, addr, std::string_view(reinterpret_cast<const char*>(&value), sizeof value), result);
}

bool system_wide_clock(clockid_t id) {
  switch (id) {
    case CLOCK_REALTIME: case CLOCK_MONOTONIC: case CLOCK_MONOTONIC_RAW: case CLOCK_REALTIME_COARSE:
    case CLOCK_MONOTONIC_COARSE: case CLOCK_BOOTTIME: case CLOCK_TAI:
      return true;
    default:  // CPU-time clocks are per process; dynamic clocks name devices
      return false;
  }
}

// Reads of more than this are left to the kernel rather than staged in the recorder.
constexpr std::uint64_t kMaxAnsweredRead = 1 << 20;

// The tracee's open file `fd`, when doing its read or stat from here is exactly what
// the kernel would do for it: a regular file on a local disk or in memory. Not /proc
// or /sys, whose files may answer by who asks; not network or FUSE file systems,
// which may block, or fail in their own ways.
struct LocalFile {
  UniqueFd fd;
  struct stat st;  // what fstat gave when the file was checked
};
std::optional<LocalFile> local_regular_file(Task& task, std::uint64_t fd) {
  auto file = task.dup_fd(fd);
  struct stat st {};
  if (!file || ::fstat(file->get(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  struct statfs fs {};
  if (::fstatfs(file->get(), &fs) != 0) return std::nullopt;
  switch (static_cast<unsigned long>(fs.f_type)) {
    case EXT4_SUPER_MAGIC: case TMPFS_MAGIC: case XFS_SUPER_MAGIC: case BTRFS_SUPER_MAGIC:
    case OVERLAYFS_SUPER_MAGIC: case SQUASHFS_MAGIC:
      return LocalFile{std::move(*file), st};
    default:
      return std::nullopt;
  }
}

// fstat of the tracee's `fd` into its `addr`: the form both stat calls answer.
std::optional<std::int64_t> stat_into(Task& task, std::uint64_t fd, std::uint64_t addr) {
  auto file = local_regular_file(task, fd);
  if (!file) return std::nullopt;
  return write_out(task, addr, file->st, 0);
}

// Reads up to `count` bytes at `pos` into the tracee's `addr`: the count, or nullopt
// when the kernel should do it (an error, or a buffer it would fault on partway; the
// file offset is untouched either way).
std::optional<std::int64_t> pread_into(Task& task, int fd, std::uint64_t addr, std::uint64_t count, off_t pos) {
  if (count == 0 || count > kMaxAnsweredRead || addr + count < addr || addr + count > kUserSpaceEnd)
    return std::nullopt;
  std::string bytes(count, '\0');
  const ssize_t n = ::pread(fd, bytes.data(), count, pos);
  if (n < 0) return std::nullopt;
  if (n == 0) return 0;  // end of file: the kernel copies nothing either
  bytes.resize(static_cast<std::size_t>(n));
  if (task.copy_to_as_kernel(RemotePtr(addr), bytes) != Task::KernelCopy::kDone) return std::nullopt;
  return n;
}

}  // namespace

// Single-threaded tracees: the thread id is the process id.
std::optional<std::int64_t> answer_getpid(Task& task, const Registers&) { return task.tid().value; }

// The tracee is the recorder's own child (TraceeProcess forks it).
std::optional<std::int64_t> answer_getppid(Task&, const Registers&) { return ::getpid(); }

std::optional<std::int64_t> answer_clock_gettime(Task& task, const Registers& entry) {
  const auto id = static_cast<clockid_t>(entry.arg(0));
  if (!system_wide_clock(id)) return std::nullopt;
  timespec ts{};
  if (::clock_gettime(id, &ts) != 0) return std::nullopt;
  return write_out(task, entry.arg(1), ts, 0);
}

std::optional<std::int64_t> answer_gettimeofday(Task& task, const Registers& entry) {
  if (entry.arg(1) != 0) return std::nullopt;  // the obsolete timezone: left to the kernel
  if (entry.arg(0) == 0) return 0;
  timeval tv{};
  ::gettimeofday(&tv, nullptr);
  return write_out(task, entry.arg(0), tv, 0);
}

std::optional<std::int64_t> answer_time(Task& task, const Registers& entry) {
  const std::int64_t now = ::time(nullptr);
  if (entry.arg(0) == 0) return now;
  return write_out(task, entry.arg(0), now, now);
}

std::optional<std::int64_t> answer_read(Task& task, const Registers& entry) {
  auto file = local_regular_file(task, entry.arg(0));
  if (!file) return std::nullopt;
  const int fd = file->fd.get();
  const off_t pos = ::lseek(fd, 0, SEEK_CUR);
  if (pos < 0) return std::nullopt;
  auto n = pread_into(task, fd, entry.arg(1), entry.arg(2), pos);
  // Only a read that happened moves the offset, as the kernel's does.
  if (n && *n > 0 && ::lseek(fd, pos + *n, SEEK_SET) < 0) fail_errno("lseek in a tracee's file");
  return n;
}

std::optional<std::int64_t> answer_pread64(Task& task, const Registers& entry) {
  const auto pos = static_cast<std::int64_t>(entry.arg(3));
  if (pos < 0) return std::nullopt;
  auto file = local_regular_file(task, entry.arg(0));
  if (!file) return std::nullopt;
  return pread_into(task, file->fd.get(), entry.arg(1), entry.arg(2), pos);
}

std::optional<std::int64_t> answer_fstat(Task& task, const Registers& entry) {
  return stat_into(task, entry.arg(0), entry.arg(1));
}

std::optional<std::int64_t> answer_newfstatat(Task& task, const Registers& entry) {
  const std::uint64_t flags = entry.arg(3);
  if (!(flags & AT_EMPTY_PATH) || (flags & ~std::uint64_t{AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT}))
    return std::nullopt;
  char first = 1;  // of the path, read as the kernel would (a PROT_NONE page faults)
  if (task.copy_from_as_kernel(RemotePtr(entry.arg(1)), &first, 1) != Task::KernelCopy::kDone || first != '\0')
    return std::nullopt;
  return stat_into(task, entry.arg(0), entry.arg(2));
}

std::optional<std::int64_t> answer_ioctl(Task& task, const Registers& entry) {
  if (entry.arg(1) != TCGETS) return std::nullopt;
  auto file = task.dup_fd(entry.arg(0));
  struct stat st {};
  if (!file || ::fstat(file->get(), &st) != 0 || !(S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode))) return std::nullopt;
  if (::fcntl(file->get(), F_GETFL) & O_PATH) return std::nullopt;  // EBADF there
  return -ENOTTY;
}

std::optional<std::int64_t> answer_getcwd(Task& task, const Registers& entry) {
  std::error_code ec;
  const auto proc = fmt::format("/proc/{}", task.tid().value);
  // Relative to the tracee's root, which must be ours for /proc's answer to be its own.
  if (std::filesystem::read_symlink(proc + "/root", ec) != "/" || ec) return std::nullopt;
  const std::string cwd = std::filesystem::read_symlink(proc + "/cwd", ec).string();
  // " (deleted)": the kernel says ENOENT; anything not absolute is beyond our root.
  if (ec || cwd.empty() || cwd[0] != '/' || cwd.ends_with(" (deleted)")) return std::nullopt;
  const std::uint64_t size = entry.arg(1), len = cwd.size() + 1;
  if (len > size) return -ERANGE;
  return write_out(task, entry.arg(0), std::string_view(cwd.c_str(), len), static_cast<std::int64_t>(len));
}

}  // namespace rrtr
