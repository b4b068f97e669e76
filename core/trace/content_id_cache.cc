#include "trace/content_id_cache.h"

#include <time.h>

#include <algorithm>
#include <fmt/format.h>

#include "common/error.h"
#include "common/files.h"

namespace rrtr {

namespace {
std::int64_t ns_of(const struct timespec& t) { return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec; }

// Changed within `settle_time` of now (or in the future: a clock set back).
bool recently_changed(const FileVersion& v, std::chrono::nanoseconds settle_time) {
  struct timespec now {};
  clock_gettime(CLOCK_REALTIME, &now);
  return ns_of(now) - std::max(v.mtime_ns, v.ctime_ns) < settle_time.count();
}
}  // namespace

FileVersion FileVersion::of(const struct stat& st) {
  return {static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino),
          static_cast<std::uint64_t>(st.st_size), ns_of(st.st_mtim), ns_of(st.st_ctim)};
}

std::optional<FileVersion> FileVersion::of_fd(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return std::nullopt;
  return of(st);
}

std::string FileVersion::name() const {
  return fmt::format("{:x}-{:x}-{:x}-{}-{}", dev, ino, size, mtime_ns, ctime_ns);
}

ContentIdCache::ContentIdCache(std::filesystem::path dir, std::chrono::nanoseconds settle_time)
    : dir_(std::move(dir)), settle_time_(settle_time) {}

std::optional<BlobId> ContentIdCache::find(const FileVersion& v) {
  if (auto known = known_.find(v); known != known_.end()) return known->second;
  auto text = read_file(dir_ / v.name());
  if (!text) return std::nullopt;
  auto id = BlobId::from_hex(*text);
  if (id) known_.emplace(v, *id);
  return id;
}

void ContentIdCache::remember(const FileVersion& v, const BlobId& id) {
  if (recently_changed(v, settle_time_)) return;
  known_.emplace(v, id);
  try {
    make_private_dir(dir_);
    write_private_file(dir_ / v.name(), id.hex());
  } catch (const Error&) {
    // Read-only or full: the next run reads the file again.
  }
}

}  // namespace rrtr
