// gdb's Host I/O (vFile) view of the debugged program's files: a descriptor table over
// copies of files the target handed over, and the File-I/O encodings of results.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace rrtr::gdb {

// errno values of the File-I/O protocol (the manual's "Errno Values"); they are not
// the host's.
namespace fio_errno {
constexpr int kNoEnt = 2;
constexpr int kBadF = 9;
constexpr int kAcces = 13;
constexpr int kInval = 22;
constexpr int kMFile = 24;
}  // namespace fio_errno

// File-I/O open flags that ask for write access.
constexpr std::uint64_t kFioWriteAccessMask = 0x3;  // O_WRONLY | O_RDWR

// Descriptors gdb opened with vFile:open; each keeps its own copy of the contents.
class FileTable {
 public:
  // gdb opens a handful of files at a time; a client opening without closing is
  // refused past this instead of holding copies without bound.
  static constexpr std::size_t kMaxOpen = 64;

  // The new descriptor, or -1 when the table is full.
  int open(std::string contents);
  // nullptr for a descriptor not open.
  const std::string* find(int fd) const;
  bool close(int fd);

 private:
  std::map<int, std::shared_ptr<const std::string>> files_;
};

// The 64-byte big-endian `struct stat` of the File-I/O protocol for a read-only regular
// file of `size` bytes.
std::string fio_stat(std::uint64_t size);

}  // namespace rrtr::gdb
