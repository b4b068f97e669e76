#include "common/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "common/error.h"
#include "common/unique_fd.h"

namespace rrtr {

std::optional<std::string> read_proc_file(const std::filesystem::path& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return std::nullopt;
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::nullopt;
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

std::optional<std::string> read_file(const std::filesystem::path& path) { return read_proc_file(path); }

void write_private_file(const std::filesystem::path& path, std::string_view data) {
  PendingPrivateFile(path).commit(data);
}

PendingPrivateFile::PendingPrivateFile(std::filesystem::path path, std::size_t expected_size) : path_(std::move(path)) {
  // A name of our own: concurrent recorders may store the same blob at the same time,
  // and each must rename only a file it finished writing.
  static std::atomic<unsigned> counter{0};
  tmp_ = path_;
  tmp_ += fmt::format(".tmp.{}.{}", getpid(), counter++);
  fd_.reset(::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (!fd_.valid()) fail(ExitCode::kBadInput, "cannot create {}: {}", tmp_.string(), std::strerror(errno));
  // Best effort: a file system without it delays the allocation as before.
  if (expected_size > 0) ::fallocate(fd_.get(), FALLOC_FL_KEEP_SIZE, 0, static_cast<off_t>(expected_size));
}

PendingPrivateFile::~PendingPrivateFile() {
  if (fd_.valid()) ::unlink(tmp_.c_str());
}

void PendingPrivateFile::commit(std::string_view data) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd_.get(), data.data() + off, data.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(ExitCode::kBadInput, "cannot write {}: {}", tmp_.string(), std::strerror(errno));
    off += static_cast<size_t>(n);
  }
  fd_.reset();
  if (::rename(tmp_.c_str(), path_.c_str()) != 0) {
    const int e = errno;
    ::unlink(tmp_.c_str());
    fail(ExitCode::kBadInput, "cannot rename {} to {}: {}", tmp_.string(), path_.string(), std::strerror(e));
  }
}

void make_private_dir(const std::filesystem::path& path) {
  // Every directory created here gets 0700, parents included, whatever the umask.
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return;
  if (path.has_parent_path() && path.parent_path() != path) make_private_dir(path.parent_path());
  if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST)
    fail(ExitCode::kBadInput, "cannot create directory {}: {}", path.string(), std::strerror(errno));
  ::chmod(path.c_str(), 0700);
}

std::optional<std::filesystem::path> find_in_path(const std::string& name) {
  const char* path_env = getenv("PATH");
  const std::string paths = path_env ? path_env : "/usr/local/bin:/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= paths.size()) {
    auto end = paths.find(':', start);
    if (end == std::string::npos) end = paths.size();
    const std::string dir = paths.substr(start, end - start);
    std::filesystem::path cand = std::filesystem::path(dir.empty() ? "." : dir) / name;
    std::error_code ec;
    if (::access(cand.c_str(), X_OK) == 0 && std::filesystem::is_regular_file(cand, ec)) return cand;
    start = end + 1;
  }
  return std::nullopt;
}

}  // namespace rrtr
