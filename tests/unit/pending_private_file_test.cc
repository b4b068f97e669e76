#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <string>
#include <vector>

#include "common/error.h"
#include "common/files.h"
#include "temp_dir.h"

namespace rrtr {
namespace {

std::vector<std::string> names_in(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(PendingPrivateFile, ReplacesTheFileOnlyWhenCommitted) {
  TempDir dir;
  const auto target = dir.path / "meta.json";
  write_private_file(target, "first\n");
  {
    PendingPrivateFile pending(target, 16384);
    // Made now, beside the file it will replace, which is untouched until the commit.
    ASSERT_EQ(names_in(dir.path).size(), 2u);
    EXPECT_EQ(read_file(target), "first\n");
    pending.commit("second\n");
  }
  EXPECT_EQ(names_in(dir.path), std::vector<std::string>{"meta.json"});
  EXPECT_EQ(read_file(target), "second\n");
  struct stat st {};
  ASSERT_EQ(::stat(target.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(st.st_size, 7);
  // Allocated beforehand (ext4, tmpfs): the size stays what was written.
  EXPECT_GE(st.st_blocks * 512, 16384);
}

TEST(PendingPrivateFile, AnUncommittedOneLeavesNothing) {
  TempDir dir;
  const auto target = dir.path / "meta.json";
  write_private_file(target, "first\n");
  { PendingPrivateFile pending(target); }
  EXPECT_EQ(names_in(dir.path), std::vector<std::string>{"meta.json"});
  EXPECT_EQ(read_file(target), "first\n");
}

TEST(PendingPrivateFile, ADirectoryThatIsNotThereIsBadInput) {
  TempDir dir;
  try {
    PendingPrivateFile pending(dir.path / "missing" / "meta.json");
    FAIL() << "made a file in a missing directory";
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), ExitCode::kBadInput);
    EXPECT_NE(std::string(e.what()).find("cannot create"), std::string::npos);
  }
}

}  // namespace
}  // namespace rrtr
