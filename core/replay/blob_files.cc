#include "replay/blob_files.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cstdlib>
#include <fmt/format.h>

#include "common/error.h"
#include "common/files.h"
#include "common/mapped_file.h"

namespace rrtr {

namespace {
UniqueFd memfd_holding(const BlobId& id, std::string_view data) {
  UniqueFd fd(memfd_create(("rrtr-" + id.hex()).c_str(), MFD_CLOEXEC));
  if (!fd.valid()) fail_errno("memfd_create");
  std::size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd.get(), data.data() + off, data.size() - off);
    if (n <= 0) fail_errno("write to memfd");
    off += static_cast<std::size_t>(n);
  }
  return fd;
}
}  // namespace

std::optional<std::filesystem::path> DecompressedBlobCache::default_dir() {
  if (const char* d = std::getenv("RRTR_BLOB_CACHE"); d && *d) {
    if (std::string_view(d) == "off") return std::nullopt;
    return std::filesystem::path(d);
  }
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
    return std::filesystem::path(xdg) / "rr-test-runner" / "blobs";
  if (const char* home = std::getenv("HOME"); home && *home)
    return std::filesystem::path(home) / ".cache" / "rr-test-runner" / "blobs";
  return std::nullopt;
}

DecompressedBlobCache::DecompressedBlobCache(std::optional<std::filesystem::path> dir,
                                             std::chrono::nanoseconds settle_time)
    : dir_(std::move(dir)) {
  if (dir_) hashes_.emplace(*dir_ / "by-inode", settle_time);
}

UniqueFd DecompressedBlobCache::open(const BlobReader& blobs, const BlobId& id) {
  UniqueFd trace_blob(::open(blobs.path_of(id).c_str(), O_RDONLY | O_CLOEXEC));
  if (dir_ && trace_blob.valid()) {
    const BlobId key = key_of(trace_blob.get());
    if (auto fd = cached(key, id)) {
      if (entries_mappable()) return std::move(*fd);
      // A cache on a noexec mount (a hardened /home): its files cannot be mapped
      // executable, so the content is copied into a memfd, still without decompressing.
      auto content = MappedFile::of_fd(fd->get());
      if (!content) fail_errno("mmap of a cached blob");
      return memfd_holding(id, content->bytes());
    }
    auto compressed = MappedFile::of_fd(trace_blob.get());
    if (!compressed) fail_errno("mmap of a trace blob");
    const std::string data = blobs.decode(id, compressed->bytes());
    store(key, data);
    return memfd_holding(id, data);
  }
  return memfd_holding(id, blobs.get(id));  // reports a missing blob
}

BlobId DecompressedBlobCache::key_of(int trace_blob_fd) {
  auto version = FileVersion::of_fd(trace_blob_fd);
  // Without ctime: a trace's blob is a hard link to the store's file, whose ctime every
  // later recording moves by linking it too (an --until-fail loop, then the replay).
  // What this hash guards is only that a damaged blob gets reported (the entry it
  // selects is verified against the blob's id either way), and a write moves mtime.
  if (version) {
    version->ctime_ns = 0;
    if (auto known = hashes_->find(*version)) return *known;
  }
  auto bytes = MappedFile::of_fd(trace_blob_fd);
  if (!bytes) fail_errno("mmap of a trace blob");
  const BlobId key = BlobId::of(bytes->bytes());
  if (version) hashes_->remember(*version, key);
  return key;
}

std::optional<UniqueFd> DecompressedBlobCache::cached(const BlobId& key, const BlobId& id) {
  UniqueFd fd(::open((*dir_ / key.hex()).c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return std::nullopt;
  const auto version = FileVersion::of_fd(fd.get());
  if (!version) return std::nullopt;
  if (hashes_->find(*version) == id) return fd;
  auto content = MappedFile::of_fd(fd.get());
  if (!content || BlobId::of(content->bytes()) != id) return std::nullopt;  // damaged or half-written: not used
  hashes_->remember(*version, id);
  return fd;
}

bool DecompressedBlobCache::entries_mappable() {
  if (!mappable_) {
    struct statvfs fs {};
    mappable_ = ::statvfs(dir_->c_str(), &fs) == 0 && !(fs.f_flag & ST_NOEXEC);
  }
  return *mappable_;
}

void DecompressedBlobCache::store(const BlobId& key, std::string_view content) {
  try {
    make_private_dir(*dir_);
    write_private_file(*dir_ / key.hex(), content);
  } catch (const Error&) {
    // A read-only or full disk: replay works without the cache.
  }
}

std::string BlobFiles::tracee_path(const BlobId& id) {
  auto it = fds_.find(id);
  if (it == fds_.end()) it = fds_.emplace(id, cache_.open(blobs_, id)).first;
  return fmt::format("/proc/{}/fd/{}", getpid(), it->second.get());
}

}  // namespace rrtr
