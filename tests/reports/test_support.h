// Files and processes for tests that check output with real tools.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace rrtr::reports::testing {

// A fresh directory under $TMPDIR, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path write(std::string_view name, std::string_view contents) const;

 private:
  std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path& path);

// Exit status and stdout of `/bin/sh -c command`.
struct CommandResult {
  int exit_status;
  std::string output;
};
CommandResult run_command(const std::string& command);

bool have_program(std::string_view name);

}  // namespace rrtr::reports::testing
