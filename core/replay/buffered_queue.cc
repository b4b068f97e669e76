#include "replay/buffered_queue.h"

#include <cstddef>
#include <cstring>

#include "common/error.h"
#include "ptrace/rrtr_page.h"
#include "ptrace/task.h"

namespace rrtr {

namespace {

constexpr RemotePtr kHeader = rrtr_page::kBuffer;
constexpr RemotePtr kLog = rrtr_page::kBuffer + sizeof(rrtr_buffer_header);
constexpr RemotePtr kQueue = rrtr_page::kBuffer + RRTR_BUFFER_LOG_END;

template <typename T>
void append_raw(std::string& out, const T& v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

}  // namespace

bool QueueBuilder::add(const SyscallEvent& e) {
  std::uint64_t size = sizeof(rrtr_buffer_record);
  for (const auto& w : e.writes) size += sizeof(rrtr_buffer_region) + rrtr_buffer_padded(w.bytes.size());
  if (e.writes.size() > UINT16_MAX || size > RRTR_BUFFER_QUEUE_CAPACITY - bytes_.size()) return false;
  rrtr_buffer_record r{};
  r.size = static_cast<std::uint32_t>(size);
  r.regions = static_cast<std::uint16_t>(e.writes.size());
  r.nr = e.nr;
  std::copy(e.args.begin(), e.args.end(), r.args);
  r.result = e.result;
  r.caller = e.regs_hash;  // a buffered event's call site (trace-format.md)
  append_raw(bytes_, r);
  for (const auto& w : e.writes) {
    rrtr_buffer_region g{w.addr.value(), RRTR_REGION_OUT, static_cast<std::uint32_t>(w.bytes.size())};
    append_raw(bytes_, g);
    bytes_.append(w.bytes);
    bytes_.resize(bytes_.size() + rrtr_buffer_padded(w.bytes.size()) - w.bytes.size());
  }
  ++count_;
  return true;
}

void QueueBuilder::write_to(Task& task) const {
  task.write_mem(kQueue, bytes_);
  const std::uint64_t used_next[2] = {bytes_.size(), 0};
  static_assert(offsetof(rrtr_buffer_header, queue_next) == offsetof(rrtr_buffer_header, queue_used) + 8);
  task.write_mem(kHeader + offsetof(rrtr_buffer_header, queue_used),
                 std::string_view(reinterpret_cast<const char*>(used_next), sizeof used_next));
}

LoggedCalls read_log_since(const Task& task, std::uint64_t from) {
  const auto used = task.read_val<std::uint64_t>(kHeader + offsetof(rrtr_buffer_header, log_used));
  if (used > RRTR_BUFFER_LOG_CAPACITY || used < from)
    fail(ExitCode::kDiverged, "the replayed program damaged the syscall buffer's log (used {}, read up to {})", used, from);
  auto log = std::make_unique<const std::string>(task.read_mem(kLog + from, used - from));
  auto calls = parse_buffer_log(*log);
  return {std::move(log), std::move(calls), used};
}

}  // namespace rrtr
