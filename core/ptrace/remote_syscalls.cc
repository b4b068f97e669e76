#include "ptrace/remote_syscalls.h"

#include <csignal>
#include <cstring>

#include "common/error.h"
#include "ptrace/rrtr_page.h"

namespace rrtr {

RemoteSyscalls::RemoteSyscalls(Task& task) : RemoteSyscalls(task, rrtr_page::kSyscallGadget, std::nullopt) {}

RemoteSyscalls::RemoteSyscalls(Task& task, RemotePtr gadget, std::optional<std::string> restore_bytes)
    : task_(&task), gadget_(gadget), saved_(task.regs()), poked_original_(std::move(restore_bytes)) {}

RemoteSyscalls RemoteSyscalls::with_poked_gadget(Task& task) {
  RemotePtr at = task.regs().ip();
  std::string original = task.read_mem(at, sizeof rrtr_page::kPokedGadgetBytes);
  task.write_mem(at, std::string_view(reinterpret_cast<const char*>(rrtr_page::kPokedGadgetBytes),
                                      sizeof rrtr_page::kPokedGadgetBytes));
  return RemoteSyscalls(task, at, std::move(original));
}

RemoteSyscalls::RemoteSyscalls(RemoteSyscalls&& o) noexcept
    : task_(o.task_), gadget_(o.gadget_), saved_(o.saved_), poked_original_(std::move(o.poked_original_)),
      used_(o.used_) {
  o.task_ = nullptr;
}

RemoteSyscalls::~RemoteSyscalls() {
  if (!task_) return;
  try {
    if (poked_original_) task_->write_mem(gadget_, *poked_original_);
    // Exactly as saved: at a signal-delivery-stop after an interrupted syscall, the
    // syscall number and -ERESTART* result drive the kernel's restart logic.
    if (used_) task_->set_regs(saved_);
  } catch (const Error&) {
    // The tracee died under us; its wait status tells the owner.
  }
}

std::int64_t RemoteSyscalls::call(long nr, std::initializer_list<std::uint64_t> args) {
  Registers r = saved_;
  r.set_ip(gadget_);
  r.set_syscallno(-1);  // abandons a syscall the tracee was entering
  r.set_result(nr);
  int i = 0;
  for (auto a : args) r.set_arg(i++, a);
  task_->set_regs(r);
  used_ = true;
  task_->resume(Resume::kCont);
  for (;;) {
    WaitStatus st = task_->wait();
    if (st.is_gone()) fail(ExitCode::kInternal, "tracee died during a remote syscall {} ({})", nr, st.describe());
    if (st.is_seccomp_stop() || st.is_syscall_stop() || st.ptrace_event() == PTRACE_EVENT_CLONE ||
        st.ptrace_event() == PTRACE_EVENT_FORK) {  // a poked gadget is not exempt from the filter; forks report
      task_->resume(Resume::kCont);
      continue;
    }
    if (st.delivered_signal() == SIGTRAP) break;
    { auto si = task_->try_siginfo(); fail(ExitCode::kInternal, "unexpected {} during remote syscall {} (rip {}, addr {}, code {})", st.describe(), nr, task_->regs().ip(), si ? si->si_addr : nullptr, si ? si->si_code : 0); }
  }
  return task_->regs().result();
}

std::uint64_t RemoteSyscalls::checked(const char* what, long nr, std::initializer_list<std::uint64_t> args) {
  std::int64_t r = call(nr, args);
  if (r < 0 && r > -4096) fail(ExitCode::kInternal, "remote {} failed: {}", what, std::strerror(static_cast<int>(-r)));
  return static_cast<std::uint64_t>(r);
}

RemotePtr RemoteSyscalls::put_string(const std::string& s) {
  if (s.size() + 1 > kPageSize) fail(ExitCode::kInternal, "remote string too long: {}", s);
  task_->write_mem(rrtr_page::kScratch, std::string_view(s.c_str(), s.size() + 1));
  return rrtr_page::kScratch;
}

}  // namespace rrtr
