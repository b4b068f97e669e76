#include "record/exec_snapshot.h"

#include <asm/prctl.h>
#include <elf.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include <cstring>

#include "common/error.h"
#include "common/files.h"
#include "common/interrupt.h"
#include "ptrace/remote_signal_dispositions.h"
#include "ptrace/remote_syscalls.h"
#include "ptrace/rrtr_page.h"
#include "ptrace/seccomp_filter.h"
#include "ptrace/tracee_process.h"
#include "record/address_space_capture.h"
#include "record/link_map.h"

namespace rrtr {

namespace {

// The gadget poked over the program's first instruction only maps the engine page: a
// stop a call (two after a later exec, whose filter sees it). One call, not two: the
// page is mapped writable and executable while the engine writes its code (the program
// stopped), and the caller's next batch, before the program runs, begins with
// engine_page_protection(). Where the system refuses writable code (SELinux's execmem,
// a MemoryDenyWriteExecute filter) the code page is protected here, a second call.
void map_engine_page(Task& task) {
  using namespace rrtr_page;
  auto rs = RemoteSyscalls::with_poked_gadget(task);
  auto map = [&](std::uint64_t prot) {
    return rs.call(SYS_mmap, {kAddr.value(), kSize, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
                              static_cast<std::uint64_t>(-1), 0});
  };
  std::int64_t mapped = map(PROT_READ | PROT_WRITE | PROT_EXEC);
  const bool writable_code = mapped >= 0;
  if (mapped == -EACCES || mapped == -EPERM) mapped = map(PROT_READ | PROT_WRITE);
  if (mapped < 0)
    fail(ExitCode::kInternal, "remote mmap of the engine page failed: {}", std::strerror(static_cast<int>(-mapped)));
  task.write_mem(kSyscallGadget, std::string_view(reinterpret_cast<const char*>(kGadgetBytes), sizeof kGadgetBytes));
  if (!writable_code)
    rs.checked("mprotect of the engine page", SYS_mprotect, {kAddr.value(), kPageSize, PROT_READ | PROT_EXEC});
}

// The engine page's code read-and-execute, the rest read-and-write (see map_engine_page).
std::vector<RemoteSyscalls::Call> engine_page_protection() {
  using namespace rrtr_page;
  return {{"mprotect of the engine page's code", SYS_mprotect, {kAddr.value(), kPageSize, PROT_READ | PROT_EXEC}},
          {"mprotect of the engine page's data", SYS_mprotect,
           {kScratch.value(), kSize - kPageSize, PROT_READ | PROT_WRITE}}};
}

std::vector<RemoteSyscalls::Call> trap_arming(bool cpuid_faulting) {
  std::vector<RemoteSyscalls::Call> calls{{"PR_SET_TSC", SYS_prctl, {PR_SET_TSC, PR_TSC_SIGSEGV}}};
  if (cpuid_faulting) calls.push_back({"ARCH_SET_CPUID", SYS_arch_prctl, {ARCH_SET_CPUID, 0}});
  return calls;
}

// The initial stack from sp up (argc, argv[], envp[], auxv), read a page at a time
// rather than a word at a time: each read of tracee memory is a syscall.
class InitialStack {
 public:
  InitialStack(Task& task, RemotePtr sp) : task_(task), sp_(sp) {}
  RemotePtr address_of(std::size_t word) const { return sp_ + 8 * word; }
  std::uint64_t word(std::size_t i) {
    while (bytes_.size() < 8 * (i + 1)) {
      const std::size_t have = bytes_.size();
      bytes_.resize(have + kPageSize);
      const std::size_t got = task_.try_read_mem(sp_ + have, bytes_.data() + have, kPageSize);
      bytes_.resize(have + got);
      if (got == 0) fail(ExitCode::kInternal, "cannot read the initial stack at {}", sp_ + have);
    }
    std::uint64_t v;
    std::memcpy(&v, bytes_.data() + 8 * i, sizeof v);
    return v;
  }

 private:
  Task& task_;
  RemotePtr sp_;
  std::string bytes_;
};

// Turns AT_SYSINFO_EHDR into AT_IGNORE in the initial auxv, so libc never finds the
// vDSO and makes real (recordable) syscalls for the time.
void hide_vdso(Task& task) {
  InitialStack stack(task, task.regs().sp());
  std::size_t i = stack.word(0) + 2;  // argc, argv[], NULL
  while (stack.word(i) != 0) ++i;     // envp[]
  ++i;
  for (int n = 0; n < 256; ++n, i += 2) {
    auto type = stack.word(i);
    if (type == AT_NULL) return;
    if (type == AT_SYSINFO_EHDR) {
      task.write_val(stack.address_of(i), std::uint64_t{AT_IGNORE});
    }
  }
}

// The kernel's auxiliary vector, for a debugger (AT_ENTRY, AT_PHDR, ...).
std::string auxv_of(const Task& task) {
  return read_proc_file(fmt::format("/proc/{}/auxv", task.tid().value)).value_or("");
}

// What a snapshot keeps of the task besides its memory, registers and signal state.
void capture_task_state(const Task& task, ExecEvent& e) {
  e.xstate = task.xstate();
  e.stack_limit = task.stack_limit();
  e.auxv = auxv_of(task);
}

}  // namespace

void prepare_after_exec(Task& task) {
  task.reopen_mem();
  map_engine_page(task);
  hide_vdso(task);
}

void prepare_program_start(Task& task, const std::vector<sock_filter>& startup_filter,
                           std::span<const RemoteSyscalls::Call> also) {
  prepare_after_exec(task);
  RemoteSyscalls rs(task);
  auto calls = engine_page_protection();
  calls.push_back(remote_seccomp_filter(rs, startup_filter));
  calls.insert(calls.end(), also.begin(), also.end());
  rs.checked_batch(calls);
}

ExecEvent snapshot_after_exec(Task& task, TraceWriter& trace, const std::string& exe, bool cpuid_faulting) {
  prepare_after_exec(task);
  ExecEvent e;
  {
    RemoteSyscalls rs(task);
    std::vector<RemoteSyscalls::Call> calls = engine_page_protection();
    for (const auto& arm : trap_arming(cpuid_faulting)) calls.push_back(arm);
    const SignalDispositionsQuery signals(task, rs, calls);
    rs.checked_batch(calls);
    e.signals = signals.collect(task);
  }
  e.exe = exe;
  e.regs = task.regs();
  capture_task_state(task, e);
  e.mappings = capture_address_space(task, trace);
  return e;
}

StartupSnapshot snapshot_at_startup_end(Task& task, const std::string& exe, bool cpuid_faulting,
                                        const std::vector<sock_filter>& recording_filter, const Registers& resume_at,
                                        std::span<const RemoteSyscalls::Call> then) {
  StartupSnapshot snap;
  ExecEvent& e = snap.event;
  // One batch: it installs the recording's filter over the start-up's (filters only add
  // up: the stricter decides from the next call of this very batch on; the batch stub
  // is let through by both), arms the traps, reads the break and the signal state, then
  // forks the copy (reading the address space, ~0.45 ms, is done from it beside the
  // program instead of before it), then makes `then`, which may change the program's
  // memory (a brk). Nothing before the fork changes what the snapshot holds (the filter
  // and the traps are the copy's too, but it never runs; the answers land in the
  // engine page's scratch, which no snapshot holds). A fork of its own, before the
  // batch, cost a round trip more (~0.02 ms of gtest_io's recording).
  for (const auto& call : then)
    if (call.nr != SYS_brk)  // brk cannot fail: the batch cannot stop after the fork, the copy unowned
      fail(ExitCode::kInternal, "the start-up snapshot cannot make {} after its fork", call.what);
  {
    const InterruptsDeferred until_adopted;  // the copy exists once the clone ran
    RemoteSyscalls rs(task);
    std::vector<RemoteSyscalls::Call> calls{remote_seccomp_filter(rs, recording_filter)};
    for (const auto& arm : trap_arming(cpuid_faulting)) calls.push_back(arm);
    const std::size_t brk = calls.size();
    calls.push_back({"brk (to read the break)", SYS_brk, {0}});
    const SignalDispositionsQuery signals(task, rs, calls);
    const std::size_t fork = calls.size();
    calls.push_back(copy_call());
    calls.insert(calls.end(), then.begin(), then.end());
    const auto results = rs.checked_batch(calls);
    snap.copy = adopt_copy(static_cast<std::int64_t>(results.at(fork)), CopyStop::kDoNotWait);
    e.brk = results.at(brk);
    snap.then_results.assign(results.begin() + static_cast<std::ptrdiff_t>(fork + 1), results.end());
    e.signals = signals.collect(task);
    rs.saved_regs() = resume_at;
  }
  e.point = SnapshotPoint::kStartUp;
  e.exe = exe;
  e.regs = resume_at;
  capture_task_state(task, e);
  return snap;
}

ExecEvent StartupSnapshot::capture(TraceWriter& trace) {
  event.mappings = capture_address_space(copy->task(), trace);
  // ld.so opened the libraries by names no event recorded (libstdc++.so.6, not the
  // libstdc++.so.6.0.30 /proc shows): the names a debugger will ask for.
  for (const auto& object : loaded_objects(copy->task(), event.auxv))
    for (const auto& m : event.mappings)
      if (m.source == MappingSource::kFile && m.start <= object.dynamic && object.dynamic < m.end) {
        trace.name_file(object.name, m.blob);
        break;
      }
  copy->kill_on_callers_cpus();  // the events' writing thread's, beside the program
  return std::move(event);
}

}  // namespace rrtr
