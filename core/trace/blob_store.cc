#include "trace/blob_store.h"

#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/error.h"
#include "common/files.h"
#include "common/unique_fd.h"
#include "trace/zstd_codec.h"

namespace rrtr {

namespace {
// Memory images (the initial stack, data segments) are new in every recording: level 1
// compresses a 132 KiB stack in ~0.03 ms where level 3 took ~0.4 ms. Files are stored
// once per store, then linked: they get the smaller output of level 3.
constexpr int kImageLevel = 1;
constexpr int kFileLevel = 3;

std::string read_all_fd(int fd) {
  std::string out;
  char buf[1 << 16];
  off_t off = 0;
  for (;;) {
    ssize_t n = ::pread(fd, buf, sizeof buf, off);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(ExitCode::kInternal, "cannot read a mapped file: {}", std::strerror(errno));
    if (n == 0) return out;
    out.append(buf, static_cast<std::size_t>(n));
    off += n;
  }
}

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

std::string FileVersion::name() const {
  return fmt::format("{:x}-{:x}-{:x}-{}-{}", dev, ino, size, mtime_ns, ctime_ns);
}

BlobStore::BlobStore(std::filesystem::path dir, std::chrono::nanoseconds settle_time)
    : dir_(std::move(dir)), settle_time_(settle_time) {
  make_private_dir(dir_);
  make_private_dir(dir_ / "by-inode");
}

std::filesystem::path BlobStore::path_of(const BlobId& id) const { return dir_ / (id.hex() + ".zst"); }

BlobId BlobStore::put(std::string_view content) { return put(content, kImageLevel); }

BlobId BlobStore::put(std::string_view content, int level) {
  BlobId id = BlobId::of(content);
  auto path = path_of(id);
  if (::access(path.c_str(), F_OK) != 0) write_private_file(path, zstd_compress(content, level));
  return id;
}

BlobId BlobStore::put_file(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) fail_errno("fstat of a mapped file");
  const FileVersion version = FileVersion::of(st);
  if (auto known = known_files_.find(version); known != known_files_.end()) return known->second;
  const auto key = dir_ / "by-inode" / version.name();
  if (auto cached = read_file(key)) {
    if (auto id = BlobId::from_hex(*cached); id && ::access(path_of(*id).c_str(), F_OK) == 0) {
      known_files_.emplace(version, *id);
      return *id;
    }
  }
  BlobId id = put(read_all_fd(fd), kFileLevel);
  if (!recently_changed(version, settle_time_)) {
    write_private_file(key, id.hex());
    known_files_.emplace(version, id);
  }
  return id;
}

BlobReader::BlobReader(std::filesystem::path dir) : dir_(std::move(dir)) {}

std::filesystem::path BlobReader::path_of(const BlobId& id) const { return dir_ / (id.hex() + ".zst"); }

std::string BlobReader::get(const BlobId& id) const { return decode(id, compressed(id).bytes()); }

MappedFile BlobReader::compressed(const BlobId& id) const {
  auto path = path_of(id);
  auto file = MappedFile::open(path);
  if (!file) fail(ExitCode::kTraceCorrupt, "trace incomplete: blob {} is missing ({})", id.hex(), path.string());
  return std::move(*file);
}

std::string BlobReader::decode(const BlobId& id, std::string_view compressed) const {
  std::string content = zstd_decompress_framed(compressed, "blob " + id.hex());
  if (BlobId::of(content) != id) fail(ExitCode::kTraceCorrupt, "trace corrupted: blob {} fails its checksum", id.hex());
  return content;
}

}  // namespace rrtr
