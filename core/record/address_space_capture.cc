#include "record/address_space_capture.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <map>
#include <optional>

#include "common/error.h"
#include "common/unique_fd.h"
#include "common/zero_pages.h"
#include "ptrace/proc_maps.h"
#include "ptrace/rrtr_page.h"

namespace rrtr {

namespace {

// Bits of a /proc/PID/pagemap entry (Documentation/admin-guide/mm/pagemap.rst).
constexpr std::uint64_t kPresent = 1ULL << 63;
constexpr std::uint64_t kSwapped = 1ULL << 62;
constexpr std::uint64_t kFileOrShared = 1ULL << 61;

class Pagemap {
 public:
  explicit Pagemap(Tid tid) : fd_(::open(fmt::format("/proc/{}/pagemap", tid.value).c_str(), O_RDONLY | O_CLOEXEC)) {
    if (!fd_.valid()) fail_errno(fmt::format("open /proc/{}/pagemap", tid.value));
  }
  // One entry per page of [start, end).
  std::vector<std::uint64_t> entries(RemotePtr start, RemotePtr end) const {
    std::vector<std::uint64_t> out((end.value() - start.value()) / kPageSize);
    const std::size_t len = out.size() * sizeof out[0];
    const auto at = static_cast<off_t>(start.value() / kPageSize * sizeof out[0]);
    if (::pread(fd_.get(), out.data(), len, at) != static_cast<ssize_t>(len))
      fail_errno(fmt::format("read the pagemap of {}-{}", start, end));
    return out;
  }

 private:
  UniqueFd fd_;
};

// What a snapshot may hold, images and pages: it is one event, and a reader takes
// chunks of at most 256 MiB. A start-up that wrote more (a library constructor filling a
// big buffer) is refused rather than recorded into a trace that cannot be read.
constexpr std::uint64_t kMaxSnapshotBytes = 128ULL << 20;

// Counts the bytes a snapshot takes, before they are read.
class SnapshotBudget {
 public:
  void take(std::uint64_t bytes) {
    used_ += bytes;
    if (used_ > kMaxSnapshotBytes)
      fail(ExitCode::kUnsupported,
           "the program's memory at its snapshot holds more than {} MiB written since its exec (before its first "
           "recorded call): more than a snapshot can carry",
           kMaxSnapshotBytes >> 20);
  }

 private:
  std::uint64_t used_ = 0;
};

// Reads the runs of pages that `owned` picks; false if one cannot be read.
template <class Owned>
bool read_owned_pages(const Task& task, RemotePtr start, const std::vector<std::uint64_t>& entries, Owned owned,
                      bool drop_zero, SnapshotBudget& budget, std::vector<MemoryWrite>& out) {
  for (std::size_t i = 0; i < entries.size();) {
    if (!owned(entries[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < entries.size() && owned(entries[j])) ++j;
    const RemotePtr at = start + i * kPageSize;
    budget.take((j - i) * kPageSize);
    std::string bytes((j - i) * kPageSize, '\0');
    if (task.try_read_mem(at, bytes.data(), bytes.size()) != bytes.size()) return false;
    if (!drop_zero) {
      out.push_back({at, std::move(bytes)});
    } else {
      for (const auto& run : nonzero_page_runs(bytes)) out.push_back({at + run.offset, bytes.substr(run.offset, run.length)});
    }
    i = j;
  }
  return true;
}

// The blobs of the files mapped, by device and inode: a library is mapped in 4-5
// pieces, and each would open and look up the same file.
class MappedFiles {
 public:
  MappedFiles(const Task& task, TraceWriter& trace) : task_(task), trace_(trace) {}
  // nullopt if the file cannot be opened (deleted, or replaced and unreadable).
  std::optional<BlobId> blob_of(const ProcMapping& pm) {
    const std::pair key{pm.device, pm.inode};
    if (auto it = known_.find(key); it != known_.end()) return it->second;
    // map_files names the very file mapped (root only); the path may have been replaced.
    auto path = fmt::format("/proc/{}/map_files/{:x}-{:x}", task_.tid().value, pm.start.value(), pm.end.value());
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) fd.reset(::open(pm.name.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) return std::nullopt;
    const BlobId id = trace_.put_file_blob(fd.get(), pm.name);
    known_.emplace(key, id);
    return id;
  }

 private:
  const Task& task_;
  TraceWriter& trace_;
  std::map<std::pair<std::uint64_t, std::uint64_t>, BlobId> known_;
};

Mapping capture(const Task& task, MappedFiles& files, const Pagemap& pagemap, SnapshotBudget& budget,
                const ProcMapping& pm) {
  Mapping m;
  m.start = pm.start;
  m.end = pm.end;
  m.prot = static_cast<std::uint32_t>(pm.prot);
  m.flags = pm.shared ? MAP_SHARED : MAP_PRIVATE;
  // The main thread's stack grows on a fault below it, with no call: replay's must too.
  if (pm.name == "[stack]") m.flags |= MAP_GROWSDOWN;
  m.offset = pm.offset;
  m.name = pm.name;
  if (pm.name.starts_with("[vvar")) {
    m.source = MappingSource::kReserved;  // the kernel's pages, which cannot be read
    return m;
  }
  // Read whole: shared memory, and the vDSO, whose pages a fork (the start-up
  // snapshot's copy) leaves out of the copy's page table.
  if (!pm.shared && pm.name != "[vdso]") {
    const auto entries = pagemap.entries(pm.start, pm.end);
    if (pm.is_file()) {
      if (auto blob = files.blob_of(pm)) {
        // A page the program wrote is a private copy, no longer the file's; a zeroed one
        // still differs from the file.
        auto written = [](std::uint64_t e) { return (e & kSwapped) || ((e & kPresent) && !(e & kFileOrShared)); };
        if (read_owned_pages(task, pm.start, entries, written, false, budget, m.pages)) {
          m.source = MappingSource::kFile;
          m.blob = *blob;
          return m;
        }
        m.pages.clear();
      }
    } else {
      auto present = [](std::uint64_t e) { return (e & (kPresent | kSwapped)) != 0; };
      if (read_owned_pages(task, pm.start, entries, present, true, budget, m.pages)) {
        m.source = MappingSource::kZero;
        return m;
      }
      m.source = MappingSource::kReserved;
      m.pages.clear();
      return m;
    }
  }
  const std::uint64_t len = pm.end.value() - pm.start.value();
  budget.take(len);
  std::string content(len, '\0');
  if (task.try_read_mem(pm.start, content.data(), len) != len) {
    m.source = MappingSource::kReserved;
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

std::vector<Mapping> capture_address_space(const Task& task, TraceWriter& trace) {
  const Pagemap pagemap(task.tid());
  MappedFiles files(task, trace);
  SnapshotBudget budget;
  std::vector<Mapping> out;
  for (const auto& pm : read_proc_maps(task.tid().value)) {
    if (rrtr_page::contains(pm.start) || pm.name == "[vsyscall]") continue;
    out.push_back(capture(task, files, pagemap, budget, pm));
  }
  return out;
}

}  // namespace rrtr
