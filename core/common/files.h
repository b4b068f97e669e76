// Small whole-file helpers shared by the trace, the recorder and the CLI.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace rrtr {

// Reads a whole file; nullopt when it cannot be opened (errno is kept).
std::optional<std::string> read_file(const std::filesystem::path& path);
// Reads a /proc file or similar whose size stat() does not know.
std::optional<std::string> read_proc_file(const std::filesystem::path& path);
// Writes atomically (temp file + rename) with mode 0600: traces hold the program's
// environment and data, so nothing we write is readable by other users.
void write_private_file(const std::filesystem::path& path, std::string_view data);
// Creates a directory (and parents) with mode 0700.
void make_private_dir(const std::filesystem::path& path);
// The first executable regular file called `name` in $PATH (as execvp searches it: an
// empty entry is the current directory); nullopt when there is none.
std::optional<std::filesystem::path> find_in_path(const std::string& name);

}  // namespace rrtr
