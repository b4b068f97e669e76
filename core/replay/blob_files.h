// Blobs made available to the replayed process as files it can mmap.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "common/unique_fd.h"
#include "trace/blob_store.h"

namespace rrtr {

// Decompressed blobs kept in the user's cache directory ($RRTR_BLOB_CACHE, else
// $XDG_CACHE_HOME/rr-test-runner/blobs, else ~/.cache/rr-test-runner/blobs), so that
// the next replay of any trace with the same libraries maps them without
// decompressing. An entry is named by the XXH3-128 of the trace's compressed blob file
// (so a damaged blob in a trace misses the cache and is reported as before) and used
// only if its content hashes to the blob's id; one that cannot be written is not kept.
class DecompressedBlobCache {
 public:
  // The cache directory, or nullopt when RRTR_BLOB_CACHE=off or no home is known.
  static std::optional<std::filesystem::path> dir();
  // A read-only descriptor of the cached content, verified; nullopt if absent or wrong.
  static std::optional<UniqueFd> open(const BlobId& compressed_key, const BlobId& id);
  static void store(const BlobId& compressed_key, std::string_view content);
};

// Gives the tracee a descriptor per blob, through /proc/<replayer>/fd/N: the cached
// decompressed file when there is one, else a memfd of the replayer holding the
// decompressed content. Nothing of the host's but that cache is read.
class BlobFiles {
 public:
  explicit BlobFiles(const BlobReader& blobs) : blobs_(blobs) {}
  // A path the tracee can open to read the blob's content.
  std::string tracee_path(const BlobId& id);
  std::string content(const BlobId& id) const { return blobs_.get(id); }

 private:
  const BlobReader& blobs_;
  std::map<BlobId, UniqueFd> fds_;
};

}  // namespace rrtr
