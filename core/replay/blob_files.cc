#include "replay/blob_files.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fmt/format.h>

#include "common/error.h"
#include "common/files.h"
#include "common/mapped_file.h"

namespace rrtr {

std::optional<std::filesystem::path> DecompressedBlobCache::dir() {
  if (const char* d = std::getenv("RRTR_BLOB_CACHE"); d && *d) {
    if (std::string_view(d) == "off") return std::nullopt;
    return std::filesystem::path(d);
  }
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
    return std::filesystem::path(xdg) / "rr-test-runner" / "blobs";
  if (const char* home = std::getenv("HOME"); home && *home)
    return std::filesystem::path(home) / ".cache" / "rr-test-runner" / "blobs";
  return std::nullopt;
}

std::optional<UniqueFd> DecompressedBlobCache::open(const BlobId& compressed_key, const BlobId& id) {
  const auto d = dir();
  if (!d) return std::nullopt;
  UniqueFd fd(::open((*d / compressed_key.hex()).c_str(), O_RDONLY | O_CLOEXEC));
  struct stat st {};
  if (!fd.valid() || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  auto content = MappedFile::of_fd(fd.get());
  if (!content || BlobId::of(content->bytes()) != id) return std::nullopt;  // damaged or half-written: not used
  return fd;
}

void DecompressedBlobCache::store(const BlobId& compressed_key, std::string_view content) {
  const auto d = dir();
  if (!d) return;
  try {
    make_private_dir(*d);
    write_private_file(*d / compressed_key.hex(), content);
  } catch (const Error&) {
    // A read-only or full disk: replay works without the cache.
  }
}

std::string BlobFiles::tracee_path(const BlobId& id) {
  auto it = fds_.find(id);
  if (it == fds_.end()) {
    const MappedFile compressed = blobs_.compressed(id);
    const BlobId key = BlobId::of(compressed.bytes());
    if (auto cached = DecompressedBlobCache::open(key, id)) {
      it = fds_.emplace(id, std::move(*cached)).first;
    } else {
      const std::string data = blobs_.decode(id, compressed.bytes());
      UniqueFd fd(memfd_create(("rrtr-" + id.hex()).c_str(), MFD_CLOEXEC));
      if (!fd.valid()) fail_errno("memfd_create");
      std::size_t off = 0;
      while (off < data.size()) {
        ssize_t n = ::write(fd.get(), data.data() + off, data.size() - off);
        if (n <= 0) fail_errno("write to memfd");
        off += static_cast<std::size_t>(n);
      }
      DecompressedBlobCache::store(key, data);
      it = fds_.emplace(id, std::move(fd)).first;
    }
  }
  return fmt::format("/proc/{}/fd/{}", getpid(), it->second.get());
}

}  // namespace rrtr
