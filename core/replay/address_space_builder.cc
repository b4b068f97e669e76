#include "replay/address_space_builder.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include <algorithm>
#include <cstdint>
#include <map>

#include "common/error.h"
#include "common/zero_pages.h"
#include "ptrace/proc_maps.h"
#include "ptrace/rrtr_page.h"

namespace rrtr {

namespace {

void reset_exec_state(RemoteSyscalls& rs, Task& task) {
  // struct kernel_sigaction: handler, flags, restorer, mask.
  struct KernelSigaction {
    std::uint64_t handler, flags, restorer, mask;
  };
  const RemotePtr scratch = rrtr_page::kScratch;
  for (int sig = 1; sig <= 64; ++sig) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    if (rs.call(SYS_rt_sigaction, {static_cast<std::uint64_t>(sig), 0, scratch.value(), 8}) != 0) continue;
    auto act = task.read_val<KernelSigaction>(scratch);
    if (act.handler == reinterpret_cast<std::uint64_t>(SIG_DFL) || act.handler == reinterpret_cast<std::uint64_t>(SIG_IGN))
      continue;
    KernelSigaction dfl{};
    task.write_val(scratch, dfl);
    rs.call(SYS_rt_sigaction, {static_cast<std::uint64_t>(sig), scratch.value(), 0, 8});
  }
  stack_t off{};
  off.ss_flags = SS_DISABLE;
  task.write_val(scratch, off);
  rs.call(SYS_sigaltstack, {scratch.value(), 0});
}

// Writes a memory image into freshly mapped (zero) memory, but for its zero pages:
// most of an initial stack is zero, and every page written is one the tracee must
// allocate and fill.
void write_image(Task& task, RemotePtr start, std::string_view image) {
  for (const auto& run : nonzero_page_runs(image)) task.write_mem(start + run.offset, image.substr(run.offset, run.length));
}

// Unmaps everything but the engine page (and [vsyscall], which cannot be), in at most
// two calls, one each side of the engine page: munmap passes over the holes in its
// range, and a call per mapping was a ptrace stop each (~25 for a fresh replay child).
void unmap_all_but_engine_page(Task& task, RemoteSyscalls& rs) {
  struct Span {
    std::uint64_t start = UINT64_MAX, end = 0;
    void add(const ProcMapping& pm) {
      start = std::min(start, pm.start.value());
      end = std::max(end, pm.end.value());
    }
  } below, above;
  for (const auto& pm : read_proc_maps(task.tid().value)) {
    if (rrtr_page::contains(pm.start) || pm.name == "[vsyscall]") continue;
    (pm.end <= rrtr_page::kAddr ? below : above).add(pm);
  }
  for (const Span& span : {below, above})
    if (span.start < span.end) rs.checked("munmap", SYS_munmap, {span.start, span.end - span.start});
}

}  // namespace

void rebuild_address_space(Task& task, RemoteSyscalls& rs, const ExecEvent& exec, BlobFiles& blobs, bool after_exec) {
  unmap_all_but_engine_page(task, rs);
  constexpr std::uint64_t kNoFd = static_cast<std::uint64_t>(-1);
  // One descriptor per file, not per mapping: a library is mapped in 4-5 pieces.
  std::map<BlobId, std::uint64_t> opened;
  for (const auto& m : exec.mappings) {
    const std::uint64_t len = m.end.value() - m.start.value();
    const std::uint64_t share = (m.flags & MAP_SHARED) ? MAP_SHARED : MAP_PRIVATE;
    switch (m.source) {
      case MappingSource::kFile: {
        auto fd = opened.find(m.blob);
        if (fd == opened.end()) {
          auto path = rs.put_string(blobs.tracee_path(m.blob));
          fd = opened.emplace(m.blob, rs.checked("open of a mapped blob", SYS_open, {path.value(), O_RDONLY | O_CLOEXEC})).first;
        }
        rs.checked("mmap of a recorded file", SYS_mmap,
                   {m.start.value(), len, m.prot, MAP_PRIVATE | MAP_FIXED, fd->second, m.offset});
        break;
      }
      case MappingSource::kData: {
        rs.checked("mmap of recorded memory", SYS_mmap,
                   {m.start.value(), len, PROT_READ | PROT_WRITE, share | MAP_ANONYMOUS | MAP_FIXED, kNoFd, 0});
        write_image(task, m.start, m.image);  // its length was checked when decoded
        if (m.prot != (PROT_READ | PROT_WRITE)) rs.checked("mprotect", SYS_mprotect, {m.start.value(), len, m.prot});
        break;
      }
      case MappingSource::kZero:
        rs.checked("mmap of zeroed memory", SYS_mmap, {m.start.value(), len, m.prot, share | MAP_ANONYMOUS | MAP_FIXED, kNoFd, 0});
        break;
      case MappingSource::kReserved:
        rs.checked("mmap of a reserved range", SYS_mmap,
                   {m.start.value(), len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, kNoFd, 0});
        break;
    }
  }
  for (const auto& [blob, fd] : opened) rs.call(SYS_close, {fd});
  if (after_exec) reset_exec_state(rs, task);
  rs.saved_regs() = exec.regs;
}

}  // namespace rrtr
