// The kernel-counted breakpoint that reverse stepping leaves loops to: it must count
// every hit of a traced child and stop it exactly at the Nth.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstddef>

#include "ticks/breakpoint_counter.h"

namespace rrtr {
namespace {

__attribute__((noipa)) long step_once(long x) { return x * 3 + 1; }

constexpr long kCalls = 20000;

// A traced child stopped before a loop of kCalls calls of step_once; killed at the end.
class TracedLoop {
 public:
  TracedLoop() {
    pid_ = fork();
    if (pid_ == 0) {
      ptrace(PTRACE_TRACEME, 0, nullptr, nullptr);
      raise(SIGSTOP);
      long x = 0;
      for (long i = 0; i < kCalls; ++i) x = step_once(x);
      _exit(static_cast<int>(x & 1));
    }
    int status = 0;
    waitpid(pid_, &status, 0);
    ptrace(PTRACE_SETOPTIONS, pid_, nullptr, PTRACE_O_EXITKILL);
  }
  ~TracedLoop() {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  TracedLoop(const TracedLoop&) = delete;
  TracedLoop& operator=(const TracedLoop&) = delete;
  Pid pid() const { return Pid{pid_}; }
  int resume() {
    ptrace(PTRACE_CONT, pid_, nullptr, nullptr);
    int status = 0;
    waitpid(pid_, &status, 0);
    return status;
  }

 private:
  pid_t pid_ = -1;
};

std::uint64_t address_of_step_once() { return reinterpret_cast<std::uint64_t>(&step_once); }

TEST(BreakpointCounter, CountsEveryHitWithoutStopping) {
  TracedLoop child;
  auto counter = BreakpointCounter::open(child.pid(), address_of_step_once());
  if (!counter) GTEST_SKIP() << "perf breakpoint events are not available here (perf_event_open refused)";
  const int status = child.resume();
  ASSERT_TRUE(WIFEXITED(status)) << "the child stopped on the way: status " << status;
  EXPECT_EQ(counter->hits(), static_cast<std::uint64_t>(kCalls));
}

TEST(BreakpointCounter, StopsAtTheNthHitBeforeItRuns) {
  TracedLoop child;
  constexpr std::uint64_t kNth = 12345;
  auto counter = BreakpointCounter::open(child.pid(), address_of_step_once(), kNth);
  if (!counter) GTEST_SKIP() << "perf breakpoint events are not available here (perf_event_open refused)";
  const int status = child.resume();
  ASSERT_TRUE(WIFSTOPPED(status) && WSTOPSIG(status) == SIGTRAP) << "status " << status;
  EXPECT_TRUE(is_breakpoint_counter_stop(child.pid()));
  EXPECT_EQ(counter->hits(), kNth);
  user_regs_struct regs{};
  ASSERT_EQ(ptrace(PTRACE_GETREGS, child.pid().value, nullptr, &regs), 0);
  EXPECT_EQ(regs.rip, address_of_step_once());
}

TEST(BreakpointCounter, OrdinarySignalStopIsNotACounterStop) {
  TracedLoop child;  // stopped by its own SIGSTOP
  EXPECT_FALSE(is_breakpoint_counter_stop(child.pid()));
}

}  // namespace
}  // namespace rrtr
