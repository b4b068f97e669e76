// The events of a trace: everything that entered the program from outside its own
// instructions, in the order it happened. docs/trace-format.md describes the encoding.
#pragma once

#include <signal.h>

#include <array>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/types.h"
#include "ptrace/registers.h"
#include "ptrace/signal_dispositions.h"
#include "trace/blob_id.h"

namespace rrtr {

// Bytes the kernel (or the engine) wrote into tracee memory.
struct MemoryWrite {
  RemotePtr addr;
  std::string bytes;
};

// Where the content of a mapping comes from in replay.
enum class MappingSource : std::uint8_t {
  kFile = 1,      // a stored file (blob) mapped privately at `offset`
  kData = 2,      // anonymous memory filled with the image the event carries
  kZero = 3,      // anonymous zero-filled memory
  kReserved = 4,  // kernel pages that cannot be read ([vvar]); re-created inaccessible
};

// One mapping of the address space at an exec.
struct Mapping {
  RemotePtr start;
  RemotePtr end;
  std::uint32_t prot = 0;
  std::uint32_t flags = 0;  // MAP_PRIVATE / MAP_SHARED; MAP_PRIVATE | MAP_GROWSDOWN for [stack]
  std::uint64_t offset = 0;
  MappingSource source = MappingSource::kZero;
  BlobId blob;        // kFile
  std::string image;  // kData: the mapping's bytes. Inline rather than a blob: the
                      // initial stack is new in every recording, and a file of the
                      // shared store per recording cost ~0.3 ms of each.
  std::string name;  // path or [stack]/[vdso]/..., for people and the debugger
  // kFile, kZero: the pages that differ from that source (relocated .got and .data,
  // the stack, the heap), written over it once it is mapped.
  std::vector<MemoryWrite> pages;
};

// Where in the program's life an address space was captured.
enum class SnapshotPoint : std::uint8_t {
  kExec = 1,     // right after an exec
  kStartUp = 2,  // at the end of the first exec's start-up (docs/architecture.md)
};

// The address space and registers right after an exec (with the vDSO hidden, the
// engine page mapped), or at the end of the start-up the recorder let run without
// stops: replay rebuilds exactly this.
struct ExecEvent {
  std::string exe;
  Registers regs;
  std::vector<Mapping> mappings;
  std::string auxv;  // the kernel's auxiliary vector (for a debugger: AT_ENTRY, AT_PHDR, ...)
  SnapshotPoint point = SnapshotPoint::kExec;
  std::uint64_t brk = 0;  // kStartUp: the program break (0 at an exec: its first brk tells)
  // The XSAVE area (Task::xstate): a start-up leaves the rounding mode, MXCSR's flags
  // and vector registers' contents behind, and code after it spills them to memory.
  std::string xstate;
  // Actions, mask and alternate stack: the start-up's sigaction and sigaltstack calls
  // run natively, and replay sets what an exec left rather than redo its reset.
  SignalDispositions signals;
  // RLIMIT_STACK's soft limit, how far [stack] may grow (with no call): a replay under
  // another limit would fault at another depth, or not at all.
  std::uint64_t stack_limit = 0;
};

// Legacy x87/SSE region (512 bytes) and XSAVE header (64): the least an XSAVE area holds.
constexpr std::size_t kXstateMinSize = 576;
constexpr std::size_t kXstateMxcsrOffset = 24;

// What the replayer does with a recorded syscall (mirrors the table's policy).
enum class SyscallReplay : std::uint8_t {
  kEmulate = 1,   // skip it, write `result` and `writes`
  kExecute = 2,   // run it again, check the result
  kMmap = 3,      // recreate a mapping at `result`
  kBrk = 4,       // move the break to `result`
  kMremap = 5,    // move/resize to `result`
  kExit = 6,      // run it: the process ends
  kBuffered = 7,  // made by the preload without a stop (syscall_buffer.h): like kEmulate,
                  // with no registers recorded but the arguments
};

struct SyscallEvent {
  std::int64_t nr = 0;
  std::array<std::uint64_t, 6> args{};
  std::uint64_t ip = 0;
  std::uint64_t regs_hash = 0;
  std::int64_t result = 0;
  SyscallReplay replay = SyscallReplay::kEmulate;
  std::uint8_t echo_fd = 0;  // 1 or 2: the call wrote `result` bytes to our stdout/stderr
  std::uint64_t data_hash = 0;  // XXH3 of the bytes a write-family call wrote
  std::vector<MemoryWrite> writes;
  BlobId mapped_file;  // kMmap of a file
};

enum class SignalKind : std::uint8_t {
  kAfterSyscall = 1,  // delivered as the previous syscall event returned
  kFault = 2,         // raised by the instruction at regs.rip (replay raises it too)
};

struct SignalEvent {
  int signo = 0;
  SignalKind kind = SignalKind::kAfterSyscall;
  siginfo_t info{};
  Registers regs;  // at the signal-delivery-stop
};

enum class TrappedInsn : std::uint8_t { kRdtsc = 1, kRdtscp = 2, kCpuid = 3 };

// rdtsc/rdtscp/cpuid, trapped and emulated: the values the program received.
struct InstructionTrapEvent {
  TrappedInsn insn = TrappedInsn::kRdtsc;
  std::uint64_t ip = 0;
  std::uint64_t rax = 0, rbx = 0, rcx = 0, rdx = 0;
};

// A test-framework marker (marker_abi.h).
struct MarkerEvent {
  std::uint32_t kind = 0;
  std::string payload;
  std::uint64_t ip = 0;  // after the marker's syscall instruction
};

struct ExitEvent {
  int wait_status = 0;  // raw waitpid status
};

using EventBody = std::variant<ExecEvent, SyscallEvent, SignalEvent, InstructionTrapEvent, MarkerEvent, ExitEvent>;

struct Event {
  Tid tid;
  EventBody body;
};

void encode_event(const Event& e, std::string& out);
// Decodes one event from `in` starting at its current position.
class ByteReader;
Event decode_event(ByteReader& in);

nlohmann::json event_to_json(const Event& e, std::uint64_t index);
const char* event_kind_name(const Event& e);

}  // namespace rrtr
