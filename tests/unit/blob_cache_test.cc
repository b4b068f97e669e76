#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "common/error.h"
#include "common/files.h"
#include "replay/blob_files.h"
#include "temp_dir.h"
#include "trace/blob_store.h"

namespace rrtr {
namespace {

// A trace's blobs/ and a cache whose files count as settled at once (settle time 0),
// as every file does two seconds after it was written.
struct CacheFixture : ::testing::Test {
  TempDir dir;
  std::filesystem::path trace_blobs = dir.path / "trace-blobs";
  std::filesystem::path cache_dir = dir.path / "cache";
  std::string content = std::string(100000, 'x') + "library";
  BlobId id = BlobStore(trace_blobs).put(content);
  BlobReader reader{trace_blobs};
  // Written long ago, as a settled blob is: a damaging write moves its mtime even
  // within the coarse clock's tick.
  bool aged = age(reader.path_of(id));

  static bool age(const std::filesystem::path& p) {
    const struct timespec old[2] = {{1'000'000'000, 0}, {1'000'000'000, 0}};
    return utimensat(AT_FDCWD, p.c_str(), old, 0) == 0;
  }

  DecompressedBlobCache settled_cache() { return DecompressedBlobCache(cache_dir, std::chrono::nanoseconds(0)); }
  std::string read_fd(const UniqueFd& fd) { return *read_file(fmt::format("/proc/self/fd/{}", fd.get())); }
  std::filesystem::path only_entry() {
    for (const auto& e : std::filesystem::directory_iterator(cache_dir))
      if (e.is_regular_file()) return e.path();
    return {};
  }
  static ino_t inode_of(int fd) {
    struct stat st {};
    fstat(fd, &st);
    return st.st_ino;
  }
  static void flip_middle_byte(const std::filesystem::path& p) {
    std::string bytes = *read_file(p);
    bytes[bytes.size() / 2] ^= 0x5a;
    std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes;
  }
};

TEST_F(CacheFixture, FirstReplayFillsTheCacheAndTheNextMapsIt) {
  EXPECT_EQ(read_fd(settled_cache().open(reader, id)), content);
  const auto entry = only_entry();
  ASSERT_FALSE(entry.empty());
  // A later replay: the entry itself, verified once and then known by its version.
  for (int i = 0; i < 2; ++i) {
    UniqueFd fd = settled_cache().open(reader, id);
    EXPECT_EQ(read_fd(fd), content);
    struct stat st {};
    ASSERT_EQ(stat(entry.c_str(), &st), 0);
    EXPECT_EQ(inode_of(fd.get()), st.st_ino) << "not the cached file";
  }
  // Both files' hashes are remembered: the trace's blob and the entry.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(cache_dir / "by-inode"), {}), 2);
}

// Every recording links the store's blobs into its trace, which moves their ctime: a
// replay right after must still know the trace's blob.
TEST_F(CacheFixture, ATraceBlobLinkedAgainIsStillKnown) {
  ASSERT_TRUE(aged);
  settled_cache().open(reader, id);
  settled_cache().open(reader, id);
  const auto records = [&] { return std::distance(std::filesystem::directory_iterator(cache_dir / "by-inode"), {}); };
  ASSERT_EQ(records(), 2);
  ASSERT_EQ(link(reader.path_of(id).c_str(), (dir.path / "another-trace-blob").c_str()), 0);
  EXPECT_EQ(read_fd(settled_cache().open(reader, id)), content);
  EXPECT_EQ(records(), 2) << "the linked blob was hashed again";
}

TEST_F(CacheFixture, EntryDamagedAfterItWasVerifiedIsNotUsed) {
  settled_cache().open(reader, id);
  settled_cache().open(reader, id);  // verified and remembered
  const auto entry = only_entry();
  flip_middle_byte(entry);  // a new version of the file: verified again, and rejected
  EXPECT_EQ(read_fd(settled_cache().open(reader, id)), content);
  EXPECT_EQ(*read_file(entry), content) << "the entry was not made again";
}

TEST_F(CacheFixture, TraceBlobDamagedAfterItWasVerifiedIsReported) {
  ASSERT_TRUE(aged);
  settled_cache().open(reader, id);
  settled_cache().open(reader, id);
  flip_middle_byte(reader.path_of(id));
  try {
    settled_cache().open(reader, id);
    FAIL() << "a damaged blob was replayed";
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), ExitCode::kTraceCorrupt);
  }
}

TEST_F(CacheFixture, MissingBlobIsReportedWithOrWithoutCache) {
  std::filesystem::remove(reader.path_of(id));
  for (auto cache : {settled_cache(), DecompressedBlobCache(std::nullopt)}) {
    try {
      cache.open(reader, id);
      FAIL();
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("missing"), std::string::npos) << e.what();
    }
  }
}

TEST_F(CacheFixture, NoCacheDirectoryStillReplays) {
  EXPECT_EQ(read_fd(DecompressedBlobCache(std::nullopt).open(reader, id)), content);
  EXPECT_FALSE(std::filesystem::exists(cache_dir));
}

}  // namespace
}  // namespace rrtr
