#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <linux/seccomp.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <vector>

#include "ptrace/rrtr_page.h"
#include "ptrace/seccomp_filter.h"
#include "ptrace/tracee_process.h"
#include "rrtr/syscall_buffer_abi.h"

namespace rrtr {
namespace {

// `syscall; ret` at `at` (one of the addresses run_filtered fills), callable from C.
long syscall_at(std::uint64_t at, long nr, long a0) {
  long r;
  __asm__ volatile("call *%1" : "=a"(r) : "r"(at), "0"(nr), "D"(a0) : "rcx", "r11", "memory");
  return r;
}
long gadget_syscall(long nr, long a0) { return syscall_at(rrtr_page::kAddr.value(), nr, a0); }
long buffered_gadget_syscall(long nr) { return syscall_at(rrtr_page::kBufferedGadget.value(), nr, 0); }
// Where the batch stub has its syscall instruction.
long batch_stub_syscall(long nr) { return syscall_at(rrtr_page::kBatchSyscallIp.value() - 2, nr, 0); }
// The same instructions at an address no filter rule names (past the batch stub).
constexpr std::uint64_t kUnlisted = rrtr_page::kAddr.value() + 0x60;
long unlisted_syscall(long nr) { return syscall_at(kUnlisted, nr, 0); }

// Runs `body` in a child under the engine's filter with no tracer attached: there, a
// traced syscall fails with ENOSYS, which tells traced from native without ptrace.
// The child leaves through the gadget, since its own exit_group is traced too.
// `stages`: the filters installed, in order (a recording adds the running one over the
// start-up's).
int run_filtered(int (*body)(), BufferedGadget buffered = BufferedGadget::kAllow,
                 std::vector<FilterStage> stages = {FilterStage::kRunning}) {
  std::vector<std::vector<sock_filter>> filters;
  for (auto stage : stages) filters.push_back(build_seccomp_filter(buffered, stage));
  pid_t pid = fork();
  if (pid == 0) {
    using namespace rrtr_page;
    void* p = mmap(reinterpret_cast<void*>(kAddr.value()), kSize, PROT_READ | PROT_WRITE | PROT_EXEC,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (p == MAP_FAILED) _exit(101);
    static const unsigned char syscall_ret[] = {0x0f, 0x05, 0xc3};
    for (std::uint64_t at : {kAddr.value(), kBufferedGadget.value(), kBatchSyscallIp.value() - 2, kUnlisted})
      __builtin_memcpy(reinterpret_cast<void*>(at), syscall_ret, sizeof syscall_ret);
    if (!install_seccomp_filter(filters[0])) _exit(100);
    for (std::size_t i = 1; i < filters.size(); ++i) {  // as the recorder does: through the engine's gadget
      sock_fprog prog{static_cast<unsigned short>(filters[i].size()), filters[i].data()};
      long r;
      __asm__ volatile("call *%1"
                       : "=a"(r)
                       : "r"(kAddr.value()), "0"(SYS_seccomp), "D"(SECCOMP_SET_MODE_FILTER), "S"(0), "d"(&prog)
                       : "rcx", "r11", "memory");
      if (r != 0) _exit(102);
    }
    gadget_syscall(SYS_exit_group, body());
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 200 + WTERMSIG(status);
}

TEST(SeccompFilter, NativeSyscallsRunWithoutATracer) {
  EXPECT_EQ(run_filtered([] {
              static char page[8192] __attribute__((aligned(4096)));
              return syscall(SYS_mprotect, page, 4096, PROT_READ | PROT_WRITE) == 0 ? 0 : 1;
            }),
            0);
  EXPECT_EQ(run_filtered([] {
              unsigned long fs = 0;
              return syscall(SYS_arch_prctl, 0x1003 /* ARCH_GET_FS */, &fs) == 0 && fs != 0 ? 0 : 1;
            }),
            0);
}

TEST(SeccompFilter, OtherSyscallsAreTraced) {
  EXPECT_EQ(run_filtered([] { return syscall(SYS_getppid) == -1 && errno == ENOSYS ? 0 : 1; }), 0);
  // arch_prctl codes other than FS/GS are traced too.
  EXPECT_EQ(run_filtered([] { return syscall(SYS_arch_prctl, 0x1011 /* ARCH_GET_CPUID */, 0) == -1 && errno == ENOSYS ? 0 : 1; }), 0);
}

// A private futex wake (pthread_once's, call_once's) runs natively in every stage: with
// one thread it wakes nobody. Any other futex operation is traced.
TEST(SeccompFilter, OnlyAPrivateFutexWakeRunsNatively) {
  for (auto stage : {FilterStage::kStartUp, FilterStage::kRunning}) {
    EXPECT_EQ(run_filtered(
                  [] {
                    static int word = 0;
                    return syscall(SYS_futex, &word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, INT_MAX, nullptr, nullptr, 0) == 0 ? 0 : 1;
                  },
                  BufferedGadget::kAllow, {stage}),
              0);
    EXPECT_EQ(run_filtered(
                  [] {
                    static int word = 0;
                    return syscall(SYS_futex, &word, FUTEX_WAKE, 1, nullptr, nullptr, 0) == -1 && errno == ENOSYS ? 0 : 1;
                  },
                  BufferedGadget::kAllow, {stage}),
              0);
    EXPECT_EQ(run_filtered(
                  [] {
                    static int word = 0;
                    return syscall(SYS_futex, &word, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 1, nullptr, nullptr, 0) == -1 &&
                                   errno == ENOSYS
                               ? 0
                               : 1;
                  },
                  BufferedGadget::kAllow, {stage}),
              0);
  }
}

TEST(SeccompFilter, TheEnginePageGadgetIsNotTraced) {
  EXPECT_EQ(run_filtered([] { return gadget_syscall(SYS_getppid, 0) > 0 ? 0 : 1; }), 0);
  EXPECT_EQ(run_filtered([] { return gadget_syscall(SYS_getppid, 0) > 0 ? 0 : 1; }, BufferedGadget::kTrace), 0);
}

TEST(SeccompFilter, TheBatchStubsSyscallIsNotTraced) {
  EXPECT_EQ(run_filtered([] { return batch_stub_syscall(SYS_getppid) > 0 ? 0 : 1; }), 0);
  EXPECT_EQ(run_filtered([] { return batch_stub_syscall(SYS_getppid) > 0 ? 0 : 1; }, BufferedGadget::kTrace), 0);
}

TEST(SeccompFilter, TheBufferedGadgetRunsWithoutAStopOnlyWhileRecording) {
  EXPECT_EQ(run_filtered([] { return buffered_gadget_syscall(SYS_getppid) > 0 ? 0 : 1; }), 0);
  EXPECT_EQ(run_filtered([] { return buffered_gadget_syscall(SYS_getppid) == -ENOSYS ? 0 : 1; }, BufferedGadget::kTrace),
            0);
  // Only the gadgets' own addresses: the same instructions elsewhere in the page are traced.
  EXPECT_EQ(run_filtered([] { return unlisted_syscall(SYS_getppid) == -ENOSYS ? 0 : 1; }), 0);
}

int run_in_startup(int (*body)()) { return run_filtered(body, BufferedGadget::kAllow, {FilterStage::kStartUp}); }

TEST(SeccompFilter, TheStartUpLetsThroughCallsWhoseEffectsAreMemory) {
  EXPECT_EQ(run_in_startup([] {
              const long fd = syscall(SYS_openat, AT_FDCWD, "/proc/self/exe", O_RDONLY);
              char c;
              return fd >= 0 && syscall(SYS_read, fd, &c, 1) == 1 && syscall(SYS_close, fd) == 0 ? 0 : 1;
            }),
            0);
  EXPECT_EQ(run_in_startup([] {
              char bytes[8];
              struct rlimit lim {};
              return syscall(SYS_getrandom, bytes, sizeof bytes, 0) == 8 &&
                             syscall(SYS_prlimit64, 0, RLIMIT_STACK, nullptr, &lim) == 0
                         ? 0
                         : 1;
            }),
            0);
  EXPECT_EQ(run_in_startup([] {
              void* p = mmap(nullptr, 64UL << 20, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
              return p != MAP_FAILED ? 0 : 1;
            }),
            0);
}

TEST(SeccompFilter, TheStartUpTracesEverythingElse) {
  // Calls with effects outside memory, and the preload's announcement.
  EXPECT_EQ(run_in_startup([] { return syscall(SYS_write, 1, "", 0) == -1 && errno == ENOSYS ? 0 : 1; }), 0);
  EXPECT_EQ(run_in_startup([] { return syscall(SYS_getppid) == -1 && errno == ENOSYS ? 0 : 1; }), 0);
  EXPECT_EQ(run_in_startup([] { return syscall(RRTR_STARTUP_SYSCALL) == -1 && errno == ENOSYS ? 0 : 1; }), 0);
  // Setting a limit, not reading one.
  EXPECT_EQ(run_in_startup([] {
              struct rlimit lim {};
              getrlimit(RLIMIT_CORE, &lim);
              return syscall(SYS_prlimit64, 0, RLIMIT_CORE, &lim, nullptr) == -1 && errno == ENOSYS ? 0 : 1;
            }),
            0);
  // A growing heap; reading the break runs.
  EXPECT_EQ(run_in_startup([] {
              const long brk = syscall(SYS_brk, 0);
              return brk > 0 && syscall(SYS_brk, brk + 4096) == -1 && errno == ENOSYS ? 0 : 1;
            }),
            0);
  // A mapping past the bound (a sanitizer's shadow, a big buffer), in either word of the length.
  for (auto body : {+[] {
                      void* p = mmap(nullptr, (64UL << 20) + 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
                      return p == MAP_FAILED && errno == ENOSYS ? 0 : 1;
                    },
                    +[] {
                      void* p = mmap(nullptr, (1UL << 32) + 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
                      return p == MAP_FAILED && errno == ENOSYS ? 0 : 1;
                    }})
    EXPECT_EQ(run_in_startup(body), 0);
}

TEST(SeccompFilter, TheRecordingsFilterDecidesOnceAddedOverTheStartUps) {
  EXPECT_EQ(run_filtered(
                [] { return syscall(SYS_openat, AT_FDCWD, "/proc/self/exe", O_RDONLY) == -1 && errno == ENOSYS ? 0 : 1; },
                BufferedGadget::kAllow, {FilterStage::kStartUp, FilterStage::kRunning}),
            0);
  EXPECT_EQ(run_filtered([] { return buffered_gadget_syscall(SYS_getppid) > 0 ? 0 : 1; }, BufferedGadget::kAllow,
                         {FilterStage::kStartUp, FilterStage::kRunning}),
            0);
}

// rseq is answered by the filter itself: under a real tracer, it makes no stop.
TEST(SeccompFilter, RseqIsRefusedWithoutAStop) {
  for (auto stage : {FilterStage::kStartUp, FilterStage::kRunning}) {
    const auto filter = build_seccomp_filter(BufferedGadget::kTrace, stage);
    TraceeProcess proc(0, [&] {
      if (!install_seccomp_filter(filter)) _exit(100);
      const long r = syscall(SYS_rseq, nullptr, 0, 0, 0);
      _exit(r == -1 && errno == ENOSYS ? 0 : 1);
    });
    std::vector<std::int64_t> stopped_at;
    proc.task().resume(Resume::kCont);
    for (;;) {
      WaitStatus st = proc.task().wait();
      if (st.is_gone()) {
        proc.mark_reaped();
        EXPECT_EQ(st.shell_status(), 0);
        break;
      }
      if (st.is_seccomp_stop()) stopped_at.push_back(proc.task().regs().syscallno());
      proc.task().resume(Resume::kCont);
    }
    EXPECT_EQ(std::count(stopped_at.begin(), stopped_at.end(), SYS_rseq), 0);
    EXPECT_FALSE(stopped_at.empty());  // exit_group: the tracer did see the filter's stops
  }
}

}  // namespace
}  // namespace rrtr
