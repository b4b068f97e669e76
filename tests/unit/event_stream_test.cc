#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "common/error.h"
#include "common/files.h"
#include "temp_dir.h"
#include "trace/event_stream.h"

namespace rrtr {
namespace {

// Enough events with enough payload to span several 1 MiB chunks.
void write_events(const std::filesystem::path& p, int n) {
  EventStreamWriter w(p);
  for (int i = 0; i < n; ++i) {
    SyscallEvent s;
    s.nr = i;
    s.writes.push_back({RemotePtr(static_cast<std::uint64_t>(i)), std::string(4096, static_cast<char>(i))});
    w.append(Event{Tid{1}, s});
  }
  w.sync();
}

// Chunks are written by the writer's thread: a write that fails there is reported by
// sync(), as it was by the write itself.
TEST(EventStream, AChunkThatCannotBeWrittenIsReportedBySync) {
  TempDir dir;
  const auto p = dir.path / "events";
  pid_t pid = fork();
  if (pid == 0) {
    signal(SIGXFSZ, SIG_IGN);
    const rlimit small{16, 16};  // the 8-byte magic fits, no chunk does
    setrlimit(RLIMIT_FSIZE, &small);
    try {
      write_events(p, 100);
    } catch (const Error& e) {
      _exit(std::string(e.what()).find("cannot write trace events") != std::string::npos ? 0 : 2);
    }
    _exit(1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

// The writer reuses the buffers of chunks it has written: each chunk holds its own events.
TEST(EventStream, ReadsBackEveryEventAcrossChunks) {
  TempDir dir;
  write_events(dir.path / "events", 1000);
  EventStreamReader r(dir.path / "events");
  int n = 0;
  while (auto e = r.next()) {
    const auto& s = std::get<SyscallEvent>(e->body);
    EXPECT_EQ(s.nr, n);
    ASSERT_EQ(s.writes.size(), 1u);
    EXPECT_EQ(s.writes[0].bytes, std::string(4096, static_cast<char>(n)));
    ++n;
  }
  EXPECT_EQ(n, 1000);
  EXPECT_FALSE(r.truncated());
}

// After hand_over_final() the caller writes what is appended, after the thread's chunks
// and in order, however many chunks that makes.
TEST(EventStream, EventsAfterTheFinalHandOverAreWrittenInOrder) {
  TempDir dir;
  const auto p = dir.path / "events";
  {
    EventStreamWriter w(p);
    int nr = 0;
    auto append = [&](int n) {
      for (int i = 0; i < n; ++i, ++nr) {
        SyscallEvent s;
        s.nr = nr;
        s.writes.push_back({RemotePtr(static_cast<std::uint64_t>(nr)), std::string(4096, static_cast<char>(nr))});
        w.append(Event{Tid{1}, s});
      }
    };
    append(700);  // some chunks handed over before, some pending
    w.hand_over_final();
    append(700);  // chunks the caller seals itself
    EXPECT_THROW(w.append_later([] { return Event{Tid{1}, SyscallEvent{}}; }), Error);
    w.close();
  }
  EventStreamReader r(p);
  int n = 0;
  while (auto e = r.next()) EXPECT_EQ(std::get<SyscallEvent>(e->body).nr, n++);
  EXPECT_EQ(n, 1400);
  EXPECT_FALSE(r.truncated());
}

TEST(EventStream, TruncatedTailEndsEarlyAndSaysSo) {
  TempDir dir;
  auto p = dir.path / "events";
  write_events(p, 1000);
  auto size = std::filesystem::file_size(p);
  ASSERT_EQ(truncate(p.c_str(), static_cast<off_t>(size - 100)), 0);
  EventStreamReader r(p);
  int n = 0;
  while (r.next()) ++n;
  EXPECT_TRUE(r.truncated());
  EXPECT_GT(n, 0);
  EXPECT_LT(n, 1000);
}

TEST(EventStream, FlippedByteFailsTheChecksum) {
  TempDir dir;
  auto p = dir.path / "events";
  write_events(p, 10);
  std::string bytes = *read_file(p);
  bytes[bytes.size() / 2] ^= 0x40;
  std::ofstream(p, std::ios::binary) << bytes;
  EventStreamReader r(p);
  try {
    while (r.next()) {
    }
    FAIL() << "a flipped byte went unnoticed";
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), ExitCode::kTraceCorrupt);
    EXPECT_NE(std::string(e.what()).find("checksum"), std::string::npos) << e.what();
  }
}

TEST(EventStream, WrongMagicIsRefused) {
  TempDir dir;
  std::ofstream(dir.path / "events") << "not a trace at all";
  EXPECT_THROW(EventStreamReader(dir.path / "events"), Error);
}

}  // namespace
}  // namespace rrtr

namespace rrtr {
namespace {

TEST(EventStream, SeekReturnsToATellPositionInAnyChunk) {
  TempDir dir;
  write_events(dir.path / "events", 1000);
  EventStreamReader r(dir.path / "events");
  std::vector<EventStreamReader::Position> marks;
  while (auto e = r.next())
    if (std::get<SyscallEvent>(e->body).nr % 97 == 0) marks.push_back(r.tell());
  ASSERT_GT(marks.size(), 5u);
  for (auto it = marks.rbegin(); it != marks.rend(); ++it) {
    r.seek(*it);
    auto e = r.next();
    ASSERT_TRUE(e);
    EXPECT_EQ(static_cast<std::uint64_t>(std::get<SyscallEvent>(e->body).nr), it->next_index);
  }
}

}  // namespace
}  // namespace rrtr
