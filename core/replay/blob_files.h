// Blobs made available to the replayed process as files it can mmap.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "common/unique_fd.h"
#include "trace/blob_store.h"
#include "trace/content_id_cache.h"

namespace rrtr {

// Decompressed blobs kept in the user's cache directory ($RRTR_BLOB_CACHE, else
// $XDG_CACHE_HOME/rr-test-runner/blobs, else ~/.cache/rr-test-runner/blobs), so that
// the next replay of any trace with the same libraries maps them without
// decompressing. An entry is named by the XXH3-128 of the trace's compressed blob file
// (so a damaged blob in a trace misses the cache and is reported as before) and used
// only if its content hashes to the blob's id; one that cannot be written is not kept.
// Both hashes are remembered by file version (by-inode/, as the recorder remembers
// libraries; the trace's blob without its ctime, which links move), so a replay of an
// unchanged trace reads neither file to check it: hashing ~6 MB of libraries was
// 1.2 ms of a 7.8 ms replay.
class DecompressedBlobCache {
 public:
  // The cache directory, or nullopt when RRTR_BLOB_CACHE=off or no home is known.
  static std::optional<std::filesystem::path> default_dir();

  explicit DecompressedBlobCache(std::optional<std::filesystem::path> dir = default_dir(),
                                 std::chrono::nanoseconds settle_time = ContentIdCache::kSettleTime);
  // A descriptor holding the content of the trace's blob `id`: the cached copy when
  // there is a verified one, else a memfd decompressed from the trace (and cached).
  // A missing or damaged blob is reported.
  UniqueFd open(const BlobReader& blobs, const BlobId& id);

 private:
  BlobId key_of(int trace_blob_fd);
  std::optional<UniqueFd> cached(const BlobId& key, const BlobId& id);
  void store(const BlobId& key, std::string_view content);
  // Whether the tracee may map the cache's files executable (not on a noexec mount).
  bool entries_mappable();

  std::optional<std::filesystem::path> dir_;
  std::optional<bool> mappable_;
  std::optional<ContentIdCache> hashes_;  // file version -> XXH3-128 of the file's bytes
};

// Gives the tracee a descriptor per blob, through /proc/<replayer>/fd/N: the cached
// decompressed file when there is one, else a memfd of the replayer holding the
// decompressed content. Nothing of the host's but that cache is read.
class BlobFiles {
 public:
  explicit BlobFiles(const BlobReader& blobs) : blobs_(blobs) {}
  // A path the tracee can open to read the blob's content.
  std::string tracee_path(const BlobId& id);

 private:
  const BlobReader& blobs_;
  DecompressedBlobCache cache_;
  std::map<BlobId, UniqueFd> fds_;
};

}  // namespace rrtr
