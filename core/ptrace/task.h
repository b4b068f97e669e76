// One ptraced thread: its registers, its memory, and how it is resumed and waited for.
#pragma once

#include <signal.h>
#include <sys/user.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/types.h"
#include "common/unique_fd.h"
#include "ptrace/registers.h"
#include "ptrace/wait_status.h"

namespace rrtr {

enum class Resume { kCont, kSyscall, kSingleStep };

// A tracee thread that this process has attached to. Every ptrace request of the
// engine goes through here; memory goes through /proc/TID/mem, which (unlike
// process_vm_writev) may write read-only pages, as a debugger must.
class Task {
 public:
  explicit Task(Tid tid);
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;

  Tid tid() const { return tid_; }

  // Cached from the first read after a stop until the next resume or set_regs: a stop
  // is looked at several times, and each PTRACE_GETREGS is a syscall.
  Registers regs() const;
  void set_regs(const Registers& r);
  user_fpregs_struct fpregs() const;
  void set_fpregs(const user_fpregs_struct& r);
  // The whole XSAVE area in the kernel's standard format (x87, SSE with MXCSR, AVX...):
  // what fpregs() leaves out, the vector registers' upper halves. Setting it needs an
  // area of the size this machine's kernel gives; false when the kernel refuses it.
  std::string xstate() const;
  bool try_set_xstate(std::string_view area);
  // RLIMIT_STACK's soft limit (how far the stack grows) of the task's process.
  std::uint64_t stack_limit() const;
  // False when the hard limit is below `soft` (and we may not raise it).
  bool try_set_stack_limit(std::uint64_t soft);
  siginfo_t siginfo() const;
  // nullopt in a group-stop, where the kernel has no siginfo to give.
  std::optional<siginfo_t> try_siginfo() const;
  void set_siginfo(const siginfo_t& si);
  // The debug registers DR0..DR7 (user area offsets).
  std::uint64_t debug_reg(int index) const;
  void set_debug_reg(int index, std::uint64_t value);
  bool try_set_debug_reg(int index, std::uint64_t value);

  // Memory. read_mem throws a trace-independent internal error on failure;
  // try_read_mem returns the number of bytes read (0 for an unmapped address).
  std::string read_mem(RemotePtr addr, std::size_t len) const;
  std::size_t try_read_mem(RemotePtr addr, void* out, std::size_t len) const;
  void write_mem(RemotePtr addr, std::string_view bytes);
  bool try_write_mem(RemotePtr addr, std::string_view bytes);
  template <typename T>
  T read_val(RemotePtr addr) const {
    T v;
    auto s = read_mem(addr, sizeof v);
    __builtin_memcpy(&v, s.data(), sizeof v);
    return v;
  }
  template <typename T>
  void write_val(RemotePtr addr, const T& v) {
    write_mem(addr, std::string_view(reinterpret_cast<const char*>(&v), sizeof v));
  }
  std::string read_c_string(RemotePtr addr, std::size_t max = 4096) const;

  // Copies the way the kernel copies to and from a process it runs a syscall for
  // (process_vm_writev/readv): an unmapped page, or a read-only one for a write,
  // faults, where /proc/PID/mem would not. kFault when the kernel's copy would fault
  // (partway included); kUnavailable when those calls are forbidden here (a container's
  // default seccomp profile denies them without CAP_SYS_PTRACE): the caller leaves the
  // syscall to the kernel. Not asked again once forbidden.
  enum class KernelCopy { kDone, kFault, kUnavailable };
  KernelCopy copy_to_as_kernel(RemotePtr addr, std::string_view bytes);
  KernelCopy copy_from_as_kernel(RemotePtr addr, void* out, std::size_t len) const;

  // After an exec the old /proc/TID/mem refers to the dead address space.
  void reopen_mem();

  // A descriptor of this process's open file `fd` (pidfd_getfd: the same open file
  // description, so its offset is shared); nullopt when `fd` is not open there, or
  // when this kernel or a seccomp profile around the recorder forbids pidfd_getfd.
  std::optional<UniqueFd> dup_fd(std::uint64_t fd) const;

  void resume(Resume how, int sig = 0);
  // Waits for the next stop or exit. Throws Error(kInterrupted) if a SIGINT/SIGTERM
  // reached the tracer while it waited.
  WaitStatus wait();
  // Sends a signal to this thread (tgkill from the tracer).
  void tgkill(Pid pid, int sig) const;

 private:
  Tid tid_;
  UniqueFd mem_;
  mutable UniqueFd pidfd_;  // opened by the first dup_fd
  mutable bool can_dup_fds_ = true;
  mutable bool can_copy_as_kernel_ = true;
  mutable std::optional<Registers> regs_;
};

}  // namespace rrtr
