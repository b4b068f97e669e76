// Blobs made available to the replayed process as files it can mmap.
#pragma once

#include <map>
#include <string>

#include "common/unique_fd.h"
#include "trace/blob_store.h"

namespace rrtr {

// Decompresses each blob once into a memfd of the replayer; the tracee opens it through
// /proc/<replayer>/fd/N. Nothing is written to disk, and nothing of the host's is read.
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
