#include "trace/event.h"

#include <sys/mman.h>

#include <cstring>
#include <nlohmann/json.hpp>

#include "ptrace/rrtr_page.h"
#include "ptrace/wait_status.h"
#include "syscalls/syscall_table.h"
#include "trace/bytes.h"

namespace rrtr {

namespace {

// On-disk tags; never renumber (docs/trace-format.md).
enum class Tag : std::uint8_t { kExec = 1, kSyscall = 2, kSignal = 3, kInsnTrap = 4, kMarker = 5, kExit = 6 };

void put_regs(ByteWriter& w, const Registers& r) { w.raw(&r.raw, sizeof r.raw); }

void put_writes(ByteWriter& w, const std::vector<MemoryWrite>& writes) {
  w.u64(writes.size());
  for (const auto& m : writes) {
    w.u64(m.addr.value());
    w.bytes(m.bytes);
  }
}

std::vector<MemoryWrite> get_writes(ByteReader& in, const char* of) {
  auto n = in.u64();
  if (n > 1'000'000) fail(ExitCode::kTraceCorrupt, "trace corrupted: {} event with {} memory writes", of, n);
  std::vector<MemoryWrite> writes(n);
  for (auto& m : writes) {
    m.addr = RemotePtr(in.u64());
    m.bytes = in.bytes();
  }
  return writes;
}
Registers get_regs(ByteReader& in) {
  Registers r;
  in.raw(&r.raw, sizeof r.raw);
  return r;
}
void put_blob(ByteWriter& w, const BlobId& b) {
  w.u64(b.high);
  w.u64(b.low);
}
BlobId get_blob(ByteReader& in) {
  BlobId b;
  b.high = in.u64();
  b.low = in.u64();
  return b;
}

template <typename E>
E checked_enum(std::uint8_t v, std::uint8_t lo, std::uint8_t hi, const char* what) {
  if (v < lo || v > hi) fail(ExitCode::kTraceCorrupt, "trace corrupted: bad {} value {}", what, v);
  return static_cast<E>(v);
}

void put_signals(ByteWriter& w, const SignalDispositions& d) {
  w.u64(d.blocked);
  w.u64(d.altstack_sp);
  w.u32(static_cast<std::uint32_t>(d.altstack_flags));
  w.u64(d.altstack_size);
  w.u64(d.actions.size());
  for (const auto& a : d.actions) {
    w.u8(static_cast<std::uint8_t>(a.signo));
    w.u64(a.action.handler);
    w.u64(a.action.flags);
    w.u64(a.action.restorer);
    w.u64(a.action.mask);
  }
}

// Replay sets these with rt_sigaction and sigaltstack: what the kernel would refuse
// there is corruption here.
SignalDispositions get_signals(ByteReader& in) {
  SignalDispositions d;
  d.blocked = in.u64();
  d.altstack_sp = in.u64();
  d.altstack_flags = static_cast<std::int32_t>(in.u32());
  d.altstack_size = in.u64();
  constexpr std::int32_t kAutoDisarm = static_cast<std::int32_t>(1U << 31);  // SS_AUTODISARM, linux/signal.h
  if (d.altstack_flags != SS_DISABLE && d.altstack_flags != 0 && d.altstack_flags != kAutoDisarm)
    fail(ExitCode::kTraceCorrupt, "trace corrupted: alternate signal stack flags {:#x}", d.altstack_flags);
  constexpr std::uint64_t kKernelMinStack = 2048;  // the kernel's MINSIGSTKSZ (glibc's may be sysconf's)
  if (d.altstack_flags != SS_DISABLE && d.altstack_size < kKernelMinStack)
    fail(ExitCode::kTraceCorrupt, "trace corrupted: an alternate signal stack of {} bytes", d.altstack_size);
  const std::uint64_t n = in.u64();
  if (n > 64) fail(ExitCode::kTraceCorrupt, "trace corrupted: {} signal actions", n);
  for (std::uint64_t i = 0; i < n; ++i) {
    SignalAction a;
    a.signo = in.u8();
    a.action.handler = in.u64();
    a.action.flags = in.u64();
    a.action.restorer = in.u64();
    a.action.mask = in.u64();
    if (a.signo < 1 || a.signo > 64 || a.signo == SIGKILL || a.signo == SIGSTOP ||
        (!d.actions.empty() && a.signo <= d.actions.back().signo))
      fail(ExitCode::kTraceCorrupt, "trace corrupted: an action for signal {} (after {})", a.signo,
           d.actions.empty() ? 0 : d.actions.back().signo);
    d.actions.push_back(a);
  }
  return d;
}

// What replay maps with MAP_FIXED must be a range the kernel could have given: a
// flipped bit in an address would otherwise unmap the engine page or ask for terabytes.
void check_mapped_range(std::uint64_t start, std::uint64_t end, const std::string& what) {
  const auto bad = [&](const char* why) {
    fail(ExitCode::kTraceCorrupt, "trace corrupted: {} at {:#x}..{:#x} {}", what, start, end, why);
  };
  if (end <= start) bad("is empty");
  if (start % kPageSize || end % kPageSize) bad("is not page-aligned");
  if (end > kUserSpaceEnd) bad("ends above the user address space");
  if (start < (rrtr_page::kAddr + rrtr_page::kSize).value() && rrtr_page::kAddr.value() < end) bad("overlaps the engine page");
}

void check_mapping(const Mapping& m, const Mapping* previous) {
  const std::string what = fmt::format("the mapping of {}", m.name);
  check_mapped_range(m.start.value(), m.end.value(), what);
  const auto bad = [&](const char* why) { fail(ExitCode::kTraceCorrupt, "trace corrupted: {} at {} {}", what, m.start, why); };
  if (previous && m.start < previous->end) bad("overlaps the one before it");
  if (m.prot & ~static_cast<std::uint32_t>(PROT_READ | PROT_WRITE | PROT_EXEC)) bad("has unknown protections");
  if (m.flags != MAP_PRIVATE && m.flags != MAP_SHARED && m.flags != (MAP_PRIVATE | MAP_GROWSDOWN))
    bad("is neither private, shared nor a private stack");
  if (m.offset % kPageSize || m.offset > kUserSpaceEnd) bad("has a file offset no mapping can have");
}

// A recorded mmap or mremap is replayed with MAP_FIXED at its result.
void check_recorded_mapping(const SyscallEvent& e) {
  if (e.result < 0 || (e.replay != SyscallReplay::kMmap && e.replay != SyscallReplay::kMremap)) return;
  const std::uint64_t start = static_cast<std::uint64_t>(e.result);
  const std::uint64_t len = e.replay == SyscallReplay::kMmap ? e.args[1] : e.args[2];
  if (len > kUserSpaceEnd) fail(ExitCode::kTraceCorrupt, "trace corrupted: {} of {:#x} bytes succeeded", syscall_name(e.nr), len);
  check_mapped_range(start, start + page_up(len), fmt::format("the result of {}", syscall_name(e.nr)));
}

struct Encoder {
  ByteWriter& w;
  void operator()(const ExecEvent& e) {
    w.u8(static_cast<std::uint8_t>(Tag::kExec));
    w.bytes(e.exe);
    put_regs(w, e.regs);
    w.u64(e.mappings.size());
    for (const auto& m : e.mappings) {
      w.u64(m.start.value());
      w.u64(m.end.value());
      w.u32(m.prot);
      w.u32(m.flags);
      w.u64(m.offset);
      w.u8(static_cast<std::uint8_t>(m.source));
      put_blob(w, m.blob);
      w.bytes(m.image);
      w.bytes(m.name);
      put_writes(w, m.pages);
    }
    w.bytes(e.auxv);
    w.u8(static_cast<std::uint8_t>(e.point));
    w.u64(e.brk);
    w.bytes(e.xstate);
    put_signals(w, e.signals);
    w.u64(e.stack_limit);
  }
  void operator()(const SyscallEvent& e) {
    w.u8(static_cast<std::uint8_t>(Tag::kSyscall));
    w.i64(e.nr);
    for (auto a : e.args) w.u64(a);
    w.u64(e.ip);
    w.u64(e.regs_hash);
    w.i64(e.result);
    w.u8(static_cast<std::uint8_t>(e.replay));
    w.u8(e.echo_fd);
    w.u64(e.data_hash);
    put_writes(w, e.writes);
    put_blob(w, e.mapped_file);
  }
  void operator()(const SignalEvent& e) {
    w.u8(static_cast<std::uint8_t>(Tag::kSignal));
    w.u32(static_cast<std::uint32_t>(e.signo));
    w.u8(static_cast<std::uint8_t>(e.kind));
    w.raw(&e.info, sizeof e.info);
    put_regs(w, e.regs);
  }
  void operator()(const InstructionTrapEvent& e) {
    w.u8(static_cast<std::uint8_t>(Tag::kInsnTrap));
    w.u8(static_cast<std::uint8_t>(e.insn));
    w.u64(e.ip);
    w.u64(e.rax);
    w.u64(e.rbx);
    w.u64(e.rcx);
    w.u64(e.rdx);
  }
  void operator()(const MarkerEvent& e) {
    w.u8(static_cast<std::uint8_t>(Tag::kMarker));
    w.u32(e.kind);
    w.bytes(e.payload);
    w.u64(e.ip);
  }
  void operator()(const ExitEvent& e) {
    w.u8(static_cast<std::uint8_t>(Tag::kExit));
    w.u32(static_cast<std::uint32_t>(e.wait_status));
  }
};

}  // namespace

void encode_event(const Event& e, std::string& out) {
  ByteWriter w(out);
  w.u32(static_cast<std::uint32_t>(e.tid.value));
  std::visit(Encoder{w}, e.body);
}

Event decode_event(ByteReader& in) {
  Event e;
  e.tid = Tid{static_cast<pid_t>(in.u32())};
  auto tag = in.u8();
  switch (static_cast<Tag>(tag)) {
    case Tag::kExec: {
      ExecEvent x;
      x.exe = in.bytes();
      x.regs = get_regs(in);
      auto n = in.u64();
      if (n > 1'000'000) fail(ExitCode::kTraceCorrupt, "trace corrupted: exec event with {} mappings", n);
      for (std::uint64_t i = 0; i < n; ++i) {
        Mapping m;
        m.start = RemotePtr(in.u64());
        m.end = RemotePtr(in.u64());
        m.prot = in.u32();
        m.flags = in.u32();
        m.offset = in.u64();
        m.source = checked_enum<MappingSource>(in.u8(), 1, 4, "mapping source");
        m.blob = get_blob(in);
        m.image = in.bytes();
        m.name = in.bytes();
        m.pages = get_writes(in, "mapping");
        check_mapping(m, x.mappings.empty() ? nullptr : &x.mappings.back());
        for (const auto& p : m.pages)
          if (p.addr < m.start || p.bytes.size() > m.end.value() - p.addr.value())
            fail(ExitCode::kTraceCorrupt, "trace corrupted: a page image at {} outside the mapping of {}", p.addr, m.name);
        const std::uint64_t image_len = m.source == MappingSource::kData ? m.end.value() - m.start.value() : 0;
        if (m.image.size() != image_len)
          fail(ExitCode::kTraceCorrupt, "trace corrupted: memory image of {} has {} bytes, the mapping {}", m.name,
               m.image.size(), image_len);
        x.mappings.push_back(std::move(m));
      }
      x.auxv = in.bytes();
      x.point = checked_enum<SnapshotPoint>(in.u8(), 1, 2, "snapshot point");
      x.brk = in.u64();
      x.xstate = in.bytes();
      if (x.xstate.size() < kXstateMinSize || x.xstate.size() > 64 * 1024)
        fail(ExitCode::kTraceCorrupt, "trace corrupted: an XSAVE area of {} bytes", x.xstate.size());
      x.signals = get_signals(in);
      x.stack_limit = in.u64();
      e.body = std::move(x);
      break;
    }
    case Tag::kSyscall: {
      SyscallEvent x;
      x.nr = in.i64();
      for (auto& a : x.args) a = in.u64();
      x.ip = in.u64();
      x.regs_hash = in.u64();
      x.result = in.i64();
      x.replay = checked_enum<SyscallReplay>(in.u8(), 1, 7, "syscall replay policy");
      x.echo_fd = in.u8();
      x.data_hash = in.u64();
      x.writes = get_writes(in, "syscall");
      x.mapped_file = get_blob(in);
      check_recorded_mapping(x);
      e.body = std::move(x);
      break;
    }
    case Tag::kSignal: {
      SignalEvent x;
      x.signo = static_cast<int>(in.u32());
      x.kind = checked_enum<SignalKind>(in.u8(), 1, 2, "signal kind");
      in.raw(&x.info, sizeof x.info);
      x.regs = get_regs(in);
      if (x.signo < 1 || x.signo > 64) fail(ExitCode::kTraceCorrupt, "trace corrupted: signal number {}", x.signo);
      e.body = x;
      break;
    }
    case Tag::kInsnTrap: {
      InstructionTrapEvent x;
      x.insn = checked_enum<TrappedInsn>(in.u8(), 1, 3, "trapped instruction");
      x.ip = in.u64();
      x.rax = in.u64();
      x.rbx = in.u64();
      x.rcx = in.u64();
      x.rdx = in.u64();
      e.body = x;
      break;
    }
    case Tag::kMarker: {
      MarkerEvent x;
      x.kind = in.u32();
      x.payload = in.bytes();
      x.ip = in.u64();
      e.body = std::move(x);
      break;
    }
    case Tag::kExit:
      e.body = ExitEvent{static_cast<int>(in.u32())};
      break;
    default:
      fail(ExitCode::kTraceCorrupt, "trace corrupted: unknown event tag {}", tag);
  }
  return e;
}

const char* event_kind_name(const Event& e) {
  static constexpr const char* kNames[] = {"exec", "syscall", "signal", "instruction", "marker", "exit"};
  return kNames[e.body.index()];
}

namespace {
std::string hex(std::uint64_t v) { return fmt::format("{:#x}", v); }

const char* replay_name(SyscallReplay r) {
  switch (r) {
    case SyscallReplay::kEmulate: return "emulate";
    case SyscallReplay::kExecute: return "execute";
    case SyscallReplay::kMmap: return "mmap";
    case SyscallReplay::kBrk: return "brk";
    case SyscallReplay::kMremap: return "mremap";
    case SyscallReplay::kExit: return "exit";
    case SyscallReplay::kBuffered: return "buffered";
  }
  return "?";
}

const char* source_name(MappingSource s) {
  switch (s) {
    case MappingSource::kFile: return "file";
    case MappingSource::kData: return "data";
    case MappingSource::kZero: return "zero";
    case MappingSource::kReserved: return "reserved";
  }
  return "?";
}

const char* insn_name(TrappedInsn i) {
  switch (i) {
    case TrappedInsn::kRdtsc: return "rdtsc";
    case TrappedInsn::kRdtscp: return "rdtscp";
    case TrappedInsn::kCpuid: return "cpuid";
  }
  return "?";
}

struct ToJson {
  nlohmann::json& j;
  void operator()(const ExecEvent& e) {
    j["exe"] = e.exe;
    j["rip"] = hex(e.regs.raw.rip);
    j["rsp"] = hex(e.regs.raw.rsp);
    auto& maps = j["mappings"] = nlohmann::json::array();
    for (const auto& m : e.mappings) {
      maps.push_back({{"start", hex(m.start.value())}, {"end", hex(m.end.value())}, {"prot", m.prot},
                      {"source", source_name(m.source)}, {"offset", m.offset}, {"name", m.name},
                      {"blob", m.blob.is_null() ? "" : m.blob.hex()}});
      if (m.source == MappingSource::kData) maps.back()["image_xxh3"] = BlobId::of(m.image).hex();
      if (!m.pages.empty()) {
        std::uint64_t bytes = 0;
        for (const auto& p : m.pages) bytes += p.bytes.size();
        maps.back()["page_bytes"] = bytes;
      }
    }
    j["point"] = e.point == SnapshotPoint::kStartUp ? "start-up" : "exec";
    if (e.brk) j["brk"] = hex(e.brk);
    j["stack_limit"] = e.stack_limit;
    auto& signals = j["signals"] = nlohmann::json::object();
    signals["blocked"] = hex(e.signals.blocked);
    if (e.signals.altstack_flags != SS_DISABLE)
      signals["altstack"] = {{"sp", hex(e.signals.altstack_sp)}, {"size", e.signals.altstack_size}};
    auto& actions = signals["actions"] = nlohmann::json::array();
    for (const auto& a : e.signals.actions)
      actions.push_back({{"signal", signal_name(a.signo)}, {"handler", hex(a.action.handler)}, {"flags", hex(a.action.flags)}});
    if (e.xstate.size() >= kXstateMinSize) {
      std::uint32_t mxcsr = 0;
      std::memcpy(&mxcsr, e.xstate.data() + kXstateMxcsrOffset, sizeof mxcsr);
      j["mxcsr"] = hex(mxcsr);
    }
  }
  void operator()(const SyscallEvent& e) {
    j["syscall"] = syscall_name(e.nr);
    j["nr"] = e.nr;
    auto& args = j["args"] = nlohmann::json::array();
    for (auto a : e.args) args.push_back(hex(a));
    j["result"] = e.result;
    j["replay"] = replay_name(e.replay);
    j["ip"] = hex(e.ip);
    if (e.replay == SyscallReplay::kBuffered) j["caller"] = hex(e.regs_hash);  // trace-format.md
    if (e.echo_fd) j["echo_fd"] = e.echo_fd;
    if (e.data_hash) j["data_hash"] = fmt::format("{:016x}", e.data_hash);
    auto& writes = j["writes"] = nlohmann::json::array();
    for (const auto& m : e.writes) writes.push_back({{"addr", hex(m.addr.value())}, {"len", m.bytes.size()}});
    if (!e.mapped_file.is_null()) j["mapped_file"] = e.mapped_file.hex();
  }
  void operator()(const SignalEvent& e) {
    j["signal"] = signal_name(e.signo);
    j["signo"] = e.signo;
    j["signal_kind"] = e.kind == SignalKind::kFault ? "fault" : "after_syscall";
    j["si_code"] = e.info.si_code;
    j["rip"] = hex(e.regs.raw.rip);
  }
  void operator()(const InstructionTrapEvent& e) {
    j["instruction"] = insn_name(e.insn);
    j["ip"] = hex(e.ip);
    j["rax"] = hex(e.rax);
    j["rbx"] = hex(e.rbx);
    j["rcx"] = hex(e.rcx);
    j["rdx"] = hex(e.rdx);
  }
  void operator()(const MarkerEvent& e) {
    j["marker"] = e.kind;
    j["payload"] = nlohmann::json::parse(e.payload, nullptr, false);
    if (j["payload"].is_discarded()) j["payload"] = e.payload;
  }
  void operator()(const ExitEvent& e) {
    WaitStatus ws(e.wait_status);
    if (ws.exited()) j["exit_code"] = ws.exit_code();
    if (ws.killed_by_signal()) j["killed_by"] = signal_name(ws.fatal_signal());
    j["status"] = ws.shell_status();
  }
};
}  // namespace

nlohmann::json event_to_json(const Event& e, std::uint64_t index) {
  nlohmann::json j;
  j["event"] = index;
  j["tid"] = e.tid.value;
  j["kind"] = event_kind_name(e);
  std::visit(ToJson{j}, e.body);
  return j;
}

}  // namespace rrtr
