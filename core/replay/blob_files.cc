#include "replay/blob_files.h"

#include <sys/mman.h>
#include <unistd.h>

#include <fmt/format.h>

#include "common/error.h"

namespace rrtr {

std::string BlobFiles::tracee_path(const BlobId& id) {
  auto it = fds_.find(id);
  if (it == fds_.end()) {
    std::string data = blobs_.get(id);
    UniqueFd fd(memfd_create(("rrtr-" + id.hex()).c_str(), MFD_CLOEXEC));
    if (!fd.valid()) fail_errno("memfd_create");
    std::size_t off = 0;
    while (off < data.size()) {
      ssize_t n = ::write(fd.get(), data.data() + off, data.size() - off);
      if (n <= 0) fail_errno("write to memfd");
      off += static_cast<std::size_t>(n);
    }
    it = fds_.emplace(id, std::move(fd)).first;
  }
  return fmt::format("/proc/{}/fd/{}", getpid(), it->second.get());
}

}  // namespace rrtr
