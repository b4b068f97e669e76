#include "ptrace/tracee_process.h"

#include <gtest/gtest.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "common/cpu_sets.h"

namespace rrtr {
namespace {

// The death of a snapshot's copy must not run on the program's CPU (exec_snapshot.h).
TEST(TraceeProcess, KillOnCallersCpusMovesTheDyingProcessToThem) {
  const cpu_set_t allowed = current_cpus();
  std::vector<int> cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE && cpus.size() < 2; ++cpu)
    if (CPU_ISSET(cpu, &allowed)) cpus.push_back(cpu);
  if (cpus.size() < 2) GTEST_SKIP() << "needs two CPUs, this process may use one";
  // On a thread of its own: TraceeProcess pins its caller to the child's CPU.
  std::thread([&] {
    TraceeProcess proc(cpus[0], [] {
      for (;;) pause();
    });
    cpu_set_t killer;
    CPU_ZERO(&killer);
    CPU_SET(cpus[1], &killer);
    ASSERT_EQ(sched_setaffinity(0, sizeof killer, &killer), 0);
    proc.kill_on_callers_cpus();
    siginfo_t info{};
    ASSERT_EQ(waitid(P_PID, static_cast<id_t>(proc.pid().value), &info, WEXITED | WNOWAIT), 0);  // dead, not reaped
    EXPECT_EQ(info.si_status, SIGKILL);
    cpu_set_t died_on;
    ASSERT_EQ(sched_getaffinity(proc.pid().value, sizeof died_on, &died_on), 0);
    EXPECT_TRUE(CPU_EQUAL(&died_on, &killer)) << "the copy died pinned to the program's CPU";
  }).join();
}

}  // namespace
}  // namespace rrtr
