#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ptrace/task.h"
#include "record/stdio_tracker.h"

namespace rrtr {
namespace {

Registers call(std::int64_t result, std::initializer_list<std::uint64_t> args) {
  Registers r;
  int i = 0;
  for (auto a : args) r.set_arg(i++, a);
  r.set_result(result);
  return r;
}

TEST(StdioTracker, FollowsDupCloseAndReuse) {
  Task self(Tid{getpid()});  // only used to read the pipe2 array from our own memory
  StdioTracker t;
  EXPECT_EQ(t.stream_of(1), 1);
  EXPECT_EQ(t.stream_of(2), 2);
  EXPECT_EQ(t.stream_of(3), 0);
  t.after_syscall(*find_syscall(SYS_dup), self, call(5, {1}));
  EXPECT_EQ(t.stream_of(5), 1);
  t.after_syscall(*find_syscall(SYS_dup2), self, call(1, {2, 1}));
  EXPECT_EQ(t.stream_of(1), 2) << "after dup2(2, 1), fd 1 is stderr";
  t.after_syscall(*find_syscall(SYS_close), self, call(0, {5}));
  EXPECT_EQ(t.stream_of(5), 0);
  t.after_syscall(*find_syscall(SYS_openat), self, call(2, {0, 0}));
  EXPECT_EQ(t.stream_of(2), 0) << "a file opened on a reused number is not stderr";
  t.after_syscall(*find_syscall(SYS_fcntl), self, call(9, {1, F_DUPFD, 9}));
  EXPECT_EQ(t.stream_of(9), 2);
  int fds[2] = {9, 1};
  t.after_syscall(*find_syscall(SYS_pipe2), self, call(0, {reinterpret_cast<std::uint64_t>(fds), 0}));
  EXPECT_EQ(t.stream_of(9), 0);
  EXPECT_EQ(t.stream_of(1), 0);
}

TEST(StdioTracker, FailedCallsChangeNothing) {
  Task self(Tid{getpid()});
  StdioTracker t;
  t.after_syscall(*find_syscall(SYS_close), self, call(-EBADF, {1}));
  EXPECT_EQ(t.stream_of(1), 1);
}

}  // namespace
}  // namespace rrtr
