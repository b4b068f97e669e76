#include "ptrace/tracee_process.h"

#include <gtest/gtest.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "child_with_engine_page.h"
#include "common/files.h"
#include "ptrace/rrtr_page.h"

namespace rrtr {
namespace {

// The death of a snapshot's copy must not run on the program's CPU (exec_snapshot.h).
TEST(TraceeProcess, KillOnCallersCpusMovesTheDyingProcessToThem) {
  // The CPUs a thread may be pinned to, tried one by one: this thread's own set may be
  // one CPU already (a TraceeProcess made by an earlier test in this process pins its
  // caller), and a new thread may widen it.
  std::vector<int> cpus;
  std::thread([&] {
    for (int cpu = 0; cpu < CPU_SETSIZE && cpus.size() < 2; ++cpu) {
      cpu_set_t one;
      CPU_ZERO(&one);
      CPU_SET(cpu, &one);
      if (sched_setaffinity(0, sizeof one, &one) == 0) cpus.push_back(cpu);
    }
  }).join();
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

volatile int g_marker = 0;

// The copy of a snapshot or a checkpoint: the tracee's memory, our child, traced by us,
// stopped before it runs an instruction.
TEST(TraceeProcess, ForkStoppedTraceeIsAStoppedTracedCopyOfOurs) {
  ChildWithEnginePage child([] { g_marker = 4242; });
  auto copy = fork_stopped_tracee(child.proc.task());
  const auto status = read_proc_file(fmt::format("/proc/{}/status", copy->pid().value));
  ASSERT_TRUE(status);
  EXPECT_NE(status->find("State:\tt (tracing stop)"), std::string::npos) << *status;
  EXPECT_NE(status->find(fmt::format("PPid:\t{}\n", getpid())), std::string::npos) << *status;
  EXPECT_NE(status->find(fmt::format("TracerPid:\t{}\n", getpid())), std::string::npos) << *status;
  EXPECT_EQ(copy->task().read_val<int>(RemotePtr(reinterpret_cast<std::uintptr_t>(&g_marker))), 4242);
}

// copy_call's clone runs without the PTRACE_EVENT_CLONE stop the engine's options would
// make of a clone (a round trip of the tracer's), its copy traced all the same.
TEST(TraceeProcess, TheCopysCloneMakesNoCloneEventStop) {
  ChildWithEnginePage child;
  Task& task = child.proc.task();
  const Registers saved = task.regs();
  const auto call = copy_call();
  Registers r = saved;
  r.set_ip(rrtr_page::kSyscallGadget);
  r.set_syscallno(-1);
  r.set_result(call.nr);
  for (int i = 0; i < 6; ++i) r.set_arg(i, call.args[i]);
  task.set_regs(r);
  task.resume(Resume::kCont);
  const WaitStatus st = task.wait();
  EXPECT_EQ(st.ptrace_event(), 0) << st.describe();
  ASSERT_EQ(st.delivered_signal(), SIGTRAP) << st.describe();  // the gadget's int3, straight after the clone
  const auto copy = adopt_copy(task.regs().result(), CopyStop::kWaitForIt);
  task.set_regs(saved);
  const auto status = read_proc_file(fmt::format("/proc/{}/status", copy->pid().value));
  ASSERT_TRUE(status);
  EXPECT_NE(status->find(fmt::format("TracerPid:\t{}\n", getpid())), std::string::npos) << *status;
}

}  // namespace
}  // namespace rrtr
