#include <gtest/gtest.h>

#include "trace/bytes.h"
#include "trace/event.h"

#include <sys/mman.h>

#include <cstring>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace rrtr {
namespace {

Event round_trip(const Event& e) {
  std::string bytes;
  encode_event(e, bytes);
  ByteReader in(bytes, "test");
  Event out = decode_event(in);
  EXPECT_TRUE(in.at_end());
  return out;
}

// Encodes and decodes `e`, expecting the decoder to call it corrupted, naming `what`.
void expect_corruption(const Event& e, const std::string& what) {
  try {
    round_trip(e);
    ADD_FAILURE() << "decoded; expected: " << what;
  } catch (const Error& err) {
    EXPECT_EQ(err.status(), ExitCode::kTraceCorrupt);
    EXPECT_NE(std::string(err.what()).find(what), std::string::npos) << err.what();
  }
}

// An exec event as the recorder makes it: a legacy area and header at least.
ExecEvent exec_event() {
  ExecEvent x;
  x.xstate = std::string(kXstateMinSize, '\0');
  const std::uint32_t mxcsr = 0x5f80;  // rounding upward
  std::memcpy(x.xstate.data() + kXstateMxcsrOffset, &mxcsr, sizeof mxcsr);
  return x;
}

TEST(EventCodec, SyscallRoundTrip) {
  SyscallEvent s;
  s.nr = 0;
  s.args = {3, 0x7ffe0000, 100, 0, 0, 0};
  s.ip = 0x401000;
  s.regs_hash = 0x1234;
  s.result = 5;
  s.echo_fd = 1;
  s.data_hash = 99;
  s.writes.push_back({RemotePtr(0x7ffe0000), "hello"});
  Event out = round_trip(Event{Tid{42}, s});
  EXPECT_EQ(out.tid.value, 42);
  const auto& r = std::get<SyscallEvent>(out.body);
  EXPECT_EQ(r.args, s.args);
  EXPECT_EQ(r.result, 5);
  EXPECT_EQ(r.echo_fd, 1);
  EXPECT_EQ(r.data_hash, 99u);
  ASSERT_EQ(r.writes.size(), 1u);
  EXPECT_EQ(r.writes[0].bytes, "hello");
  EXPECT_EQ(r.writes[0].addr.value(), 0x7ffe0000u);
}

TEST(EventCodec, ExecSignalTrapMarkerExitRoundTrip) {
  ExecEvent x = exec_event();
  x.exe = "/bin/true";
  x.regs.raw.rip = 0x1000;
  x.point = SnapshotPoint::kStartUp;
  x.brk = 0x5000;
  x.signals = {0x800, 0x7000, 0x4000, 0, {{SIGHUP, {1, 0, 0, 0}}, {SIGUSR1, {0x1234, 0x4000000, 0x99, 0x2}}}};
  x.stack_limit = 8 << 20;
  x.mappings.push_back(Mapping{RemotePtr(0x1000), RemotePtr(0x3000), 5, 2, 0, MappingSource::kFile, BlobId{1, 2}, "",
                               "/bin/true", {{RemotePtr(0x2000), std::string(0x1000, 'r')}}});
  const std::string stack = std::string(0x1000 - 3, '\0') + "abc";
  x.mappings.push_back(Mapping{RemotePtr(0x7000), RemotePtr(0x8000), 3, 2, 0, MappingSource::kData, {}, stack, "[stack]", {}});
  auto ex = std::get<ExecEvent>(round_trip(Event{Tid{1}, x}).body);
  ASSERT_EQ(ex.mappings.size(), 2u);
  EXPECT_EQ(ex.point, SnapshotPoint::kStartUp);
  EXPECT_EQ(ex.brk, 0x5000u);
  EXPECT_EQ(ex.mappings[0].blob, (BlobId{1, 2}));
  ASSERT_EQ(ex.mappings[0].pages.size(), 1u);
  EXPECT_EQ(ex.mappings[0].pages[0].addr, RemotePtr(0x2000));
  EXPECT_EQ(ex.mappings[0].pages[0].bytes, std::string(0x1000, 'r'));
  EXPECT_EQ(ex.mappings[1].image, stack);
  EXPECT_EQ(ex.mappings[1].name, "[stack]");
  EXPECT_EQ(ex.regs.raw.rip, 0x1000u);
  EXPECT_EQ(ex.xstate, x.xstate);
  EXPECT_EQ(ex.signals.altstack_sp, 0x7000u);
  EXPECT_EQ(ex.stack_limit, 8u << 20);
  EXPECT_EQ(ex.signals.blocked, 0x800u);
  EXPECT_EQ(ex.signals.altstack_size, 0x4000u);
  EXPECT_EQ(ex.signals.altstack_flags, 0);
  ASSERT_EQ(ex.signals.actions.size(), 2u);
  EXPECT_EQ(ex.signals.actions[1].signo, SIGUSR1);
  EXPECT_EQ(ex.signals.actions[1].action.handler, 0x1234u);
  EXPECT_EQ(ex.signals.actions[1].action.flags, 0x4000000u);
  EXPECT_EQ(ex.signals.actions[1].action.restorer, 0x99u);
  EXPECT_EQ(ex.signals.actions[1].action.mask, 0x2u);
  EXPECT_EQ(event_to_json(Event{Tid{1}, ex}, 0)["mxcsr"], "0x5f80");

  SignalEvent sig;
  sig.signo = SIGSEGV;
  sig.kind = SignalKind::kFault;
  sig.info.si_signo = SIGSEGV;
  sig.regs.raw.rip = 0x4242;
  auto s2 = std::get<SignalEvent>(round_trip(Event{Tid{1}, sig}).body);
  EXPECT_EQ(s2.signo, SIGSEGV);
  EXPECT_EQ(s2.kind, SignalKind::kFault);
  EXPECT_EQ(s2.regs.raw.rip, 0x4242u);

  InstructionTrapEvent t{TrappedInsn::kRdtscp, 0x55, 1, 2, 3, 4};
  auto t2 = std::get<InstructionTrapEvent>(round_trip(Event{Tid{1}, t}).body);
  EXPECT_EQ(t2.insn, TrappedInsn::kRdtscp);
  EXPECT_EQ(t2.rdx, 4u);

  auto m = std::get<MarkerEvent>(round_trip(Event{Tid{1}, MarkerEvent{2, "{\"a\":1}"}}).body);
  EXPECT_EQ(m.kind, 2u);
  EXPECT_EQ(m.payload, "{\"a\":1}");

  EXPECT_EQ(std::get<ExitEvent>(round_trip(Event{Tid{1}, ExitEvent{0x8b}}).body).wait_status, 0x8b);
}

TEST(EventCodec, EveryTruncationIsReportedAsCorruption) {
  SyscallEvent s;
  s.writes.push_back({RemotePtr(1), std::string(64, 'x')});
  std::string bytes;
  encode_event(Event{Tid{7}, s}, bytes);
  for (std::size_t len = 0; len < bytes.size(); ++len) {
    ByteReader in(std::string_view(bytes).substr(0, len), "test");
    try {
      decode_event(in);
      FAIL() << "decoding " << len << " of " << bytes.size() << " bytes succeeded";
    } catch (const Error& e) {
      EXPECT_EQ(e.status(), ExitCode::kTraceCorrupt);
    }
  }
}

TEST(EventCodec, UnknownTagIsCorruption) {
  std::string bytes(4, '\0');
  bytes.push_back(static_cast<char>(99));
  ByteReader in(bytes, "test");
  try {
    decode_event(in);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), ExitCode::kTraceCorrupt);
    EXPECT_NE(std::string(e.what()).find("unknown event tag 99"), std::string::npos);
  }
}

// A memory image whose length is not its mapping's would be written short, or past
// the mapping, in replay.
TEST(EventCodec, AnImageOfTheWrongSizeIsCorruption) {
  for (const auto& [source, image] : {std::pair{MappingSource::kData, std::string(0xfff, 'x')},
                                      std::pair{MappingSource::kData, std::string(0x1001, 'x')},
                                      std::pair{MappingSource::kZero, std::string(0x1000, 'x')}}) {
    ExecEvent x = exec_event();
    x.mappings.push_back(Mapping{RemotePtr(0x7000), RemotePtr(0x8000), 3, 2, 0, source, {}, image, "[stack]", {}});
    expect_corruption(Event{Tid{1}, x}, "memory image of [stack]");
  }
}

TEST(EventCodec, PageImageOutsideItsMappingIsCorruption) {
  for (const auto& page : {MemoryWrite{RemotePtr(0x6fff), "x"}, MemoryWrite{RemotePtr(0x7fff), "xy"}}) {
    ExecEvent x = exec_event();
    x.mappings.push_back(Mapping{RemotePtr(0x7000), RemotePtr(0x8000), 3, 2, 0, MappingSource::kZero, {}, "", "[heap]", {page}});
    expect_corruption(Event{Tid{1}, x}, "outside the mapping of [heap]");
  }
}

// Replay maps a snapshot's mappings MAP_FIXED: each fault here would unmap the engine
// page, fail the mmap, or map something the recording never had.
TEST(EventCodec, AMappingNoKernelCouldHaveMadeIsCorruption) {
  const Mapping heap{RemotePtr(0x7000), RemotePtr(0x9000), 3, MAP_PRIVATE, 0, MappingSource::kZero, {}, "", "[heap]", {}};
  const auto with = [&](auto change) {
    ExecEvent x = exec_event();
    x.mappings = {heap};
    change(x.mappings.back());
    return Event{Tid{1}, x};
  };
  expect_corruption(with([](Mapping& m) { m.end = m.start; }), "is empty");
  expect_corruption(with([](Mapping& m) { m.start = RemotePtr(0x7001); }), "not page-aligned");
  expect_corruption(with([](Mapping& m) { m.end = RemotePtr(0x9ff0); }), "not page-aligned");
  expect_corruption(with([](Mapping& m) { m.end = RemotePtr(kUserSpaceEnd + 0x1000); }), "above the user address space");
  expect_corruption(with([](Mapping& m) { m.end = RemotePtr(0x70001000); }), "overlaps the engine page");
  expect_corruption(with([](Mapping& m) { m.prot |= 0x100; }), "unknown protections");
  expect_corruption(with([](Mapping& m) { m.flags = MAP_PRIVATE | MAP_FIXED; }), "neither private, shared nor a private stack");
  expect_corruption(with([](Mapping& m) { m.flags = MAP_SHARED | MAP_GROWSDOWN; }), "neither private, shared nor a private stack");
  expect_corruption(with([](Mapping& m) { m.offset = 0x10; }), "file offset");
  ExecEvent stack = exec_event();  // [stack] grows down in replay as it did recording
  stack.mappings = {heap};
  stack.mappings[0].flags = MAP_PRIVATE | MAP_GROWSDOWN;
  EXPECT_EQ(std::get<ExecEvent>(round_trip(Event{Tid{1}, stack}).body).mappings[0].flags, stack.mappings[0].flags);
  ExecEvent overlapping = exec_event();
  overlapping.mappings = {heap, heap};
  overlapping.mappings[1].start = RemotePtr(0x8000);
  overlapping.mappings[1].end = RemotePtr(0xa000);
  expect_corruption(Event{Tid{1}, overlapping}, "overlaps the one before it");
}

TEST(EventCodec, AnXsaveAreaOfImpossibleSizeIsCorruption) {
  for (const std::size_t size : {std::size_t{0}, kXstateMinSize - 1, std::size_t{64 * 1024 + 1}}) {
    ExecEvent x = exec_event();
    x.xstate.resize(size);
    expect_corruption(Event{Tid{1}, x}, fmt::format("XSAVE area of {} bytes", size));
  }
}

// Replay sets a snapshot's signal state with rt_sigaction and sigaltstack.
TEST(EventCodec, SignalStateTheKernelWouldRefuseIsCorruption) {
  const auto with = [](auto change) {
    ExecEvent x = exec_event();
    x.signals.actions = {{SIGHUP, {1, 0, 0, 0}}, {SIGUSR1, {0x1234, 0, 0, 0}}};
    change(x.signals);
    return Event{Tid{1}, x};
  };
  expect_corruption(with([](SignalDispositions& d) { d.actions[1].signo = SIGKILL; }), "an action for signal 9");
  expect_corruption(with([](SignalDispositions& d) { d.actions[1].signo = 65; }), "an action for signal 65");
  expect_corruption(with([](SignalDispositions& d) { d.actions[1].signo = SIGHUP; }), "an action for signal 1 (after 1)");
  expect_corruption(with([](SignalDispositions& d) { d.altstack_flags = SS_ONSTACK; }), "alternate signal stack flags");
  expect_corruption(with([](SignalDispositions& d) { d.altstack_flags = 0; d.altstack_size = 100; }),
                    "an alternate signal stack of 100 bytes");
}

// A recorded mmap is replayed MAP_FIXED at its result; a failed one is not replayed.
TEST(EventCodec, AnMmapResultNoKernelCouldHaveGivenIsCorruption) {
  SyscallEvent s;
  s.nr = 9;
  s.replay = SyscallReplay::kMmap;
  s.args = {0, 0x2000, 3, MAP_PRIVATE | MAP_ANONYMOUS, static_cast<std::uint64_t>(-1), 0};
  s.result = 0x70000000;
  expect_corruption(Event{Tid{1}, s}, "the result of mmap at 0x70000000..0x70002000 overlaps the engine page");
  s.result = 0x7f0000000010;
  expect_corruption(Event{Tid{1}, s}, "not page-aligned");
  s.args[1] = 1ULL << 62;
  expect_corruption(Event{Tid{1}, s}, "mmap of 0x4000000000000000 bytes succeeded");
  s.result = -12;  // ENOMEM
  EXPECT_EQ(std::get<SyscallEvent>(round_trip(Event{Tid{1}, s}).body).result, -12);
  s.args[1] = 0x2000;
  s.result = 0x7f0000000000;
  EXPECT_EQ(std::get<SyscallEvent>(round_trip(Event{Tid{1}, s}).body).result, 0x7f0000000000);
}

TEST(EventCodec, JsonNamesTheSyscall) {
  SyscallEvent s;
  s.nr = 1;
  s.result = 3;
  auto j = event_to_json(Event{Tid{9}, s}, 17);
  EXPECT_EQ(j["event"], 17);
  EXPECT_EQ(j["kind"], "syscall");
  EXPECT_EQ(j["syscall"], "write");
  EXPECT_EQ(j["result"], 3);
}

}  // namespace
}  // namespace rrtr
