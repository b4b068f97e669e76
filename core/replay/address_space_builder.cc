#include "replay/address_space_builder.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <vector>

#include "common/error.h"
#include "common/zero_pages.h"
#include "ptrace/proc_maps.h"
#include "ptrace/remote_signal_dispositions.h"
#include "ptrace/rrtr_page.h"

namespace rrtr {

namespace {

// Writes a memory image into freshly mapped (zero) memory, but for its zero pages:
// most of an initial stack is zero, and every page written is one the tracee must
// allocate and fill.
void write_image(Task& task, RemotePtr start, std::string_view image) {
  for (const auto& run : nonzero_page_runs(image)) task.write_mem(start + run.offset, image.substr(run.offset, run.length));
}

// Unmaps everything but the engine page (and [vsyscall], which cannot be): a call each
// side of the engine page, since munmap passes over the holes in its range.
std::vector<RemoteSyscalls::Call> unmap_all_but_engine_page(Task& task) {
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
  std::vector<RemoteSyscalls::Call> calls;
  for (const Span& span : {below, above})
    if (span.start < span.end) calls.push_back({"munmap", SYS_munmap, {span.start, span.end - span.start}});
  return calls;
}

// The kernel takes an XSAVE area only in its own layout, whose size follows the CPU's
// features: a trace from a CPU with other vector extensions cannot give its state here.
void restore_xstate(Task& task, const std::string& recorded) {
  const std::size_t here = task.xstate().size();
  if (recorded.size() != here)
    fail(ExitCode::kHostMismatch, "this CPU's register state (XSAVE area) is {} bytes, the recording's {}: replay on a CPU of the recording's kind",
         here, recorded.size());
  if (!task.try_set_xstate(recorded))
    fail(ExitCode::kTraceCorrupt, "trace corrupted: the kernel refuses the recorded register state (XSAVE area)");
}

}  // namespace

void rebuild_address_space(Task& task, RemoteSyscalls& rs, const ExecEvent& exec, BlobFiles& blobs) {
  constexpr std::uint64_t kNoFd = static_cast<std::uint64_t>(-1);
  // One descriptor per file, not per mapping: a library is mapped in 4-5 pieces.
  std::map<BlobId, std::uint64_t> opened;
  for (const auto& m : exec.mappings)
    if (m.source == MappingSource::kFile && !opened.contains(m.blob))
      opened.emplace(m.blob, rs.checked("open of a mapped blob", SYS_open,
                                        {rs.put_string(blobs.tracee_path(m.blob)).value(), O_RDONLY | O_CLOEXEC}));
  // Then the whole address space in one batch (a stop per call was ~25 stops), the
  // memory images written, and their final protections set with the closes.
  std::vector<RemoteSyscalls::Call> build = unmap_all_but_engine_page(task), finish;
  for (const auto& m : exec.mappings) {
    const std::uint64_t len = m.end.value() - m.start.value();
    // No commit charge: the recording had these mappings already (a sanitizer's
    // terabytes of shadow made with MAP_NORESERVE look like any other in /proc).
    constexpr std::uint64_t kFixed = MAP_FIXED | MAP_NORESERVE;
    const std::uint64_t recorded_flags = m.flags & (MAP_SHARED | MAP_PRIVATE | MAP_GROWSDOWN);
    switch (m.source) {
      case MappingSource::kFile:
        build.push_back({"mmap of a recorded file", SYS_mmap,
                         {m.start.value(), len, m.prot, MAP_PRIVATE | kFixed, opened.at(m.blob), m.offset}});
        break;
      case MappingSource::kData:
        build.push_back({"mmap of recorded memory", SYS_mmap,
                         {m.start.value(), len, PROT_READ | PROT_WRITE, recorded_flags | MAP_ANONYMOUS | kFixed, kNoFd, 0}});
        if (m.prot != (PROT_READ | PROT_WRITE)) finish.push_back({"mprotect", SYS_mprotect, {m.start.value(), len, m.prot}});
        break;
      case MappingSource::kZero:
        build.push_back({"mmap of zeroed memory", SYS_mmap, {m.start.value(), len, m.prot, recorded_flags | MAP_ANONYMOUS | kFixed, kNoFd, 0}});
        break;
      case MappingSource::kReserved:
        build.push_back({"mmap of a reserved range", SYS_mmap,
                         {m.start.value(), len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | kFixed, kNoFd, 0}});
        break;
    }
  }
  rs.checked_batch(build);
  for (const auto& m : exec.mappings) {
    if (m.source == MappingSource::kData) write_image(task, m.start, m.image);  // its length was checked when decoded
    // Through /proc/PID/mem, which writes read-only private pages too (as a debugger's
    // breakpoints do); their bounds were checked when decoded.
    for (const auto& page : m.pages)
      if (!task.try_write_mem(page.addr, page.bytes))  // past the end of its file, say
        fail(ExitCode::kTraceCorrupt, "trace corrupted: {} bytes of pages at {} do not fit the mapping of {}",
             page.bytes.size(), page.addr, m.name);
  }
  for (const auto& [blob, fd] : opened) finish.push_back({"close of a mapped blob", SYS_close, {fd, 0, 0, 0, 0, 0}});
  set_signal_dispositions(task, rs, exec.signals, finish);
  rs.checked_batch(finish);
  restore_xstate(task, exec.xstate);
  if (!task.try_set_stack_limit(exec.stack_limit))
    fail(ExitCode::kHostRefused, "the recording's stack limit ({}) is above this session's hard limit: raise it (ulimit -Hs)",
         exec.stack_limit == RLIM_INFINITY ? std::string("unlimited") : fmt::format("{} bytes", exec.stack_limit));
  rs.saved_regs() = exec.regs;
}

}  // namespace rrtr
