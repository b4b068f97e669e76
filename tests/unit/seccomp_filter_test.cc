#include <errno.h>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ptrace/rrtr_page.h"
#include "ptrace/seccomp_filter.h"

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
int run_filtered(int (*body)(), BufferedGadget buffered = BufferedGadget::kAllow) {
  auto filter = build_seccomp_filter(buffered);
  pid_t pid = fork();
  if (pid == 0) {
    using namespace rrtr_page;
    void* p = mmap(reinterpret_cast<void*>(kAddr.value()), kSize, PROT_READ | PROT_WRITE | PROT_EXEC,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (p == MAP_FAILED) _exit(101);
    static const unsigned char syscall_ret[] = {0x0f, 0x05, 0xc3};
    for (std::uint64_t at : {kAddr.value(), kBufferedGadget.value(), kBatchSyscallIp.value() - 2, kUnlisted})
      __builtin_memcpy(reinterpret_cast<void*>(at), syscall_ret, sizeof syscall_ret);
    if (!install_seccomp_filter(filter)) _exit(100);
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

}  // namespace
}  // namespace rrtr
