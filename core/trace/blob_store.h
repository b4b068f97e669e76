// Content-addressed, zstd-compressed storage of mapped files and memory images.
#pragma once

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <tuple>

#include "common/mapped_file.h"
#include "trace/blob_id.h"

namespace rrtr {

// What tells a file's versions apart without reading it: (device, inode, size, mtime,
// ctime). mtime can be set back by anyone (touch -d, tar, cp -p); ctime cannot, and any
// change of content moves it.
struct FileVersion {
  std::uint64_t dev = 0, ino = 0, size = 0;
  std::int64_t mtime_ns = 0, ctime_ns = 0;
  static FileVersion of(const struct stat& st);
  auto operator<=>(const FileVersion&) const = default;
  std::string name() const;  // of its by-inode cache file
};

// A directory of blobs named <xxh3-128 hex>.zst, shared by every trace recorded into
// the same traces directory: the runner's hundreds of runs store libc once. A file's
// id is cached by its FileVersion (in by-inode/, and in memory for the store's
// lifetime), so an unchanged library is not even re-read by the next recording.
class BlobStore {
 public:
  // A file changed less than this long ago could change again within the same
  // timestamp tick (coarse: a few ms), its FileVersion unchanged: its id is not cached.
  static constexpr std::chrono::nanoseconds kSettleTime = std::chrono::seconds(2);

  explicit BlobStore(std::filesystem::path dir, std::chrono::nanoseconds settle_time = kSettleTime);
  const std::filesystem::path& dir() const { return dir_; }

  // Stores a memory image (compressed fast: each is new in every recording).
  BlobId put(std::string_view content);
  // Stores the whole file open at `fd` (read from offset 0), compressed harder: a
  // library is stored once and then linked by every later recording.
  BlobId put_file(int fd);
  std::filesystem::path path_of(const BlobId& id) const;

 private:
  BlobId put(std::string_view content, int level);

  std::filesystem::path dir_;
  std::chrono::nanoseconds settle_time_;
  std::map<FileVersion, BlobId> known_files_;
};

// Read access to the blobs of one trace (its blobs/ folder); content is verified
// against its id, so a damaged blob is reported, never replayed.
class BlobReader {
 public:
  explicit BlobReader(std::filesystem::path trace_blobs_dir);
  std::string get(const BlobId& id) const;
  // The blob's file as stored (zstd), and its content from those bytes, verified.
  MappedFile compressed(const BlobId& id) const;
  std::string decode(const BlobId& id, std::string_view compressed) const;
  std::filesystem::path path_of(const BlobId& id) const;

 private:
  std::filesystem::path dir_;
};

}  // namespace rrtr
