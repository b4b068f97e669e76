#include "ptrace/task.h"

#include <elf.h>
#include <fcntl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstddef>

#include "common/error.h"
#include "common/interrupt.h"

namespace rrtr {

namespace {
// The tracer's SIGINT/SIGTERM handler kills the tracee: a ptrace request that fails
// after that is the interruption, not an internal error.
[[noreturn]] void fail_ptrace(const char* what) {
  const int e = errno;
  fail_if_interrupted();
  errno = e;
  fail_errno(what);
}
}  // namespace

Task::Task(Tid tid) : tid_(tid) { reopen_mem(); }

void Task::reopen_mem() {
  auto path = fmt::format("/proc/{}/mem", tid_.value);
  mem_.reset(::open(path.c_str(), O_RDWR | O_CLOEXEC));
  if (!mem_.valid()) fail_errno(fmt::format("open {}", path));
}

std::optional<UniqueFd> Task::dup_fd(std::uint64_t fd) const {
  if (!can_dup_fds_ || fd > static_cast<std::uint64_t>(INT32_MAX)) return std::nullopt;
  if (!pidfd_.valid()) pidfd_.reset(static_cast<int>(::syscall(SYS_pidfd_open, tid_.value, 0)));
  UniqueFd dup(pidfd_.valid() ? static_cast<int>(::syscall(SYS_pidfd_getfd, pidfd_.get(), static_cast<int>(fd), 0)) : -1);
  // A kernel before 5.6, or a container's seccomp profile that forbids these calls:
  // not asked again. (EBADF only says that `fd` is not open.)
  if (!dup.valid() && errno != EBADF) can_dup_fds_ = false;
  if (!dup.valid()) return std::nullopt;
  return dup;
}

Registers Task::regs() const {
  if (regs_) return *regs_;
  Registers r;
  if (ptrace(PTRACE_GETREGS, tid_.value, nullptr, &r.raw) != 0) fail_ptrace("PTRACE_GETREGS");
  regs_ = r;
  return r;
}

void Task::set_regs(const Registers& r) {
  regs_.reset();
  if (ptrace(PTRACE_SETREGS, tid_.value, nullptr, &r.raw) != 0) fail_ptrace("PTRACE_SETREGS");
  // Not cached: the kernel may adjust what it is given (segment selectors, flags).
}

user_fpregs_struct Task::fpregs() const {
  user_fpregs_struct r{};
  if (ptrace(PTRACE_GETFPREGS, tid_.value, nullptr, &r) != 0) fail_ptrace("PTRACE_GETFPREGS");
  return r;
}

void Task::set_fpregs(const user_fpregs_struct& r) {
  if (ptrace(PTRACE_SETFPREGS, tid_.value, nullptr, &r) != 0) fail_ptrace("PTRACE_SETFPREGS");
}

std::string Task::xstate() const {
  // The kernel fills what fits and says how much: 4 KiB holds AVX-512's ~2.7 KiB without
  // the page faults of a fresh 64 KiB; an area that fills it (AMX's ~11 KiB) is read again.
  for (std::size_t size : {std::size_t{4096}, std::size_t{64 * 1024}}) {
    std::string area(size, '\0');
    iovec iov{area.data(), area.size()};
    if (ptrace(PTRACE_GETREGSET, tid_.value, NT_X86_XSTATE, &iov) != 0) fail_ptrace("PTRACE_GETREGSET of the XSAVE area");
    if (iov.iov_len < size) {
      area.resize(iov.iov_len);
      return area;
    }
  }
  fail(ExitCode::kInternal, "the XSAVE area is larger than 64 KiB");
}

bool Task::try_set_xstate(std::string_view area) {
  std::string copy(area);  // the iovec wants a mutable buffer
  iovec iov{copy.data(), copy.size()};
  return ptrace(PTRACE_SETREGSET, tid_.value, NT_X86_XSTATE, &iov) == 0;
}

std::uint64_t Task::stack_limit() const {
  struct rlimit lim {};
  if (prlimit(tid_.value, RLIMIT_STACK, nullptr, &lim) != 0) fail_errno("prlimit of the tracee's RLIMIT_STACK");
  return lim.rlim_cur;
}

bool Task::try_set_stack_limit(std::uint64_t soft) {
  struct rlimit lim {};
  if (prlimit(tid_.value, RLIMIT_STACK, nullptr, &lim) != 0) return false;
  if (soft > lim.rlim_max) lim.rlim_max = soft;  // root may; others are refused
  lim.rlim_cur = soft;
  return prlimit(tid_.value, RLIMIT_STACK, &lim, nullptr) == 0;
}

siginfo_t Task::siginfo() const {
  siginfo_t si{};
  if (ptrace(PTRACE_GETSIGINFO, tid_.value, nullptr, &si) != 0) fail_ptrace("PTRACE_GETSIGINFO");
  return si;
}

std::optional<siginfo_t> Task::try_siginfo() const {
  siginfo_t si{};
  if (ptrace(PTRACE_GETSIGINFO, tid_.value, nullptr, &si) != 0) return std::nullopt;
  return si;
}

void Task::set_siginfo(const siginfo_t& si) {
  if (ptrace(PTRACE_SETSIGINFO, tid_.value, nullptr, &si) != 0) fail_ptrace("PTRACE_SETSIGINFO");
}

std::uint64_t Task::debug_reg(int index) const {
  errno = 0;
  long v = ptrace(PTRACE_PEEKUSER, tid_.value, offsetof(struct user, u_debugreg) + index * sizeof(long), nullptr);
  if (errno != 0) fail_ptrace("PTRACE_PEEKUSER debug register");
  return static_cast<std::uint64_t>(v);
}

void Task::set_debug_reg(int index, std::uint64_t value) {
  if (ptrace(PTRACE_POKEUSER, tid_.value, offsetof(struct user, u_debugreg) + index * sizeof(long), value) != 0)
    fail_errno(fmt::format("PTRACE_POKEUSER DR{}", index));
}

bool Task::try_set_debug_reg(int index, std::uint64_t value) {
  return ptrace(PTRACE_POKEUSER, tid_.value, offsetof(struct user, u_debugreg) + index * sizeof(long), value) == 0;
}

namespace {
Task::KernelCopy outcome(ssize_t n, std::size_t len, bool& available) {
  if (n == static_cast<ssize_t>(len)) return Task::KernelCopy::kDone;
  if (n >= 0 || errno == EFAULT) return Task::KernelCopy::kFault;
  if (errno == EPERM || errno == ENOSYS) available = false;
  return Task::KernelCopy::kUnavailable;
}
}  // namespace

Task::KernelCopy Task::copy_to_as_kernel(RemotePtr addr, std::string_view bytes) {
  if (!can_copy_as_kernel_) return KernelCopy::kUnavailable;
  iovec local{const_cast<char*>(bytes.data()), bytes.size()};
  iovec remote{reinterpret_cast<void*>(addr.value()), bytes.size()};
  return outcome(::process_vm_writev(tid_.value, &local, 1, &remote, 1, 0), bytes.size(), can_copy_as_kernel_);
}

Task::KernelCopy Task::copy_from_as_kernel(RemotePtr addr, void* out, std::size_t len) const {
  if (!can_copy_as_kernel_) return KernelCopy::kUnavailable;
  iovec local{out, len};
  iovec remote{reinterpret_cast<void*>(addr.value()), len};
  return outcome(::process_vm_readv(tid_.value, &local, 1, &remote, 1, 0), len, can_copy_as_kernel_);
}

std::size_t Task::try_read_mem(RemotePtr addr, void* out, std::size_t len) const {
  std::size_t done = 0;
  while (done < len) {
    ssize_t n = ::pread64(mem_.get(), static_cast<char*>(out) + done, len - done,
                          static_cast<off64_t>(addr.value() + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  return done;
}

std::string Task::read_mem(RemotePtr addr, std::size_t len) const {
  std::string out(len, '\0');
  if (try_read_mem(addr, out.data(), len) != len)
    fail(ExitCode::kInternal, "cannot read {} bytes of tracee {} memory at {}", len, tid_, addr);
  return out;
}

bool Task::try_write_mem(RemotePtr addr, std::string_view bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::pwrite64(mem_.get(), bytes.data() + done, bytes.size() - done,
                           static_cast<off64_t>(addr.value() + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

void Task::write_mem(RemotePtr addr, std::string_view bytes) {
  if (!try_write_mem(addr, bytes))
    fail(ExitCode::kInternal, "cannot write {} bytes of tracee {} memory at {}", bytes.size(), tid_, addr);
}

std::string Task::read_c_string(RemotePtr addr, std::size_t max) const {
  std::string out;
  char buf[256];
  while (out.size() < max) {
    // Read up to the end of the page only, so a string that ends just before an
    // unmapped page is still read whole.
    std::size_t chunk = std::min<std::size_t>(sizeof buf, kPageSize - (addr.value() + out.size()) % kPageSize);
    std::size_t n = try_read_mem(addr + out.size(), buf, chunk);
    if (n == 0) break;
    for (std::size_t i = 0; i < n; ++i) {
      if (buf[i] == '\0') return out;
      out.push_back(buf[i]);
    }
  }
  return out;
}

void Task::resume(Resume how, int sig) {
  regs_.reset();
  int req = how == Resume::kCont ? PTRACE_CONT : how == Resume::kSyscall ? PTRACE_SYSCALL : PTRACE_SINGLESTEP;
  if (ptrace(static_cast<__ptrace_request>(req), tid_.value, nullptr, reinterpret_cast<void*>(static_cast<long>(sig))) != 0)
    fail_ptrace("ptrace resume");
}

WaitStatus Task::wait() {
  for (;;) {
    int status = 0;
    pid_t r = ::waitpid(tid_.value, &status, __WALL);
    fail_if_interrupted();  // the handler killed the tracee to wake us
    if (r == tid_.value) return WaitStatus(status);
    if (r < 0 && errno == EINTR) {
      fail_if_interrupted();
      continue;
    }
    fail_errno("waitpid");
  }
}

void Task::tgkill(Pid pid, int sig) const {
  if (::syscall(SYS_tgkill, pid.value, tid_.value, sig) != 0) fail_errno("tgkill");
}

}  // namespace rrtr
