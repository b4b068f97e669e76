#include "ptrace/syscall_buffer.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include <cerrno>
#include <cstring>
#include <span>

#include "common/error.h"
#include "common/unique_fd.h"
#include "ptrace/remote_syscalls.h"
#include "ptrace/rrtr_page.h"
#include "ptrace/task.h"

namespace rrtr {

namespace {

constexpr std::uint64_t kLogUsedOffset = offsetof(rrtr_buffer_header, log_used);

rrtr_buffer_header fresh_header(std::uint32_t flags) {
  rrtr_buffer_header h{};
  h.magic = RRTR_BUFFER_MAGIC;
  h.flags = flags;
  return h;
}

template <typename T>
T take_struct(std::string_view log, std::size_t at) {
  T v;
  std::memcpy(&v, log.data() + at, sizeof v);
  return v;
}

[[noreturn]] void damaged(std::size_t at, std::string_view what) {
  fail(ExitCode::kInternal, "the syscall buffer's log is damaged at byte {} ({}): the program wrote over the engine's page", at,
       what);
}

}  // namespace

Registers BufferedCall::exit_regs() const {
  Registers r;
  r.set_syscallno(nr);
  for (int i = 0; i < 6; ++i) r.set_arg(i, args[i]);
  r.set_result(result);
  return r;
}

const BufferedCall::Region* BufferedCall::region(rrtr_region_kind kind) const {
  for (const auto& g : regions())
    if (g.kind == kind) return &g;
  return nullptr;
}

std::size_t for_each_buffered_call(std::string_view log, const EachBufferedCall& each) {
  BufferedCall c;
  std::size_t count = 0;
  std::size_t at = 0;
  while (at < log.size()) {
    if (log.size() - at < sizeof(rrtr_buffer_record)) damaged(at, "a record header is cut short");
    const auto rec = take_struct<rrtr_buffer_record>(log, at);
    if (rec.size < sizeof rec || rec.size % 8 != 0 || rec.size > log.size() - at) damaged(at, "bad record size");
    if (rec.regions > RRTR_LOG_RECORD_MAX_REGIONS) damaged(at, "more regions than a hook logs");
    c.nr = rec.nr;
    std::copy(std::begin(rec.args), std::end(rec.args), c.args.begin());
    c.result = rec.result;
    c.caller = rec.caller;
    c.flags = rec.flags;
    c.region_count = 0;
    std::size_t g = at + sizeof rec;
    const std::size_t end = at + rec.size;
    for (std::uint16_t i = 0; i < rec.regions; ++i) {
      if (end - g < sizeof(rrtr_buffer_region)) damaged(g, "a region header is cut short");
      const auto region = take_struct<rrtr_buffer_region>(log, g);
      g += sizeof region;
      if (region.len > end - g) damaged(g, "a region is longer than its record");
      if (region.kind < RRTR_REGION_OUT || region.kind > RRTR_REGION_PATH) damaged(g, "unknown region kind");
      c.region_slots[c.region_count++] = {static_cast<rrtr_region_kind>(region.kind), RemotePtr(region.addr),
                                          log.substr(g, region.len)};
      g += rrtr_buffer_padded(region.len);
    }
    if (g != end) damaged(at, "regions do not fill the record");
    each(c);
    ++count;
    at = end;
  }
  return count;
}

std::vector<BufferedCall> parse_buffer_log(std::string_view log) {
  std::vector<BufferedCall> calls;
  for_each_buffered_call(log, [&](const BufferedCall& c) { calls.push_back(c); });
  return calls;
}

void enable_syscall_buffer(Task& task, std::uint32_t flags) {
  const rrtr_buffer_header h = fresh_header(flags);
  task.write_val(rrtr_page::kBuffer, h);
}

namespace {

// Maps the buffer, the tracee's descriptor `fd` of it, over the engine page's buffer
// region, then closes that descriptor.
std::vector<RemoteSyscalls::Call> mapping_calls(std::uint64_t fd) {
  return {{"mmap of the syscall buffer", SYS_mmap,
           {rrtr_page::kBuffer.value(), RRTR_BUFFER_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0}},
          {"close of the syscall buffer", SYS_close, {fd}}};
}

}  // namespace

SharedSyscallBuffer::SharedSyscallBuffer(std::uint32_t flags)
    : fd_(::memfd_create("rrtr-syscall-buffer", MFD_CLOEXEC)) {
  if (!fd_.valid() || ::ftruncate(fd_.get(), RRTR_BUFFER_SIZE) != 0)
    fail(ExitCode::kInternal, "cannot make the syscall buffer: {}", std::strerror(errno));
  map_here(flags);
}

SharedSyscallBuffer::SharedSyscallBuffer(Task& task, std::uint32_t flags) {
  RemoteSyscalls rs(task);
  const auto remote_fd = rs.checked("memfd_create of the syscall buffer", SYS_memfd_create,
                                    {rs.put_string("rrtr-syscall-buffer").value(), MFD_CLOEXEC});
  fd_.reset(::open(fmt::format("/proc/{}/fd/{}", task.tid().value, remote_fd).c_str(), O_RDWR | O_CLOEXEC));
  // The program's lowest free descriptor was lent for these few calls only.
  const bool sized = fd_.valid() && ::ftruncate(fd_.get(), RRTR_BUFFER_SIZE) == 0;
  const int err = errno;
  auto calls = mapping_calls(remote_fd);
  rs.checked_batch(sized ? std::span(calls) : std::span(calls).last(1));
  if (!sized) fail(ExitCode::kInternal, "cannot open the syscall buffer of the recorded program: {}", std::strerror(err));
  map_here(flags);
}

std::vector<RemoteSyscalls::Call> SharedSyscallBuffer::inherited_mapping_calls() const {
  return mapping_calls(static_cast<std::uint64_t>(fd_.get()));
}

void SharedSyscallBuffer::map_here(std::uint32_t flags) {
  local_ = ::mmap(nullptr, RRTR_BUFFER_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd_.get(), 0);
  if (local_ == MAP_FAILED) fail(ExitCode::kInternal, "cannot map the syscall buffer: {}", std::strerror(errno));
  *header() = fresh_header(flags);
}

SharedSyscallBuffer::~SharedSyscallBuffer() {
  if (local_ && local_ != MAP_FAILED) ::munmap(local_, RRTR_BUFFER_SIZE);
}

std::size_t SharedSyscallBuffer::take(const EachBufferedCall& each) {
  rrtr_buffer_header* h = header();
  if (h->log_used == 0) return 0;
  if (h->log_used > RRTR_BUFFER_LOG_CAPACITY) damaged(0, "more used than there is");
  // Only what was committed: a hook cut short (the program killed inside it) has not
  // counted its record yet.
  const std::string_view log(reinterpret_cast<const char*>(h + 1), h->log_used);
  h->log_used = 0;  // first: a damaged log is reported once
  return for_each_buffered_call(log, each);
}

void mark_call_recorded(Task& task) {
  task.write_val(rrtr_page::kBuffer + offsetof(rrtr_buffer_header, call_recorded), std::uint64_t{1});
}

void empty_syscall_buffer(Task& task) {
  const std::uint64_t zero = 0;
  task.try_write_mem(rrtr_page::kBuffer + kLogUsedOffset, std::string_view(reinterpret_cast<const char*>(&zero), sizeof zero));
}

}  // namespace rrtr
