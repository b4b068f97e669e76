#include "trace/blob_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/error.h"
#include "common/files.h"
#include "common/unique_fd.h"
#include "trace/zstd_codec.h"

namespace rrtr {

namespace {
constexpr int kBlobLevel = 3;

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
}  // namespace

BlobStore::BlobStore(std::filesystem::path dir) : dir_(std::move(dir)) {
  make_private_dir(dir_);
  make_private_dir(dir_ / "by-inode");
}

std::filesystem::path BlobStore::path_of(const BlobId& id) const { return dir_ / (id.hex() + ".zst"); }

BlobId BlobStore::put(std::string_view content) {
  BlobId id = BlobId::of(content);
  auto path = path_of(id);
  if (::access(path.c_str(), F_OK) != 0) write_private_file(path, zstd_compress(content, kBlobLevel));
  return id;
}

BlobId BlobStore::put_file(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) fail_errno("fstat of a mapped file");
  auto key = dir_ / "by-inode" /
             fmt::format("{:x}-{:x}-{:x}-{}.{}", st.st_dev, st.st_ino, st.st_size, st.st_mtim.tv_sec,
                         st.st_mtim.tv_nsec);
  if (auto cached = read_file(key)) {
    if (auto id = BlobId::from_hex(*cached); id && ::access(path_of(*id).c_str(), F_OK) == 0) return *id;
  }
  BlobId id = put(read_all_fd(fd));
  write_private_file(key, id.hex());
  return id;
}

BlobReader::BlobReader(std::filesystem::path dir) : dir_(std::move(dir)) {}

std::filesystem::path BlobReader::path_of(const BlobId& id) const { return dir_ / (id.hex() + ".zst"); }

std::string BlobReader::get(const BlobId& id) const { return decode(id, compressed(id)); }

std::string BlobReader::compressed(const BlobId& id) const {
  auto path = path_of(id);
  auto bytes = read_file(path);
  if (!bytes) fail(ExitCode::kTraceCorrupt, "trace incomplete: blob {} is missing ({})", id.hex(), path.string());
  return std::move(*bytes);
}

std::string BlobReader::decode(const BlobId& id, std::string_view compressed) const {
  std::string content = zstd_decompress_framed(compressed, "blob " + id.hex());
  if (BlobId::of(content) != id) fail(ExitCode::kTraceCorrupt, "trace corrupted: blob {} fails its checksum", id.hex());
  return content;
}

}  // namespace rrtr
