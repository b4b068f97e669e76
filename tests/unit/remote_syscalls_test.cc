// The batch stub of the engine page, run in a real traced child.
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <csignal>
#include <cstring>

#include "common/error.h"
#include "ptrace/remote_syscalls.h"
#include "ptrace/rrtr_page.h"
#include "ptrace/tracee_process.h"
#include "child_with_engine_page.h"

namespace rrtr {
namespace {

using Call = RemoteSyscalls::Call;

TEST(RemoteSyscallsBatch, RunsEveryCallInOrderWithTheirResults) {
  ChildWithEnginePage c;
  RemoteSyscalls rs(c.proc.task());
  const std::vector<Call> calls{{"getpid", SYS_getpid, {}}, {"getppid", SYS_getppid, {}}, {"getpid", SYS_getpid, {}}};
  const auto r = rs.checked_batch(calls);
  const auto pid = static_cast<std::uint64_t>(c.proc.pid().value);
  EXPECT_EQ(r, (std::vector<std::uint64_t>{pid, static_cast<std::uint64_t>(getpid()), pid}));
}

TEST(RemoteSyscallsBatch, MoreCallsThanOneBatchHolds) {
  ChildWithEnginePage c;
  RemoteSyscalls rs(c.proc.task());
  std::vector<Call> calls(RemoteSyscalls::kMaxBatch * 2 + 3, Call{"getppid", SYS_getppid, {}});
  const auto r = rs.checked_batch(calls);
  ASSERT_EQ(r.size(), calls.size());
  for (auto v : r) EXPECT_EQ(v, static_cast<std::uint64_t>(getpid()));
}

TEST(RemoteSyscallsBatch, DataPutForTheCallsOutlivesAFullBatch) {
  ChildWithEnginePage c;
  RemoteSyscalls rs(c.proc.task());
  const std::string first(1000, 'a'), second(24, 'b');
  const RemotePtr a = rs.put_data(first), b = rs.put_data(second);
  EXPECT_LE(b + second.size(), a) << "below the earlier data";
  std::vector<Call> calls(RemoteSyscalls::kMaxBatch, Call{"getppid", SYS_getppid, {}});
  for (auto v : rs.checked_batch(calls)) EXPECT_EQ(v, static_cast<std::uint64_t>(getpid()));
  EXPECT_EQ(c.proc.task().read_mem(a, first.size()), first);
  EXPECT_EQ(c.proc.task().read_mem(b, second.size()), second);
}

TEST(RemoteSyscallsBatch, StopsAtTheFirstFailureAndNamesIt) {
  ChildWithEnginePage c;
  RemoteSyscalls rs(c.proc.task());
  // The mmap after the failing close must not run: its address stays free.
  const std::uint64_t probe = 0x60000000;
  const std::vector<Call> calls{{"getpid", SYS_getpid, {}},
                                {"close of descriptor 999", SYS_close, {999}},
                                {"mmap", SYS_mmap, {probe, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, ~0ULL, 0}}};
  try {
    rs.checked_batch(calls);
    FAIL() << "a failing call went unreported";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "remote close of descriptor 999 failed: Bad file descriptor");
  }
  char byte;
  EXPECT_EQ(c.proc.task().try_read_mem(RemotePtr(probe), &byte, 1), 0u) << "a call after the failure ran";
}

}  // namespace
}  // namespace rrtr
