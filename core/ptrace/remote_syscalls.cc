#include "ptrace/remote_syscalls.h"

#include <algorithm>
#include <csignal>
#include <cstring>

#include "common/error.h"
#include "ptrace/rrtr_page.h"

namespace rrtr {

RemoteSyscalls::RemoteSyscalls(Task& task) : RemoteSyscalls(task, rrtr_page::kSyscallGadget, std::nullopt) {}

namespace {
// The scratch page: batch descriptors from the start, put_data's bytes below the
// string, put_string's string from here to the end.
constexpr std::uint64_t kStringOffset = RemoteSyscalls::kMaxBatch * sizeof(rrtr_page::BatchEntry);
static_assert(kStringOffset < kPageSize);
}  // namespace

RemoteSyscalls::RemoteSyscalls(Task& task, RemotePtr gadget, std::optional<std::string> restore_bytes)
    : task_(&task), gadget_(gadget), saved_(task.regs()), poked_original_(std::move(restore_bytes)),
      data_floor_(kStringOffset) {}

RemoteSyscalls RemoteSyscalls::with_poked_gadget(Task& task) {
  RemotePtr at = task.regs().ip();
  std::string original = task.read_mem(at, sizeof rrtr_page::kPokedGadgetBytes);
  task.write_mem(at, std::string_view(reinterpret_cast<const char*>(rrtr_page::kPokedGadgetBytes),
                                      sizeof rrtr_page::kPokedGadgetBytes));
  return RemoteSyscalls(task, at, std::move(original));
}

RemoteSyscalls::RemoteSyscalls(RemoteSyscalls&& o) noexcept
    : task_(o.task_), gadget_(o.gadget_), saved_(o.saved_), poked_original_(std::move(o.poked_original_)),
      used_(o.used_), data_floor_(o.data_floor_) {
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
  Call c{"", nr, {}};
  std::copy(args.begin(), args.end(), c.args.begin());
  return call(c);
}

std::int64_t RemoteSyscalls::call(const Call& c) {
  Registers r = saved_;
  r.set_ip(gadget_);
  r.set_syscallno(-1);  // abandons a syscall the tracee was entering
  r.set_result(c.nr);
  for (int i = 0; i < 6; ++i) r.set_arg(i, c.args[i]);
  run_to_trap(r, c.nr);
  return task_->regs().result();
}

std::vector<std::uint64_t> RemoteSyscalls::checked_batch(std::span<const Call> calls) {
  const std::size_t max_batch = data_floor_ / sizeof(rrtr_page::BatchEntry);  // below put_data's bytes
  if (calls.size() > max_batch) {
    auto out = checked_batch(calls.first(max_batch));
    auto rest = checked_batch(calls.subspan(max_batch));
    out.insert(out.end(), rest.begin(), rest.end());
    return out;
  }
  if (calls.empty()) return {};
  if (poked_original_) fail(ExitCode::kInternal, "a batch of remote syscalls without the engine page");
  std::vector<rrtr_page::BatchEntry> entries(calls.size());
  for (std::size_t i = 0; i < calls.size(); ++i) {
    entries[i].nr = static_cast<std::uint64_t>(calls[i].nr);
    std::copy(calls[i].args.begin(), calls[i].args.end(), entries[i].args);
  }
  const std::string_view bytes(reinterpret_cast<const char*>(entries.data()), entries.size() * sizeof entries[0]);
  task_->write_mem(rrtr_page::kScratch, bytes);
  Registers r = saved_;
  r.set_ip(rrtr_page::kBatchStub);
  r.set_syscallno(-1);
  r.raw.rbx = rrtr_page::kScratch.value();
  r.raw.r12 = calls.size();
  run_to_trap(r, calls.front().nr);
  // The stub leaves r12 at the number of calls not completed, the failed one included.
  const std::uint64_t left = task_->regs().raw.r12;
  std::string results = task_->read_mem(rrtr_page::kScratch, bytes.size());
  std::memcpy(entries.data(), results.data(), results.size());
  if (left != 0) {
    const std::size_t at = calls.size() - left;
    const Call& failed = calls[at];
    const char* why = std::strerror(static_cast<int>(-static_cast<std::int64_t>(entries[at].result)));
    if (failed.host_may_refuse) fail(ExitCode::kHostRefused, "the system refused {}: {}", failed.what, why);
    fail(ExitCode::kInternal, "remote {} failed: {}", failed.what, why);
  }
  std::vector<std::uint64_t> out;
  for (const auto& e : entries) out.push_back(e.result);
  return out;
}

void RemoteSyscalls::run_to_trap(const Registers& r, long nr) {
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
}

std::uint64_t RemoteSyscalls::checked(const char* what, long nr, std::initializer_list<std::uint64_t> args) {
  std::int64_t r = call(nr, args);
  if (r < 0 && r > -4096) fail(ExitCode::kInternal, "remote {} failed: {}", what, std::strerror(static_cast<int>(-r)));
  return static_cast<std::uint64_t>(r);
}

RemotePtr RemoteSyscalls::put_string(const std::string& s) {
  // Above the batch descriptors, so a string and a batch can be used together.
  if (s.size() + 1 > kPageSize - kStringOffset) fail(ExitCode::kInternal, "remote string too long: {}", s);
  task_->write_mem(rrtr_page::kScratch + kStringOffset, std::string_view(s.c_str(), s.size() + 1));
  return rrtr_page::kScratch + kStringOffset;
}

RemotePtr RemoteSyscalls::put_data(std::string_view bytes) {
  // 8-byte aligned; room left for a batch of at least one call.
  const std::uint64_t size = (bytes.size() + 7) & ~std::uint64_t{7};
  if (size + sizeof(rrtr_page::BatchEntry) > data_floor_)
    fail(ExitCode::kInternal, "remote data too long: {} bytes", bytes.size());
  data_floor_ -= size;
  task_->write_mem(rrtr_page::kScratch + data_floor_, bytes);
  return rrtr_page::kScratch + data_floor_;
}

}  // namespace rrtr
