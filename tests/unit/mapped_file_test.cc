#include <gtest/gtest.h>

#include <fstream>

#include "common/mapped_file.h"
#include "temp_dir.h"

namespace rrtr {
namespace {

TEST(MappedFile, MapsTheWholeFile) {
  TempDir dir;
  std::string content(3 * 4096 + 5, 'a');
  content.back() = 'z';
  std::ofstream(dir.path / "f", std::ios::binary) << content;
  auto f = MappedFile::open(dir.path / "f");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->bytes(), content);
  MappedFile moved = std::move(*f);
  EXPECT_EQ(moved.bytes(), content);
  EXPECT_TRUE(f->bytes().empty());
}

TEST(MappedFile, EmptyAndMissingFiles) {
  TempDir dir;
  std::ofstream(dir.path / "empty").flush();
  auto empty = MappedFile::open(dir.path / "empty");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->bytes().empty());
  EXPECT_FALSE(MappedFile::open(dir.path / "missing"));
}

}  // namespace
}  // namespace rrtr
