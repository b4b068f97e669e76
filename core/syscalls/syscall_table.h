// The x86_64 system call table: for every syscall the engine knows, how it is recorded
// and replayed and which tracee memory it writes. Everything else in the engine reads
// this table; docs/syscalls.md is generated from it (`rr-test-runner syscalls`).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/types.h"
#include "ptrace/registers.h"

namespace rrtr {

class Task;

enum class Policy : std::uint8_t {
  kNative,       // no stop in record or replay: deterministic and process-local
  kEmulate,      // recorded (result + written memory); skipped in replay, effects rewritten
  kExecute,      // recorded and run again in replay; the result must match
  kMmap,         // address-space syscalls: replay re-creates the recorded result
  kBrk,
  kMremap,
  kExec,         // execve: the new address space is snapshotted
  kExit,         // exit, exit_group
  kSkip,         // never reaches the kernel: answered with `skip_result` (refusals)
  kUnsupported,  // recording stops, naming the call
};

// How the size of an output buffer is known once the call has returned.
enum class Size : std::uint8_t {
  kFixed,        // `n` bytes
  kArg,          // the value of argument `n`, times `elem`
  kResult,       // the (non-negative) result, times `elem`
  kPointee,      // the 32-bit length at argument `n` (socklen_t*), read after the call
};

// One output buffer: argument `arg` points at it (ignored when NULL).
struct OutParam {
  std::int8_t arg = -1;
  Size size = Size::kFixed;
  std::uint32_t n = 0;
  std::uint32_t elem = 1;
};

// How a call changes the file descriptor table (for the stdio tracker).
enum class FdEffect : std::uint8_t {
  kNone,
  kNewFd,        // result is a new descriptor
  kNewFdPair,    // two new descriptors written at argument `fd_arg`
  kClose,        // closes argument 0
  kCloseRange,   // closes [arg0, arg1]
  kDup,          // result duplicates argument 0
  kDupTo,        // argument 1 becomes a duplicate of argument 0
  kFcntl,        // fcntl: F_DUPFD and F_DUPFD_CLOEXEC duplicate argument 0
  kWrite,        // writes buffer arg1 (result bytes) to fd arg0
  kWriteV,       // writes iovec arg1 (result bytes) to fd arg0
};

struct RemoteRange {
  RemotePtr addr;
  std::uint64_t len;
};

// Computes output ranges that no fixed rule can describe (iovecs, msghdr, ioctl).
// Throws Error(kUnsupported) when the call did something the engine cannot capture.
using OutFn = void (*)(const Task& task, const Registers& after, std::vector<RemoteRange>& out);
// Decides at entry whether the call must be refused; returns the result to answer with.
using RefuseFn = std::optional<std::int64_t> (*)(const Registers& entry);
// Answers the call at entry exactly as the kernel would, writing its outputs into the
// tracee; nullopt leaves it to the kernel (syscalls/answer_fns.h).
using AnswerFn = std::optional<std::int64_t> (*)(Task& task, const Registers& entry);

struct SyscallInfo {
  int nr = -1;
  const char* name = nullptr;
  Policy policy = Policy::kEmulate;
  OutParam outs[3] = {};
  OutFn out_fn = nullptr;
  RefuseFn refuse_fn = nullptr;
  AnswerFn answer_fn = nullptr;  // kEmulate rows only
  std::int64_t skip_result = 0;
  FdEffect fd_effect = FdEffect::kNone;
  std::int8_t fd_arg = 0;
  // The preload may make it without a stop and log it (rrtr/syscall_buffer_abi.h):
  // kEmulate rows whose outputs fixed rules describe, nothing the tracer must see live.
  bool buffered = false;
  // Runs without a stop during the program's start-up (docs/architecture.md): its
  // effects are memory, mappings or registers, which the start-up snapshot captures;
  // only while argument `startup_arg`, if any, is at most `startup_max`.
  bool startup = false;
  std::int8_t startup_arg = -1;
  std::uint64_t startup_max = 0;
  // Answered skip_result by the seccomp filter itself: no stop, no event, in record
  // and replay alike.
  bool refused_by_filter = false;
  // Run natively (no stop, no event, in record and replay alike) when the low word of
  // argument `native_arg` is one of `native_values`; otherwise as `policy` says.
  std::int8_t native_arg = -1;
  std::uint8_t native_value_count = 0;
  std::uint32_t native_values[4] = {};
  const char* note = "";  // shown in docs/syscalls.md
};

// The row for `nr`, or nullptr for a syscall the engine does not know.
const SyscallInfo* find_syscall(std::int64_t nr);
// Every row, in syscall-number order.
std::span<const SyscallInfo> all_syscalls();
// A name for any number: the table's, the kernel header's, or "syscall_N".
std::string syscall_name(std::int64_t nr);
// Output ranges of a completed call, by the row's rules.
std::vector<RemoteRange> output_ranges(const SyscallInfo& info, const Task& task, const Registers& after);
const char* policy_name(Policy p);

}  // namespace rrtr
