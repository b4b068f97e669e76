// The syscalls the recorder answers itself must get the answers the kernel gives the
// tracee: checked against a real traced child.
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "ptrace/tracee_process.h"
#include "syscalls/answer_fns.h"

namespace rrtr {
namespace {

// A buffer in the child: fork copies the parent, so its address is the same there.
alignas(16) char g_child_buffer[64];

struct Child {
  TraceeProcess proc{0, [] {
                       for (;;) pause();
                     }};
  Registers call(std::int64_t nr, std::uint64_t a0 = 0, std::uint64_t a1 = 0) {
    Registers r = proc.task().regs();
    r.set_syscallno(nr);
    r.set_arg(0, a0);
    r.set_arg(1, a1);
    return r;
  }
  template <typename T>
  T read(std::uint64_t addr) {
    T v{};
    proc.task().try_read_mem(RemotePtr(addr), &v, sizeof v);
    return v;
  }
};

std::uint64_t buffer() { return reinterpret_cast<std::uint64_t>(g_child_buffer); }

TEST(AnswerFns, IdsAreTheChildsOwn) {
  Child c;
  EXPECT_EQ(answer_getpid(c.proc.task(), c.call(SYS_getpid)), c.proc.pid().value);
  EXPECT_EQ(answer_getppid(c.proc.task(), c.call(SYS_getppid)), getpid());  // we forked it
}

TEST(AnswerFns, ClockGettimeWritesTheSystemClockIntoTheChild) {
  Child c;
  timespec before{}, after{};
  clock_gettime(CLOCK_MONOTONIC, &before);
  EXPECT_EQ(answer_clock_gettime(c.proc.task(), c.call(SYS_clock_gettime, CLOCK_MONOTONIC, buffer())), 0);
  clock_gettime(CLOCK_MONOTONIC, &after);
  const auto got = c.read<timespec>(buffer());
  auto ns = [](const timespec& t) { return t.tv_sec * 1000000000LL + t.tv_nsec; };
  EXPECT_LE(ns(before), ns(got));
  EXPECT_LE(ns(got), ns(after));
}

TEST(AnswerFns, PerProcessClocksAreLeftToTheKernel) {
  Child c;
  EXPECT_EQ(answer_clock_gettime(c.proc.task(), c.call(SYS_clock_gettime, CLOCK_PROCESS_CPUTIME_ID, buffer())),
            std::nullopt);
  EXPECT_EQ(answer_clock_gettime(c.proc.task(), c.call(SYS_clock_gettime, CLOCK_THREAD_CPUTIME_ID, buffer())),
            std::nullopt);
}

TEST(AnswerFns, ABadPointerIsEfaultLikeTheKernelSays) {
  Child c;
  EXPECT_EQ(answer_clock_gettime(c.proc.task(), c.call(SYS_clock_gettime, CLOCK_REALTIME, 8)), -EFAULT);
  EXPECT_EQ(answer_gettimeofday(c.proc.task(), c.call(SYS_gettimeofday, 8)), -EFAULT);
  EXPECT_EQ(answer_time(c.proc.task(), c.call(SYS_time, 8)), -EFAULT);
}

TEST(AnswerFns, AReadOnlyPageIsEfaultToo) {
  // The tracer could write there (/proc/PID/mem can); the kernel would not.
  void* ro = mmap(nullptr, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(ro, MAP_FAILED);
  {
    Child c;  // forked after the mapping: it has it too
    const auto addr = reinterpret_cast<std::uint64_t>(ro);
    EXPECT_EQ(answer_clock_gettime(c.proc.task(), c.call(SYS_clock_gettime, CLOCK_MONOTONIC, addr)), -EFAULT);
    EXPECT_EQ(c.read<std::uint64_t>(addr), 0u);
  }
  munmap(ro, 4096);
}

TEST(AnswerFns, TimeReturnsAndStoresTheSeconds) {
  Child c;
  const auto before = time(nullptr);
  const auto r = answer_time(c.proc.task(), c.call(SYS_time, buffer()));
  ASSERT_TRUE(r.has_value());
  EXPECT_GE(*r, before);
  EXPECT_EQ(c.read<std::int64_t>(buffer()), *r);
  EXPECT_EQ(answer_time(c.proc.task(), c.call(SYS_time, 0)).value_or(-1) >= before, true);
}

TEST(AnswerFns, GettimeofdayWithATimezoneIsLeftToTheKernel) {
  Child c;
  EXPECT_EQ(answer_gettimeofday(c.proc.task(), c.call(SYS_gettimeofday, buffer(), buffer() + 32)), std::nullopt);
  EXPECT_EQ(answer_gettimeofday(c.proc.task(), c.call(SYS_gettimeofday, 0, 0)), 0);
}

}  // namespace
}  // namespace rrtr
