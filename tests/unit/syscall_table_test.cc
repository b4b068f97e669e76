#include <gtest/gtest.h>
#include <sys/syscall.h>

#include <set>

#include "syscalls/syscall_table.h"

namespace rrtr {
namespace {

TEST(SyscallTable, RowsAreUniqueAndNamedLikeTheKernel) {
  std::set<int> seen;
  for (const auto& row : all_syscalls()) {
    EXPECT_TRUE(seen.insert(row.nr).second) << "duplicate row for " << row.nr;
    EXPECT_EQ(find_syscall(row.nr), &row);
  }
  EXPECT_GT(seen.size(), 250u);
  EXPECT_EQ(syscall_name(SYS_openat), "openat");
  EXPECT_EQ(syscall_name(SYS_kexec_load), "kexec_load");  // not in the table: the header's name
  EXPECT_EQ(syscall_name(1000), "syscall_1000");
  EXPECT_EQ(find_syscall(-1), nullptr);
  EXPECT_EQ(find_syscall(100000), nullptr);
}

TEST(SyscallTable, NativeRowsAreProcessLocal) {
  // A native syscall runs unobserved in record and again in replay, so it must not
  // read anything from outside the process. Extending this list needs that argument.
  const std::set<int> allowed = {SYS_mprotect,    SYS_munmap,     SYS_madvise,       SYS_rt_sigaction,
                                 SYS_sigaltstack, SYS_sched_yield, SYS_set_robust_list, SYS_arch_prctl,
                                 SYS_pkey_mprotect};
  for (const auto& row : all_syscalls()) {
    if (row.policy == Policy::kNative) {
      EXPECT_TRUE(allowed.count(row.nr)) << row.name;
    }
  }
}

TEST(SyscallTable, ThreadAndProcessCreationAreNotRecordedSilently) {
  for (int nr : {SYS_clone, SYS_fork, SYS_vfork}) EXPECT_EQ(find_syscall(nr)->policy, Policy::kUnsupported);
  EXPECT_EQ(find_syscall(SYS_rseq)->policy, Policy::kSkip);
  EXPECT_EQ(find_syscall(SYS_io_uring_setup)->skip_result, -ENOSYS);
}

TEST(SyscallTable, FixedOutputSizesFollowTheHeaders) {
  const auto* fstat_row = find_syscall(SYS_fstat);
  EXPECT_EQ(fstat_row->outs[0].arg, 1);
  EXPECT_EQ(fstat_row->outs[0].n, sizeof(struct stat));
  const auto* read_row = find_syscall(SYS_read);
  EXPECT_EQ(read_row->outs[0].size, Size::kResult);
}

}  // namespace
}  // namespace rrtr
