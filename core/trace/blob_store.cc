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
// A file is stored once per store and then linked by every later recording: the
// smaller output of level 3 is worth its time once.
constexpr int kLevel = 3;

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

BlobStore::BlobStore(std::filesystem::path dir, std::chrono::nanoseconds settle_time)
    : dir_(std::move(dir)), file_ids_(dir_ / "by-inode", settle_time) {
  make_private_dir(dir_);
  make_private_dir(file_ids_.dir());
}

std::filesystem::path BlobStore::path_of(const BlobId& id) const { return dir_ / (id.hex() + ".zst"); }

bool BlobStore::exists(const BlobId& id) {
  if (present_.contains(id)) return true;
  if (::access(path_of(id).c_str(), F_OK) != 0) return false;
  present_.insert(id);
  return true;
}

BlobId BlobStore::put(std::string_view content) {
  BlobId id = BlobId::of(content);
  if (!exists(id)) {
    write_private_file(path_of(id), zstd_compress(content, kLevel));
    present_.insert(id);
  }
  return id;
}

BlobId BlobStore::put_file(int fd) {
  const auto version = FileVersion::of_fd(fd);
  if (!version) fail_errno("fstat of a mapped file");
  if (auto id = file_ids_.find(*version); id && exists(*id)) return *id;
  BlobId id = put(read_all_fd(fd));
  file_ids_.remember(*version, id);
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
