// A typical unit-test binary: 30 small tests, each writing, reading back and
// removing a file and asking for the time, about 500 syscalls in all.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <string>

namespace {

class SmallFileIo : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TMPDIR");
    path_ = std::string(tmp ? tmp : "/tmp") + "/gtest_io-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name();
  }
  void TearDown() override { ::unlink(path_.c_str()); }

  void write_file(const std::string& content) {
    int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::write(fd, content.data(), content.size()), static_cast<ssize_t>(content.size()));
    ASSERT_EQ(::close(fd), 0);
  }

  std::string read_file() {
    std::string out(4096, '\0');
    int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    EXPECT_GE(fd, 0);
    ssize_t n = ::read(fd, out.data(), out.size());
    ::close(fd);
    out.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    return out;
  }

  // Writes, stats, reads back: the round trip every test below makes.
  void round_trip(std::size_t size, char fill) {
    const auto start = std::chrono::steady_clock::now();
    const std::string content(size, fill);
    write_file(content);
    struct stat st {};
    ASSERT_EQ(::stat(path_.c_str(), &st), 0);
    EXPECT_EQ(static_cast<std::size_t>(st.st_size), size);
    EXPECT_EQ(read_file(), content);
    struct timespec now {};
    ASSERT_EQ(clock_gettime(CLOCK_REALTIME, &now), 0);
    EXPECT_GT(now.tv_sec, 0);
    EXPECT_GE(std::chrono::steady_clock::now(), start);
  }

  std::string path_;
};

TEST_F(SmallFileIo, Empty) { round_trip(0, 'a'); }
TEST_F(SmallFileIo, OneByte) { round_trip(1, 'b'); }
TEST_F(SmallFileIo, TwoBytes) { round_trip(2, 'c'); }
TEST_F(SmallFileIo, Line) { round_trip(80, 'd'); }
TEST_F(SmallFileIo, Hundred) { round_trip(100, 'e'); }
TEST_F(SmallFileIo, PowerOfTwo) { round_trip(128, 'f'); }
TEST_F(SmallFileIo, OddSize) { round_trip(333, 'g'); }
TEST_F(SmallFileIo, HalfKilobyte) { round_trip(512, 'h'); }
TEST_F(SmallFileIo, Kilobyte) { round_trip(1024, 'i'); }
TEST_F(SmallFileIo, TwoKilobytes) { round_trip(2048, 'j'); }
TEST_F(SmallFileIo, AlmostPage) { round_trip(4095, 'k'); }
TEST_F(SmallFileIo, Page) { round_trip(4096, 'l'); }
TEST_F(SmallFileIo, Digits) { round_trip(10, '7'); }
TEST_F(SmallFileIo, Spaces) { round_trip(64, ' '); }
TEST_F(SmallFileIo, Newlines) { round_trip(32, '\n'); }
TEST_F(SmallFileIo, NulBytes) { round_trip(48, '\0'); }

TEST_F(SmallFileIo, OverwriteShrinks) {
  write_file("a longer first version");
  write_file("short");
  EXPECT_EQ(read_file(), "short");
}

TEST_F(SmallFileIo, AppendGrows) {
  write_file("first ");
  int fd = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, "second", 6), 6);
  ::close(fd);
  EXPECT_EQ(read_file(), "first second");
}

TEST_F(SmallFileIo, MissingFileFails) {
  EXPECT_EQ(::open(path_.c_str(), O_RDONLY | O_CLOEXEC), -1);
  EXPECT_EQ(errno, ENOENT);
}

TEST_F(SmallFileIo, UnlinkRemoves) {
  write_file("x");
  ASSERT_EQ(::unlink(path_.c_str()), 0);
  EXPECT_NE(::access(path_.c_str(), F_OK), 0);
}

TEST_F(SmallFileIo, RenameMoves) {
  write_file("moving");
  const std::string to = path_ + ".moved";
  ASSERT_EQ(::rename(path_.c_str(), to.c_str()), 0);
  EXPECT_NE(::access(path_.c_str(), F_OK), 0);
  ::unlink(to.c_str());
}

TEST_F(SmallFileIo, ModeIsPrivate) {
  write_file("secret");
  struct stat st {};
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 077, 0u);
}

TEST_F(SmallFileIo, PreadAtOffset) {
  write_file("0123456789");
  int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  char c = 0;
  ASSERT_EQ(::pread(fd, &c, 1, 7), 1);
  ::close(fd);
  EXPECT_EQ(c, '7');
}

TEST_F(SmallFileIo, SeekToEnd) {
  write_file("twelve bytes");
  int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  EXPECT_EQ(::lseek(fd, 0, SEEK_END), 12);
  ::close(fd);
}

TEST_F(SmallFileIo, TruncateShortens) {
  write_file("truncate me");
  ASSERT_EQ(::truncate(path_.c_str(), 8), 0);
  EXPECT_EQ(read_file(), "truncate");
}

TEST_F(SmallFileIo, FsyncSucceeds) {
  int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(::fsync(fd), 0);
  ::close(fd);
}

TEST(Clock, RealtimeIsAfter2020) {
  struct timespec ts {};
  ASSERT_EQ(clock_gettime(CLOCK_REALTIME, &ts), 0);
  EXPECT_GT(ts.tv_sec, 1577836800);
}

TEST(Clock, MonotonicDoesNotGoBack) {
  struct timespec a {}, b {};
  clock_gettime(CLOCK_MONOTONIC, &a);
  clock_gettime(CLOCK_MONOTONIC, &b);
  EXPECT_TRUE(b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec));
}

TEST(Clock, TimeAgreesWithChrono) {
  const auto chrono_s = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch()).count();
  EXPECT_LE(std::abs(static_cast<long long>(std::time(nullptr)) - chrono_s), 1);
}

TEST(Clock, CpuTimeAdvances) {
  const std::clock_t start = std::clock();
  volatile unsigned sink = 0;
  for (unsigned i = 0; i < 100000; ++i) sink = sink + i;
  EXPECT_GE(std::clock(), start);
}

TEST(Clock, LocaltimeConverts) {
  const std::time_t t = 86400 * 365;
  struct tm out {};
  ASSERT_NE(gmtime_r(&t, &out), nullptr);
  EXPECT_EQ(out.tm_year, 71);
}

}  // namespace
