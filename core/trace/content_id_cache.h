// Content ids of files remembered by the file's version, so that an unchanged file is
// not read again to learn what it holds.
#pragma once

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "trace/blob_id.h"

namespace rrtr {

// What tells a file's versions apart without reading it: (device, inode, size, mtime,
// ctime). mtime can be set back by anyone (touch -d, tar, cp -p); ctime cannot, and any
// change of content moves it.
struct FileVersion {
  std::uint64_t dev = 0, ino = 0, size = 0;
  std::int64_t mtime_ns = 0, ctime_ns = 0;
  static FileVersion of(const struct stat& st);
  // nullopt when `fd` cannot be stat'ed.
  static std::optional<FileVersion> of_fd(int fd);
  auto operator<=>(const FileVersion&) const = default;
  std::string name() const;  // of its cache file
};

// FileVersion -> content id, one small file per version in `dir` (and in memory for the
// cache's lifetime). The recorder learns the id of each library it stores from it; the
// replayer which of its decompressed blobs, and which of a trace's blob files, it has
// already verified.
class ContentIdCache {
 public:
  // A file changed less than this long ago could change again within the same
  // timestamp tick (coarse: a few ms), its FileVersion unchanged: it is not remembered.
  static constexpr std::chrono::nanoseconds kSettleTime = std::chrono::seconds(2);

  explicit ContentIdCache(std::filesystem::path dir, std::chrono::nanoseconds settle_time = kSettleTime);
  const std::filesystem::path& dir() const { return dir_; }

  std::optional<BlobId> find(const FileVersion& v);
  // Remembers (unless the file changed too recently); a directory that cannot be
  // written only costs the next run a re-read.
  void remember(const FileVersion& v, const BlobId& id);

 private:
  std::filesystem::path dir_;
  std::chrono::nanoseconds settle_time_;
  std::map<FileVersion, BlobId> known_;
};

}  // namespace rrtr
