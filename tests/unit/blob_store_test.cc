#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

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

TEST(BlobStore, FileIdsAreCachedByInode) {
  TempDir dir;
  auto f = dir.path / "lib.so";
  std::ofstream(f) << "library bytes";
  BlobStore store(dir.path / "store");
  UniqueFd fd(open(f.c_str(), O_RDONLY));
  BlobId id = store.put_file(fd.get());
  EXPECT_EQ(id, BlobId::of("library bytes"));
  EXPECT_FALSE(std::filesystem::is_empty(dir.path / "store" / "by-inode"));
  EXPECT_EQ(store.put_file(fd.get()), id);
}

TEST(BlobId, HexRoundTrip) {
  BlobId id = BlobId::of("x");
  EXPECT_EQ(BlobId::from_hex(id.hex()), id);
  EXPECT_FALSE(BlobId::from_hex("nothex"));
  EXPECT_FALSE(BlobId::from_hex(std::string(32, 'g')));
}

}  // namespace
}  // namespace rrtr
