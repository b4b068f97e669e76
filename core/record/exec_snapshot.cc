#include "record/exec_snapshot.h"

#include <asm/prctl.h>
#include <elf.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include <algorithm>

#include "common/error.h"
#include "common/files.h"
#include "common/unique_fd.h"
#include "ptrace/proc_maps.h"
#include "ptrace/remote_syscalls.h"
#include "ptrace/rrtr_page.h"

namespace rrtr {

namespace {

void prepare_address_space(Task& task, bool cpuid_faulting) {
  auto rs = RemoteSyscalls::with_poked_gadget(task);
  using namespace rrtr_page;
  rs.checked("mmap of the engine page", SYS_mmap,
             {kAddr.value(), kSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
              static_cast<std::uint64_t>(-1), 0});
  task.write_mem(kSyscallGadget, std::string_view(reinterpret_cast<const char*>(kGadgetBytes), sizeof kGadgetBytes));
  rs.checked("mprotect of the engine page", SYS_mprotect, {kAddr.value(), kPageSize, PROT_READ | PROT_EXEC});
  rs.checked("PR_SET_TSC", SYS_prctl, {PR_SET_TSC, PR_TSC_SIGSEGV});
  if (cpuid_faulting) rs.checked("ARCH_SET_CPUID", SYS_arch_prctl, {ARCH_SET_CPUID, 0});
}

// Turns AT_SYSINFO_EHDR into AT_IGNORE in the initial auxv, so libc never finds the
// vDSO and makes real (recordable) syscalls for the time.
void hide_vdso(Task& task) {
  RemotePtr p = task.regs().sp();
  const auto argc = task.read_val<std::uint64_t>(p);
  p = p + 8 * (argc + 2);  // argc, argv[], NULL
  while (task.read_val<std::uint64_t>(p) != 0) p = p + 8;  // envp[]
  p = p + 8;
  for (int i = 0; i < 256; ++i, p = p + 16) {
    auto type = task.read_val<std::uint64_t>(p);
    if (type == AT_NULL) return;
    if (type == AT_SYSINFO_EHDR) {
      std::uint64_t ignore = AT_IGNORE;
      task.write_mem(p, std::string_view(reinterpret_cast<const char*>(&ignore), sizeof ignore));
    }
  }
}

bool all_zero(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == 0; });
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
    m.blob = trace.put_blob(content);
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
