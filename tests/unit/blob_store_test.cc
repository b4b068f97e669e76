#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>

#include "common/error.h"
#include "common/files.h"
#include "common/unique_fd.h"
#include "temp_dir.h"
#include "trace/blob_store.h"

namespace rrtr {
namespace {

TEST(BlobStore, ContentAddressedAndVerified) {
  TempDir dir;
  BlobStore store(dir.path / "store");
  BlobId a = store.put("hello");
  EXPECT_EQ(a, BlobId::of("hello"));
  EXPECT_EQ(store.put("hello"), a);  // stored once
  BlobReader reader(dir.path / "store");
  EXPECT_EQ(reader.get(a), "hello");
  struct stat st {};
  ASSERT_EQ(stat(store.path_of(a).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 077, 0u) << "blobs must be private to their owner";
}

TEST(BlobStore, DamagedBlobIsReportedNotReturned) {
  TempDir dir;
  BlobStore store(dir.path);
  BlobId a = store.put(std::string(10000, 'z'));
  std::string bytes = *read_file(store.path_of(a));
  bytes[bytes.size() - 1] ^= 1;
  std::ofstream(store.path_of(a), std::ios::binary) << bytes;
  try {
    BlobReader(dir.path).get(a);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), ExitCode::kTraceCorrupt);
  }
  std::filesystem::remove(store.path_of(a));
  try {
    BlobReader(dir.path).get(a);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("missing"), std::string::npos);
  }
}

// A file whose last change is older than the settle time (0 here: every file).
BlobStore settled_store(const std::filesystem::path& dir) { return BlobStore(dir, std::chrono::nanoseconds(0)); }

void write_file(const std::filesystem::path& p, std::string_view content) {
  std::ofstream(p, std::ios::binary | std::ios::trunc) << content;
}

BlobId put_path(BlobStore& store, const std::filesystem::path& p) {
  UniqueFd fd(open(p.c_str(), O_RDONLY | O_CLOEXEC));
  return store.put_file(fd.get());
}

// A store used once, as the next recording would.
BlobId put_path(BlobStore&& store, const std::filesystem::path& p) { return put_path(store, p); }

void set_mtime(const std::filesystem::path& p, const struct timespec& t) {
  struct timespec times[2] = {t, t};
  ASSERT_EQ(utimensat(AT_FDCWD, p.c_str(), times, 0), 0);
}

struct stat stat_of(const std::filesystem::path& p) {
  struct stat st {};
  stat(p.c_str(), &st);
  return st;
}

TEST(BlobStore, FileIdsAreCachedByInode) {
  TempDir dir;
  auto f = dir.path / "lib.so";
  write_file(f, "library bytes");
  BlobStore store = settled_store(dir.path / "store");
  BlobId id = put_path(store, f);
  EXPECT_EQ(id, BlobId::of("library bytes"));
  EXPECT_FALSE(std::filesystem::is_empty(dir.path / "store" / "by-inode"));
  EXPECT_EQ(put_path(store, f), id);
  BlobStore next_recording = settled_store(dir.path / "store");
  EXPECT_EQ(put_path(next_recording, f), id);
}

// The cache must never give the id of a file's old content: a stale id is a trace
// that silently replays other code.
TEST(BlobStore, ChangedFileOfTheSameSizeIsHashedAgain) {
  TempDir dir;
  auto f = dir.path / "lib.so";
  write_file(f, "version 1");
  set_mtime(f, {1'000'000'000, 0});
  BlobStore store = settled_store(dir.path / "store");
  ASSERT_EQ(put_path(store, f), BlobId::of("version 1"));

  write_file(f, "version 2");  // same size, new mtime
  EXPECT_EQ(put_path(store, f), BlobId::of("version 2"));
  EXPECT_EQ(put_path(settled_store(dir.path / "store"), f), BlobId::of("version 2"));
}

TEST(BlobStore, ChangedFileWithItsMtimeSetBackIsHashedAgain) {
  TempDir dir;
  auto f = dir.path / "lib.so";
  write_file(f, "version 1");
  const struct timespec old_mtime = {1'000'000'000, 0};
  set_mtime(f, old_mtime);
  BlobStore store = settled_store(dir.path / "store");
  ASSERT_EQ(put_path(store, f), BlobId::of("version 1"));
  const struct stat before = stat_of(f);

  // Same size, same mtime (as cp -p or tar leave it); only ctime tells. Wait for the
  // coarse clock to move so that ctime does.
  do {
    write_file(f, "version 2");
    set_mtime(f, old_mtime);
  } while (stat_of(f).st_ctim.tv_sec == before.st_ctim.tv_sec && stat_of(f).st_ctim.tv_nsec == before.st_ctim.tv_nsec);
  EXPECT_EQ(put_path(store, f), BlobId::of("version 2"));
  EXPECT_EQ(put_path(settled_store(dir.path / "store"), f), BlobId::of("version 2"));
}

// A file changed just now may change again within the same timestamp tick, unseen by
// its (mtime, ctime): its id is not cached at all.
TEST(BlobStore, JustChangedFileIsNotCached) {
  TempDir dir;
  auto f = dir.path / "lib.so";
  write_file(f, "fresh");
  BlobStore store(dir.path / "store");
  EXPECT_EQ(put_path(store, f), BlobId::of("fresh"));
  EXPECT_TRUE(std::filesystem::is_empty(dir.path / "store" / "by-inode"));
  write_file(f, "fres2");
  EXPECT_EQ(put_path(store, f), BlobId::of("fres2"));
}

TEST(BlobStore, CacheEntryOfAMissingBlobIsNotUsed) {
  TempDir dir;
  auto f = dir.path / "lib.so";
  write_file(f, "library bytes");
  BlobStore first = settled_store(dir.path / "store");
  BlobId id = put_path(first, f);
  std::filesystem::remove(first.path_of(id));
  BlobStore store = settled_store(dir.path / "store");
  EXPECT_EQ(put_path(store, f), id);
  EXPECT_EQ(BlobReader(dir.path / "store").get(id), "library bytes");
}

TEST(BlobId, HexRoundTrip) {
  BlobId id = BlobId::of("x");
  EXPECT_EQ(BlobId::from_hex(id.hex()), id);
  EXPECT_FALSE(BlobId::from_hex("nothex"));
  EXPECT_FALSE(BlobId::from_hex(std::string(32, 'g')));
}

}  // namespace
}  // namespace rrtr
