#include "syscalls/out_fns.h"

#include <asm/prctl.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <termios.h>

#include <algorithm>

#include "common/error.h"
#include "ptrace/task.h"
#include "rrtr/syscall_buffer_abi.h"

namespace rrtr {

namespace {

void add(std::vector<RemoteRange>& out, std::uint64_t addr, std::uint64_t len) {
  if (addr != 0 && len != 0) out.push_back({RemotePtr(addr), len});
}

// The iovec array at `iov` (count `cnt`), filled front to back with `total` bytes.
void iovec_prefix(const Task& task, std::uint64_t iov, std::uint64_t cnt, std::uint64_t total,
                  std::vector<RemoteRange>& out) {
  if (cnt > 1024) cnt = 1024;  // UIO_MAXIOV: the kernel refuses more
  for (std::uint64_t i = 0; i < cnt && total > 0; ++i) {
    struct iovec v {};
    if (task.try_read_mem(RemotePtr(iov + i * sizeof v), &v, sizeof v) != sizeof v) return;
    std::uint64_t n = std::min<std::uint64_t>(v.iov_len, total);
    add(out, reinterpret_cast<std::uint64_t>(v.iov_base), n);
    total -= n;
  }
}

void msghdr_outputs(const Task& task, std::uint64_t addr, std::uint64_t received, std::vector<RemoteRange>& out) {
  struct msghdr m {};
  if (task.try_read_mem(RemotePtr(addr), &m, sizeof m) != sizeof m) return;
  add(out, addr, sizeof m);  // msg_namelen, msg_controllen and msg_flags are updated
  add(out, reinterpret_cast<std::uint64_t>(m.msg_name), m.msg_namelen);
  add(out, reinterpret_cast<std::uint64_t>(m.msg_control), m.msg_controllen);
  iovec_prefix(task, reinterpret_cast<std::uint64_t>(m.msg_iov), m.msg_iovlen, received, out);
}

bool ok(const Registers& r) { return r.result() >= 0; }

}  // namespace

std::vector<RemoteRange> iovec_ranges(const Task& task, std::uint64_t iov, std::uint64_t cnt, std::uint64_t total) {
  std::vector<RemoteRange> out;
  iovec_prefix(task, iov, cnt, total, out);
  return out;
}

std::string written_bytes(const SyscallInfo& info, const Task& task, const Registers& regs, std::int64_t result) {
  if (result <= 0) return {};
  std::vector<RemoteRange> ranges;
  if (info.fd_effect == FdEffect::kWriteV)
    ranges = iovec_ranges(task, regs.arg(1), regs.arg(2), static_cast<std::uint64_t>(result));
  else
    ranges.push_back({RemotePtr(regs.arg(1)), static_cast<std::uint64_t>(result)});
  std::string out;
  for (const auto& r : ranges) out += task.read_mem(r.addr, r.len);
  return out;
}

void out_iovec_result(const Task& task, const Registers& after, std::vector<RemoteRange>& out) {
  if (ok(after)) iovec_prefix(task, after.arg(1), after.arg(2), static_cast<std::uint64_t>(after.result()), out);
}

void out_select(const Task&, const Registers& after, std::vector<RemoteRange>& out) {
  std::uint64_t nfds = std::min<std::uint64_t>(after.arg(0), 1 << 20);
  std::uint64_t set_bytes = (nfds + 63) / 64 * 8;
  for (int i = 1; i <= 3; ++i) add(out, after.arg(i), set_bytes);
  add(out, after.arg(4), 16);  // struct timeval / timespec: both 16 bytes
}

void out_mincore(const Task&, const Registers& after, std::vector<RemoteRange>& out) {
  add(out, after.arg(2), (after.arg(1) + kPageSize - 1) / kPageSize);
}

void out_recvmsg(const Task& task, const Registers& after, std::vector<RemoteRange>& out) {
  if (ok(after)) msghdr_outputs(task, after.arg(1), static_cast<std::uint64_t>(after.result()), out);
}

void out_recvmmsg(const Task& task, const Registers& after, std::vector<RemoteRange>& out) {
  if (!ok(after)) return;
  std::uint64_t n = static_cast<std::uint64_t>(after.result());
  for (std::uint64_t i = 0; i < n; ++i) {
    std::uint64_t at = after.arg(1) + i * sizeof(struct mmsghdr);
    struct mmsghdr mm {};
    if (task.try_read_mem(RemotePtr(at), &mm, sizeof mm) != sizeof mm) return;
    add(out, at, sizeof mm);
    msghdr_outputs(task, at, mm.msg_len, out);
  }
  add(out, after.arg(4), 16);
}

void out_sendmmsg(const Task&, const Registers& after, std::vector<RemoteRange>& out) {
  if (ok(after)) add(out, after.arg(1), static_cast<std::uint64_t>(after.result()) * sizeof(struct mmsghdr));
}

void out_ioctl(const Task&, const Registers& after, std::vector<RemoteRange>& out) {
  if (!ok(after)) return;  // a failed ioctl wrote nothing
  const std::uint64_t req = after.arg(1) & 0xffffffff;
  const std::uint64_t arg = after.arg(2);
  // Requests with no _IOC direction bits, by what they write.
  struct Known {
    std::uint64_t req;
    std::uint32_t writes;
  };
  static constexpr Known kKnown[] = {
      {TCGETS, RRTR_KERNEL_TERMIOS_SIZE}, {TCSETS, 0}, {TCSETSW, 0}, {TCSETSF, 0},
      {TIOCGWINSZ, sizeof(struct winsize)}, {TIOCSWINSZ, 0}, {TIOCGPGRP, sizeof(pid_t)}, {TIOCSPGRP, 0},
      {FIONREAD, sizeof(int)}, {TIOCOUTQ, sizeof(int)}, {FIONBIO, 0}, {FIOCLEX, 0}, {FIONCLEX, 0},
      {FIOASYNC, 0}, {TCFLSH, 0}, {TCXONC, 0}, {TCSBRK, 0}, {TIOCSCTTY, 0}, {TIOCNOTTY, 0},
      {TIOCGSID, sizeof(pid_t)}, {TIOCGPTN, sizeof(unsigned)}, {TIOCSPTLCK, 0}, {TIOCGEXCL, sizeof(int)},
      {SIOCGIFCONF, 0}, {SIOCGIFINDEX, 40}, {SIOCGIFNAME, 40}, {SIOCGIFFLAGS, 40}, {SIOCGIFADDR, 40},
      {SIOCGIFHWADDR, 40}, {SIOCGIFMTU, 40}, {SIOCGIFNETMASK, 40},
  };
  for (const auto& k : kKnown)
    if (k.req == req) {
      if (k.writes) add(out, arg, k.writes);
      return;
    }
  if (_IOC_DIR(req) & _IOC_READ) {
    add(out, arg, _IOC_SIZE(req));
    return;
  }
  if (_IOC_DIR(req) == _IOC_WRITE) return;  // input only
  fail(ExitCode::kUnsupported,
       "ioctl request {:#x} on fd {} succeeded, and its output size is unknown: it cannot be recorded", req,
       after.arg(0));
}

void out_fcntl(const Task&, const Registers& after, std::vector<RemoteRange>& out) {
  switch (after.arg(1)) {
    case F_GETLK:
    case F_OFD_GETLK:
      add(out, after.arg(2), sizeof(struct flock));
      break;
    case F_GETOWN_EX:
      add(out, after.arg(2), sizeof(struct f_owner_ex));
      break;
    default:
      break;
  }
}

void out_prctl(const Task&, const Registers& after, std::vector<RemoteRange>& out) {
  switch (after.arg(0)) {
    case PR_GET_NAME:
      add(out, after.arg(1), 16);
      break;
    case PR_GET_PDEATHSIG:
    case PR_GET_CHILD_SUBREAPER:
    case PR_GET_TSC:
    case PR_GET_ENDIAN:
    case PR_GET_FPEMU:
    case PR_GET_FPEXC:
    case PR_GET_UNALIGN:
      add(out, after.arg(1), sizeof(int));
      break;
    case PR_GET_TID_ADDRESS:
      add(out, after.arg(1), sizeof(void*));
      break;
    default:
      break;
  }
}

void out_arch_prctl(const Task&, const Registers& after, std::vector<RemoteRange>& out) {
  // Only the codes the filter does not let through natively reach here.
  if (after.arg(0) == ARCH_GET_FS || after.arg(0) == ARCH_GET_GS) add(out, after.arg(1), 8);
}

std::vector<RemoteRange> output_ranges(const SyscallInfo& info, const Task& task, const Registers& after) {
  std::vector<RemoteRange> out;
  const std::int64_t res = after.result();
  for (const auto& o : info.outs) {
    if (o.arg < 0) break;
    std::uint64_t addr = after.arg(o.arg);
    if (addr == 0) continue;
    std::uint64_t len = 0;
    switch (o.size) {
      case Size::kFixed: len = o.n; break;
      case Size::kArg: len = after.arg(static_cast<int>(o.n)) * o.elem; break;
      case Size::kResult: len = res > 0 ? static_cast<std::uint64_t>(res) * o.elem : 0; break;
      case Size::kPointee: {
        std::uint32_t n = 0;
        std::uint64_t len_addr = after.arg(static_cast<int>(o.n));
        if (len_addr && task.try_read_mem(RemotePtr(len_addr), &n, sizeof n) == sizeof n) len = n;
        break;
      }
    }
    add(out, addr, std::min<std::uint64_t>(len, 1ULL << 30));
  }
  if (info.out_fn) info.out_fn(task, after, out);
  return out;
}

}  // namespace rrtr
