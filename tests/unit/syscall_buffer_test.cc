#include "ptrace/syscall_buffer.h"

#include <gtest/gtest.h>
#include <sys/syscall.h>

#include <cstring>

#include "common/error.h"

namespace rrtr {
namespace {

// Builds a log the way the preload writes one.
class LogBuilder {
 public:
  LogBuilder& call(std::int64_t nr, std::int64_t result, std::initializer_list<std::uint64_t> args = {}) {
    rrtr_buffer_record r{};
    r.nr = nr;
    r.result = result;
    std::size_t i = 0;
    for (auto a : args) r.args[i++] = a;
    start_ = log_.size();
    regions_ = 0;
    append(&r, sizeof r);
    patch();
    return *this;
  }
  LogBuilder& region(rrtr_region_kind kind, std::uint64_t addr, std::string_view bytes) {
    rrtr_buffer_region g{addr, static_cast<std::uint32_t>(kind), static_cast<std::uint32_t>(bytes.size())};
    append(&g, sizeof g);
    append(bytes.data(), bytes.size());
    log_.resize((log_.size() + 7) & ~std::size_t{7});
    ++regions_;
    patch();
    return *this;
  }
  std::string& bytes() { return log_; }

 private:
  void append(const void* p, std::size_t n) { log_.append(static_cast<const char*>(p), n); }
  // Keeps the current record's size and region count up to date.
  void patch() {
    rrtr_buffer_record r;
    std::memcpy(&r, log_.data() + start_, sizeof r);
    r.size = static_cast<std::uint32_t>(log_.size() - start_);
    r.regions = regions_;
    std::memcpy(log_.data() + start_, &r, sizeof r);
  }

  std::string log_;
  std::size_t start_ = 0;
  std::uint16_t regions_ = 0;
};

TEST(SyscallBufferLog, DecodesCallsAndTheirRegions) {
  LogBuilder b;
  b.call(SYS_read, 5, {3, 0x1000, 64}).region(RRTR_REGION_OUT, 0x1000, "hello");
  b.call(SYS_close, 0, {3});
  b.call(SYS_openat, 4, {static_cast<std::uint64_t>(-100), 0x2000, 0}).region(RRTR_REGION_PATH, 0x2000, "/etc/hosts");
  auto calls = parse_buffer_log(b.bytes());
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[0].nr, SYS_read);
  EXPECT_EQ(calls[0].result, 5);
  EXPECT_EQ(calls[0].args[2], 64u);
  ASSERT_EQ(calls[0].regions().size(), 1u);
  EXPECT_EQ(calls[0].regions()[0].addr, RemotePtr(0x1000));
  EXPECT_EQ(calls[0].regions()[0].bytes, "hello");
  EXPECT_EQ(calls[0].region(RRTR_REGION_WRITTEN), nullptr);
  EXPECT_TRUE(calls[1].regions().empty());
  ASSERT_NE(calls[2].region(RRTR_REGION_PATH), nullptr);
  EXPECT_EQ(calls[2].region(RRTR_REGION_PATH)->bytes, "/etc/hosts");
  // The registers a syscall-exit stop would show, for the table's output rules.
  const Registers exit = calls[0].exit_regs();
  EXPECT_EQ(exit.syscallno(), SYS_read);
  EXPECT_EQ(exit.arg(1), 0x1000u);
  EXPECT_EQ(exit.result(), 5);
  EXPECT_TRUE(parse_buffer_log("").empty());
}

void expect_damaged(const std::string& log, const char* what) {
  try {
    parse_buffer_log(log);
    ADD_FAILURE() << "a damaged log was accepted: " << what;
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), ExitCode::kInternal);
    EXPECT_NE(std::string(e.what()).find("damaged"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
  }
}

TEST(SyscallBufferLog, ADamagedLogIsAnErrorNotAGuess) {
  LogBuilder good;
  good.call(SYS_read, 5, {3, 0x1000, 64}).region(RRTR_REGION_OUT, 0x1000, "hello");
  const std::string log = good.bytes();

  expect_damaged(log.substr(0, 20), "cut short");
  std::string bad = log;
  bad[0] = 3;  // size not a multiple of 8
  expect_damaged(bad, "bad record size");
  bad = log;
  const std::uint32_t huge = 1u << 30;
  std::memcpy(bad.data(), &huge, sizeof huge);
  expect_damaged(bad, "bad record size");
  bad = log;
  const std::uint16_t two = 2;
  std::memcpy(bad.data() + offsetof(rrtr_buffer_record, regions), &two, sizeof two);
  expect_damaged(bad, "more regions than a hook logs");
  bad = log;
  const std::uint32_t no_room = sizeof(rrtr_buffer_record) + 8;  // for the region's 16-byte header
  std::memcpy(bad.data() + offsetof(rrtr_buffer_record, size), &no_room, sizeof no_room);
  expect_damaged(bad, "a region header is cut short");
  bad = log;
  const std::uint32_t long_region = 4096;
  std::memcpy(bad.data() + sizeof(rrtr_buffer_record) + offsetof(rrtr_buffer_region, len), &long_region,
              sizeof long_region);
  expect_damaged(bad, "longer than its record");
  bad = log;
  const std::uint32_t kind = 9;
  std::memcpy(bad.data() + sizeof(rrtr_buffer_record) + offsetof(rrtr_buffer_region, kind), &kind, sizeof kind);
  expect_damaged(bad, "unknown region kind");
  bad = log;
  const std::uint16_t none = 0;
  std::memcpy(bad.data() + offsetof(rrtr_buffer_record, regions), &none, sizeof none);
  expect_damaged(bad, "do not fill");
}

}  // namespace
}  // namespace rrtr
