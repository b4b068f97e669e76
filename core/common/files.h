// Small whole-file helpers shared by the trace, the recorder and the CLI.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "common/unique_fd.h"

namespace rrtr {

// Reads a whole file; nullopt when it cannot be opened (errno is kept).
std::optional<std::string> read_file(const std::filesystem::path& path);
// Reads a /proc file or similar whose size stat() does not know.
std::optional<std::string> read_proc_file(const std::filesystem::path& path);
// Writes atomically (temp file + rename) with mode 0600: traces hold the program's
// environment and data, so nothing we write is readable by other users.
void write_private_file(const std::filesystem::path& path, std::string_view data);

// write_private_file in two steps: the temporary file is made now (where waiting costs
// nothing), written and renamed into place by commit(). Its first `expected_size` bytes
// are allocated at once: renaming a file over another, ext4 first allocates the blocks
// the new one delayed (auto_da_alloc), which starts its writeback (~30 us in a VM);
// allocated beforehand, there is nothing left to do. The temporary is removed unless
// committed.
class PendingPrivateFile {
 public:
  explicit PendingPrivateFile(std::filesystem::path path, std::size_t expected_size = 0);
  PendingPrivateFile(const PendingPrivateFile&) = delete;
  PendingPrivateFile& operator=(const PendingPrivateFile&) = delete;
  ~PendingPrivateFile();
  void commit(std::string_view data);

 private:
  std::filesystem::path path_, tmp_;
  UniqueFd fd_;
};

// Creates a directory (and parents) with mode 0700.
void make_private_dir(const std::filesystem::path& path);
// The first executable regular file called `name` in $PATH (as execvp searches it: an
// empty entry is the current directory); nullopt when there is none.
std::optional<std::filesystem::path> find_in_path(const std::string& name);

}  // namespace rrtr
