// Content-addressed, zstd-compressed storage of mapped files.
#pragma once

#include <chrono>
#include <filesystem>
#include <set>
#include <string>
#include <string_view>

#include "common/mapped_file.h"
#include "trace/blob_id.h"
#include "trace/content_id_cache.h"

namespace rrtr {

// A directory of blobs named <xxh3-128 hex>.zst, shared by every trace recorded into
// the same traces directory: the runner's hundreds of runs store libc once. A file's
// id is cached by its FileVersion (in by-inode/, and in memory for the store's
// lifetime), so an unchanged library is not even re-read by the next recording.
class BlobStore {
 public:
  explicit BlobStore(std::filesystem::path dir,
                     std::chrono::nanoseconds settle_time = ContentIdCache::kSettleTime);
  const std::filesystem::path& dir() const { return dir_; }

  BlobId put(std::string_view content);
  // Stores the whole file open at `fd` (read from offset 0).
  BlobId put_file(int fd);
  std::filesystem::path path_of(const BlobId& id) const;

 private:
  bool exists(const BlobId& id);

  std::filesystem::path dir_;
  ContentIdCache file_ids_;  // by-inode/
  std::set<BlobId> present_;  // seen in the store by this recording
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
