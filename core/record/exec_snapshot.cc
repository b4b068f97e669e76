#include "record/exec_snapshot.h"

#include <asm/prctl.h>
#include <elf.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include <cstring>

#include "common/error.h"
#include "common/files.h"
#include "common/unique_fd.h"
#include "common/zero_pages.h"
#include "ptrace/proc_maps.h"
#include "ptrace/remote_syscalls.h"
#include "ptrace/rrtr_page.h"

namespace rrtr {

namespace {

void prepare_address_space(Task& task, bool cpuid_faulting) {
  using namespace rrtr_page;
  {
    // The gadget poked over the program's first instruction is seen by the seccomp
    // filter (two stops a call): it only maps the engine page.
    auto rs = RemoteSyscalls::with_poked_gadget(task);
    rs.checked("mmap of the engine page", SYS_mmap,
               {kAddr.value(), kSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
                static_cast<std::uint64_t>(-1), 0});
    task.write_mem(kSyscallGadget, std::string_view(reinterpret_cast<const char*>(kGadgetBytes), sizeof kGadgetBytes));
    rs.checked("mprotect of the engine page", SYS_mprotect, {kAddr.value(), kPageSize, PROT_READ | PROT_EXEC});
  }
  RemoteSyscalls rs(task);  // the engine page's own gadget, which the filter lets through
  rs.checked("PR_SET_TSC", SYS_prctl, {PR_SET_TSC, PR_TSC_SIGSEGV});
  if (cpuid_faulting) rs.checked("ARCH_SET_CPUID", SYS_arch_prctl, {ARCH_SET_CPUID, 0});
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

Mapping capture(Task& task, TraceWriter& trace, const ProcMapping& pm) {
  Mapping m;
  m.start = pm.start;
  m.end = pm.end;
  m.prot = static_cast<std::uint32_t>(pm.prot);
  m.flags = pm.shared ? MAP_SHARED : MAP_PRIVATE;
  m.offset = pm.offset;
  m.name = pm.name;
  const std::uint64_t len = pm.end.value() - pm.start.value();
  if (pm.is_file() && !(pm.prot & PROT_WRITE) && !pm.shared) {
    auto path = fmt::format("/proc/{}/map_files/{:x}-{:x}", task.tid().value, pm.start.value(), pm.end.value());
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) fd.reset(::open(pm.name.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.valid()) {
      m.source = MappingSource::kFile;
      m.blob = trace.put_file_blob(fd.get(), pm.name);
      return m;
    }
  }
  std::string content(len, '\0');
  if (task.try_read_mem(pm.start, content.data(), len) != len) {
    m.source = MappingSource::kReserved;  // [vvar] and friends cannot be read
    return m;
  }
  if (all_zero(content)) {
    m.source = MappingSource::kZero;
  } else {
    m.source = MappingSource::kData;
    m.image = std::move(content);
  }
  return m;
}

}  // namespace

ExecEvent snapshot_after_exec(Task& task, TraceWriter& trace, const std::string& exe, bool cpuid_faulting) {
  task.reopen_mem();
  prepare_address_space(task, cpuid_faulting);
  hide_vdso(task);
  ExecEvent e;
  e.exe = exe;
  e.regs = task.regs();
  e.auxv = read_proc_file(fmt::format("/proc/{}/auxv", task.tid().value)).value_or("");
  for (const auto& pm : read_proc_maps(task.tid().value)) {
    if (rrtr_page::contains(pm.start) || pm.name == "[vsyscall]") continue;
    e.mappings.push_back(capture(task, trace, pm));
  }
  return e;
}

}  // namespace rrtr
