#include "gdb/host_io.h"

namespace rrtr::gdb {

namespace {

void put_be(std::string& out, std::uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

constexpr std::uint64_t kRegularFile = 0100000;
constexpr std::uint64_t kReadOnlyMode = 0444;

}  // namespace

int FileTable::open(std::string contents) {
  if (files_.size() >= kMaxOpen) return -1;
  // The lowest free number, as POSIX does, keeps descriptors small and predictable.
  int fd = 1;
  while (files_.count(fd) != 0) ++fd;
  files_.emplace(fd, std::make_shared<const std::string>(std::move(contents)));
  return fd;
}

const std::string* FileTable::find(int fd) const {
  auto it = files_.find(fd);
  return it == files_.end() ? nullptr : it->second.get();
}

bool FileTable::close(int fd) { return files_.erase(fd) != 0; }

std::string fio_stat(std::uint64_t size) {
  std::string out;
  out.reserve(64);
  put_be(out, 0, 4);                             // st_dev: 0 means a file
  put_be(out, 0, 4);                             // st_ino
  put_be(out, kRegularFile | kReadOnlyMode, 4);  // st_mode
  put_be(out, 1, 4);                             // st_nlink
  put_be(out, 0, 4);                             // st_uid
  put_be(out, 0, 4);                             // st_gid
  put_be(out, 0, 4);                             // st_rdev
  put_be(out, size, 8);                          // st_size
  put_be(out, 4096, 8);                          // st_blksize
  put_be(out, (size + 511) / 512, 8);            // st_blocks
  put_be(out, 0, 4);                             // st_atime
  put_be(out, 0, 4);                             // st_mtime
  put_be(out, 0, 4);                             // st_ctime
  return out;
}

}  // namespace rrtr::gdb
