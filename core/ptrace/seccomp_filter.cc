#include "ptrace/seccomp_filter.h"

#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/error.h"
#include "ptrace/rrtr_page.h"
#include "syscalls/syscall_table.h"

namespace rrtr {

namespace {
constexpr std::uint32_t kTrace = SECCOMP_RET_TRACE;
constexpr std::uint32_t kAllow = SECCOMP_RET_ALLOW;

sock_filter stmt(std::uint16_t code, std::uint32_t k) { return BPF_STMT(code, k); }
sock_filter jeq(std::uint32_t k, std::uint8_t jt, std::uint8_t jf) { return BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, k, jt, jf); }
sock_filter load(std::uint32_t offset) { return stmt(BPF_LD | BPF_W | BPF_ABS, offset); }

}  // namespace

std::vector<sock_filter> build_seccomp_filter(BufferedGadget buffered, FilterStage stage) {
  std::vector<sock_filter> p;
  // Another ABI (x32, i386 int 0x80) is traced, and the recorder refuses it by number.
  p.push_back(load(offsetof(seccomp_data, arch)));
  p.push_back(jeq(AUDIT_ARCH_X86_64, 1, 0));
  p.push_back(stmt(BPF_RET | BPF_K, kTrace));

  // The engine's own gadgets, below 4 GiB: the high half of the instruction pointer
  // is zero, the low half one of theirs.
  std::vector<std::uint32_t> gadgets{static_cast<std::uint32_t>(rrtr_page::kSyscallGadgetIp.value()),
                                     static_cast<std::uint32_t>(rrtr_page::kBatchSyscallIp.value())};
  if (buffered == BufferedGadget::kAllow)
    gadgets.push_back(static_cast<std::uint32_t>(rrtr_page::kBufferedGadgetIp.value()));
  static_assert(rrtr_page::kAddr.value() + rrtr_page::kSize < (1ULL << 32));
  const auto n = static_cast<std::uint8_t>(gadgets.size());
  p.push_back(load(offsetof(seccomp_data, instruction_pointer) + 4));
  p.push_back(jeq(0, 0, n + 3));  // past the low-half checks and the allow
  p.push_back(load(offsetof(seccomp_data, instruction_pointer)));
  for (std::uint8_t i = 0; i < n; ++i) p.push_back(jeq(gadgets[i], static_cast<std::uint8_t>(n - i), 0));
  p.push_back(stmt(BPF_JMP | BPF_JA, 1));  // none of them: on to the numbers
  p.push_back(stmt(BPF_RET | BPF_K, kAllow));

  p.push_back(load(offsetof(seccomp_data, nr)));
  for (const auto& row : all_syscalls()) {
    if (row.refused_by_filter) {
      p.push_back(jeq(static_cast<std::uint32_t>(row.nr), 0, 1));
      p.push_back(stmt(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (static_cast<std::uint32_t>(-row.skip_result) & SECCOMP_RET_DATA)));
      continue;
    }
    if (row.native_arg >= 0) {
      const std::uint8_t n = row.native_value_count;
      // nr matches: load the argument's low word, allow the listed values, else trace.
      p.push_back(jeq(static_cast<std::uint32_t>(row.nr), 0, static_cast<std::uint8_t>(n + 3)));
      p.push_back(load(static_cast<std::uint32_t>(offsetof(seccomp_data, args) + 8 * static_cast<std::uint32_t>(row.native_arg))));
      for (std::uint8_t i = 0; i < n; ++i) p.push_back(jeq(row.native_values[i], static_cast<std::uint8_t>(n - i), 0));
      p.push_back(stmt(BPF_RET | BPF_K, kTrace));
      p.push_back(stmt(BPF_RET | BPF_K, kAllow));
      continue;
    }
    const bool at_startup = stage == FilterStage::kStartUp && row.startup;
    if (row.policy != Policy::kNative && !at_startup) continue;
    if (at_startup && row.startup_arg >= 0) {
      // nr matches: allowed while the argument (high word 0, low word) is at most the bound.
      if (row.startup_max > UINT32_MAX) fail(ExitCode::kInternal, "the start-up bound of {} needs 64 bits", row.name);
      const auto arg = offsetof(seccomp_data, args) + 8 * static_cast<std::uint32_t>(row.startup_arg);
      p.push_back(jeq(static_cast<std::uint32_t>(row.nr), 0, 6));
      p.push_back(load(static_cast<std::uint32_t>(arg + 4)));
      p.push_back(jeq(0, 0, 2));
      p.push_back(load(static_cast<std::uint32_t>(arg)));
      p.push_back(BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, static_cast<std::uint32_t>(row.startup_max), 0, 1));
      p.push_back(stmt(BPF_RET | BPF_K, kTrace));
      p.push_back(stmt(BPF_RET | BPF_K, kAllow));
      continue;
    }
    p.push_back(jeq(static_cast<std::uint32_t>(row.nr), 0, 1));
    p.push_back(stmt(BPF_RET | BPF_K, kAllow));
  }
  p.push_back(stmt(BPF_RET | BPF_K, kTrace));
  return p;
}

bool install_seccomp_filter(const std::vector<sock_filter>& prog) {
  sock_fprog fprog{static_cast<unsigned short>(prog.size()), const_cast<sock_filter*>(prog.data())};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return false;
  return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) == 0;
}

RemoteSyscalls::Call remote_seccomp_filter(RemoteSyscalls& rs, const std::vector<sock_filter>& prog) {
  const RemotePtr code =
      rs.put_data(std::string_view(reinterpret_cast<const char*>(prog.data()), prog.size() * sizeof(sock_filter)));
  const sock_fprog fprog{static_cast<unsigned short>(prog.size()), reinterpret_cast<sock_filter*>(code.value())};
  const RemotePtr remote_fprog = rs.put_data(std::string_view(reinterpret_cast<const char*>(&fprog), sizeof fprog));
  return {"the recording's seccomp filter", SYS_seccomp, {SECCOMP_SET_MODE_FILTER, 0, remote_fprog.value()}, true};
}

}  // namespace rrtr
