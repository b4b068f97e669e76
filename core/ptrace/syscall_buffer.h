// The engine's side of the syscall buffer (rrtr/syscall_buffer_abi.h): enabling it for
// an exec, and reading and emptying its log.
//
// The log is taken at every stop that appends an event, and only there: replay empties
// it at the same events, so the preload's hooks find the same free space in both and
// take the same paths.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/types.h"
#include "common/unique_fd.h"
#include "ptrace/registers.h"
#include "ptrace/remote_syscalls.h"
#include "rrtr/syscall_buffer_abi.h"

namespace rrtr {

class Task;

// One call the preload made through the buffered gadget, as it logged it. Its regions'
// bytes are views of the log: valid until the program runs again.
struct BufferedCall {
  struct Region {
    rrtr_region_kind kind;
    RemotePtr addr;
    std::string_view bytes;
  };

  std::int64_t nr = 0;
  std::array<std::uint64_t, 6> args{};
  std::int64_t result = 0;
  std::uint64_t caller = 0;  // the program's call site
  std::uint16_t flags = 0;   // RRTR_RECORD_*
  // Held in place, not on the heap: a flush decodes hundreds of calls at a stop.
  std::array<Region, RRTR_LOG_RECORD_MAX_REGIONS> region_slots{};
  std::uint16_t region_count = 0;

  std::span<const Region> regions() const { return {region_slots.data(), region_count}; }
  // What a syscall-exit stop would have shown, for the syscall table's rules.
  Registers exit_regs() const;
  // The region of `kind`, or nullptr.
  const Region* region(rrtr_region_kind kind) const;
};

// The call site of a buffered call stopped at the buffered gadget (a replay): the hook
// passes it in r12, to be compared with the logged one.
inline std::uint64_t buffered_caller(const Registers& at_gadget) { return at_gadget.raw.r12; }

// Decodes the committed part of a log, its regions views of `log`, handing each call to
// `each` in order (one object, refilled: what outlives the call is copied). A malformed
// log (the program wrote over the engine's page) is an Error(kInternal) naming what is
// wrong. Returns the number of calls.
using EachBufferedCall = std::function<void(const BufferedCall&)>;
std::size_t for_each_buffered_call(std::string_view log, const EachBufferedCall& each);
// The same, kept.
std::vector<BufferedCall> parse_buffer_log(std::string_view log);

// Replay: the buffer is the engine page's private memory, forked with checkpoints.
// Writes a fresh header for this exec: the preload honours `flags` (RRTR_BUFFER_*).
void enable_syscall_buffer(Task& task, std::uint32_t flags);
// Empties the log without reading it.
void empty_syscall_buffer(Task& task);
// Tells the hook in flight that its call is an event already (see SharedSyscallBuffer).
void mark_call_recorded(Task& task);

// Recording: the buffer is a memfd mapped shared by the tracee and by the recorder, so
// the log is read without a ptrace call, and is still there after the program was
// killed (SIGKILL) or the recorder interrupted.
class SharedSyscallBuffer {
 public:
  // A fresh buffer for a program about to be spawned: it inherits fd() across its exec
  // (ProgramLaunch::inherited_fd), and inherited_mapping_calls(), in the first batch
  // after the exec, map it over the engine page's buffer region and close that
  // descriptor, before the program's first instruction. Writes the header.
  explicit SharedSyscallBuffer(std::uint32_t flags);
  // Maps a fresh buffer over the engine page's buffer region of `task`, stopped right
  // after a later exec, through remote syscalls (the memfd made there), and writes its header.
  SharedSyscallBuffer(Task& task, std::uint32_t flags);
  int fd() const { return fd_.get(); }
  std::vector<RemoteSyscalls::Call> inherited_mapping_calls() const;
  SharedSyscallBuffer(const SharedSyscallBuffer&) = delete;
  SharedSyscallBuffer& operator=(const SharedSyscallBuffer&) = delete;
  ~SharedSyscallBuffer();

  // Hands `each` the calls committed since the last take (views of the log: to be used
  // before the program runs again), empties the log, returns their number.
  std::size_t take(const EachBufferedCall& each);
  // A signal is delivered as a buffered call returns (a write's SIGPIPE): the recorder
  // makes that call an event of the stop, before the signal, and the hook must not log
  // it again. Replay does the same at that event.
  void mark_call_recorded() { header()->call_recorded = 1; }
  // Marked, and the hook has not run since: a second signal at the same return.
  bool call_recorded() const { return header()->call_recorded != 0; }
  // Withdraws an RRTR_BUFFER_* request (the preload reads the flags when it acts).
  void clear_flag(std::uint32_t flag) { header()->flags &= ~flag; }

 private:
  rrtr_buffer_header* header() const { return static_cast<rrtr_buffer_header*>(local_); }
  void map_here(std::uint32_t flags);

  UniqueFd fd_;

  void* local_ = nullptr;
};

}  // namespace rrtr
