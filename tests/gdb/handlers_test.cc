// Every packet handler against the fake target, through a real server and socket.
#include <gtest/gtest.h>

#include <cstring>

#include "fake_target.h"
#include "gdb/handler_table.h"
#include "gdb/hex.h"
#include "gdb/host_io.h"
#include "gdb/packet_framing.h"
#include "gdb/register_table.h"
#include "gdb/target_description.h"
#include "server_harness.h"

namespace rrtr::gdb::testing {
namespace {

class Handlers : public ::testing::Test {
 protected:
  void SetUp() override {
    target.map(0x1000, "0123456789abcdef");
    target.map(0x2000, std::string(8, '\0'));
    target.files["/bin/fake"] = std::string("\x7f" "ELF#$}*rest", 12);
    target.monitor_answers["when"] = "Current event: 42\n";
    harness = std::make_unique<ServerHarness>(target);
  }

  std::string request(std::string_view payload) { return harness->request(payload); }

  // Reads a whole qXfer object in slices of `chunk` bytes.
  std::string read_xfer(std::string_view object_annex, std::size_t chunk) {
    std::string data;
    for (int i = 0; i < 10000; ++i) {
      std::string r = request(fmt::format("qXfer:{}:{:x},{:x}", object_annex, data.size(), chunk));
      if (r.empty() || (r[0] != 'm' && r[0] != 'l')) {
        ADD_FAILURE() << "bad qXfer reply " << r;
        return data;
      }
      data += *unescape_binary(std::string_view(r).substr(1));
      if (r[0] == 'l') return data;
    }
    return data;
  }

  FakeTarget target;
  std::unique_ptr<ServerHarness> harness;
};

TEST(SplitPacket, NamesFollowTheManual) {
  auto check = [](std::string_view payload, std::string_view name, std::string_view args) {
    auto parts = split_packet(payload);
    EXPECT_EQ(parts.name, name) << payload;
    EXPECT_EQ(parts.args, args) << payload;
  };
  check("m1000,4", "m", "1000,4");
  check("qSupported:multiprocess+", "qSupported", "multiprocess+");
  check("qRcmd,6869", "qRcmd", "6869");
  check("qC", "qC", "");
  check("qXfer:features:read:target.xml:0,fff", "qXfer:features:read", "target.xml:0,fff");
  check("qXfer:auxv", "qXfer:auxv", "");
  check("vCont?", "vCont?", "");
  check("vCont;c:65", "vCont", "c:65");
  check("vFile:open:2f62,0,0", "vFile:open", "2f62,0,0");
  check("vKill;64", "vKill", "64");
  check("bc", "bc", "");
  check("bs", "bs", "");
  check("Z0,1000,1", "Z", "0,1000,1");
  check("", "", "");
}

TEST_F(Handlers, SupportedListsTheFeatures) {
  std::string r = request("qSupported:multiprocess+;swbreak+;hwbreak+;vContSupported+");
  for (const char* feature :
       {"PacketSize=4000", "QStartNoAckMode+", "qXfer:features:read+", "qXfer:auxv:read+",
        "qXfer:exec-file:read+", "qXfer:siginfo:read+", "qXfer:threads:read+", "swbreak+", "hwbreak+",
        "vContSupported+", "ReverseContinue+", "ReverseStep+", "multiprocess-"}) {
    EXPECT_NE(r.find(feature), std::string::npos) << feature << " in " << r;
  }
}

TEST_F(Handlers, NoAckModeStopsAcks) {
  harness->start_no_ack_mode();
  harness->send_raw(frame("qC"));
  auto c = harness->read_byte();
  ASSERT_TRUE(c);
  EXPECT_EQ(*c, '$');  // straight to the reply, no '+'
}

TEST_F(Handlers, UnknownAndDeclinedPacketsGetTheEmptyReply) {
  for (const char* p : {"vMustReplyEmpty", "qTStatus", "qOffsets", "QNonStop:1", "qFooBar", "j", "vFile:unlink:2f",
                        "qXfer:libraries-svr4:read::0,fff"}) {
    EXPECT_EQ(request(p), "") << p;
  }
}

TEST_F(Handlers, HaltReasonReportsTheLastStop) {
  EXPECT_EQ(request("?"), "T05thread:65;");
  target.stop.kind = StopEvent::Kind::kExited;
  target.stop.exit_code = 3;
  EXPECT_EQ(request("?"), "W03");
}

TEST_F(Handlers, ReadsAndWritesAllRegisters) {
  std::string g = request("g");
  auto bytes = hex_decode(g);
  ASSERT_TRUE(bytes);
  EXPECT_EQ(*bytes, read_all_registers(target.registers[101]));
  // Change rax and write everything back.
  std::string changed = *bytes;
  changed.replace(0, 8, std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8));
  EXPECT_EQ(request("G" + hex_encode(changed)), "OK");
  EXPECT_EQ(target.registers[101].gpr.rax, 0x0807060504030201u);
  EXPECT_EQ(request("G" + hex_encode(changed) + "00"), "E01");
  EXPECT_EQ(request("Gzz"), "E01");
}

TEST_F(Handlers, ReadsAndWritesOneRegister) {
  EXPECT_EQ(request("p10"), "6510400000000000");  // rip of thread 0x65
  EXPECT_EQ(request("P10=0020400000000000"), "OK");
  EXPECT_EQ(target.registers[101].gpr.rip, 0x402000u);
  EXPECT_EQ(request("p11"), "00000000");  // eflags: 32 bits
  EXPECT_EQ(request("p3c"), "E01");       // ymm0h without AVX
  EXPECT_EQ(request("pzz"), "E01");
  EXPECT_EQ(request("P10=00"), "E01");
  EXPECT_EQ(request("P10"), "E01");
  target.registers[101].has_avx = true;
  EXPECT_EQ(request("p3c"), std::string(32, '0'));
}

TEST_F(Handlers, HgSelectsTheThreadForRegisters) {
  EXPECT_EQ(request("Hg66"), "OK");
  EXPECT_EQ(request("p10"), "6610400000000000");
  EXPECT_EQ(request("Hgp64.65"), "OK");  // the multiprocess form is understood too
  EXPECT_EQ(request("p10"), "6510400000000000");
  EXPECT_EQ(request("Hg999"), "E01");
  EXPECT_EQ(request("Hg0"), "OK");
  EXPECT_EQ(request("Hc-1"), "OK");
  EXPECT_EQ(request("Hx1"), "E01");
  EXPECT_EQ(request("H"), "E01");
}

TEST_F(Handlers, ThreadQueries) {
  EXPECT_EQ(request("qC"), "QC65");
  EXPECT_EQ(request("qfThreadInfo"), "m65,66");
  EXPECT_EQ(request("qsThreadInfo"), "l");
  EXPECT_EQ(request("T66"), "OK");
  EXPECT_EQ(request("T999"), "E01");
  EXPECT_EQ(request("Tq"), "E01");
  EXPECT_EQ(request("qAttached"), "1");
  EXPECT_EQ(request("qAttached:64"), "1");
}

TEST_F(Handlers, ReadsMemory) {
  EXPECT_EQ(request("m1000,4"), hex_encode("0123"));
  EXPECT_EQ(request("m100e,8"), hex_encode("ef"));  // the readable prefix
  EXPECT_EQ(request("m5000,4"), "E14");               // unmapped
  EXPECT_EQ(request("m1000"), "E01");
  EXPECT_EQ(request("m1000,0"), "E01");
  EXPECT_EQ(request("mxyz,1"), "E01");
  std::string huge = request("m1000,ffffffffffffffff");  // clamped, not allocated
  EXPECT_EQ(huge, hex_encode("0123456789abcdef"));
}

TEST_F(Handlers, WritesMemoryInHexAndBinary) {
  EXPECT_EQ(request("M2000,2:abcd"), "OK");
  EXPECT_EQ(target.memory[0x2000].substr(0, 2), "\xab\xcd");
  EXPECT_EQ(request("M2000,2:abc"), "E01");
  EXPECT_EQ(request("M2000,3:abcd"), "E01");
  EXPECT_EQ(request("M9000,1:00"), "E14");
  std::string binary("#$}*\x03\x00", 6);
  EXPECT_EQ(request("X2000,6:" + escape_binary(binary)), "OK");
  EXPECT_EQ(target.memory[0x2000].substr(0, 6), binary);
  EXPECT_EQ(request("X2000,0:"), "OK");  // gdb's probe
  EXPECT_EQ(request("X2000,2:a"), "E01");
  EXPECT_EQ(request("X2000,1:}"), "E01");
}

TEST_F(Handlers, InsertsAndRemovesEveryBreakpointKind) {
  for (int type = 0; type <= 4; ++type) {
    EXPECT_EQ(request(fmt::format("Z{},1234,{}", type, type == 0 ? 1 : 4)), "OK");
  }
  EXPECT_EQ(target.breakpoints.size(), 5u);
  EXPECT_TRUE(target.breakpoints.count({BreakpointType::kWriteWatch, 0x1234, 4}));
  EXPECT_TRUE(target.breakpoints.count({BreakpointType::kSoftware, 0x1234, 1}));
  EXPECT_EQ(request("z2,1234,4"), "OK");
  EXPECT_FALSE(target.breakpoints.count({BreakpointType::kWriteWatch, 0x1234, 4}));
  EXPECT_EQ(request("z2,1234,4"), "E01");  // not inserted
  EXPECT_EQ(request("Z0,1234,1;X3,220027"), "OK");
  EXPECT_EQ(request("Z5,1234,1"), "E01");
  EXPECT_EQ(request("Z0,1234"), "E01");
  EXPECT_EQ(request("Z"), "E01");
}

TEST_F(Handlers, VContRunsTheNamedThread) {
  EXPECT_EQ(request("vCont?"), "vCont;c;C;s;S");
  StopEvent stop;
  stop.tid = Tid{102};
  target.script.push_back(stop);
  EXPECT_EQ(request("vCont;s:66;c"), "T05thread:66;");
  ASSERT_EQ(target.resumes.size(), 1u);
  EXPECT_EQ(target.resumes[0].tid.value, 102);
  EXPECT_EQ(target.resumes[0].kind, ResumeKind::kStep);
  EXPECT_EQ(target.resumes[0].direction, Direction::kForward);
  // The stopped thread becomes the current one.
  EXPECT_EQ(request("qC"), "QC66");
}

TEST_F(Handlers, VContTranslatesSignals) {
  EXPECT_EQ(request("vCont;C1e:65"), "T05thread:65;");  // gdb 30 is SIGUSR1
  EXPECT_EQ(target.resumes.back().signal, SIGUSR1);
  EXPECT_EQ(target.resumes.back().kind, ResumeKind::kContinue);
  EXPECT_EQ(request("vCont;S0b"), "T05thread:65;");
  EXPECT_EQ(target.resumes.back().signal, SIGSEGV);
  EXPECT_EQ(target.resumes.back().kind, ResumeKind::kStep);
  EXPECT_EQ(request("vCont;C07"), "E01");  // SIGEMT has no Linux number
  EXPECT_EQ(request("vCont;x"), "E01");
  EXPECT_EQ(request("vCont;t:65"), "E01");
  EXPECT_EQ(request("vCont;c:zz"), "E01");
  EXPECT_EQ(request("vCont"), "E01");
  EXPECT_EQ(target.resumes.size(), 2u);
}

TEST_F(Handlers, LegacyResumePackets) {
  EXPECT_EQ(request("c"), "T05thread:65;");
  EXPECT_EQ(request("s"), "T05thread:65;");
  EXPECT_EQ(target.resumes.back().kind, ResumeKind::kStep);
  EXPECT_EQ(request("c403000"), "T05thread:65;");
  EXPECT_EQ(target.registers[101].gpr.rip, 0x403000u);
  EXPECT_EQ(request("C0b"), "T05thread:65;");
  EXPECT_EQ(target.resumes.back().signal, SIGSEGV);
  EXPECT_EQ(request("S02;404000"), "T05thread:65;");
  EXPECT_EQ(target.resumes.back().signal, SIGINT);
  EXPECT_EQ(target.registers[101].gpr.rip, 0x404000u);
  EXPECT_EQ(request("cxyz"), "E01");
  EXPECT_EQ(request("C"), "E01");
  EXPECT_EQ(request("Hc66"), "OK");
  request("c");
  EXPECT_EQ(target.resumes.back().tid.value, 102);
}

TEST_F(Handlers, ReverseExecutionAndHistoryEnds) {
  StopEvent begin;
  begin.kind = StopEvent::Kind::kNoHistory;
  begin.tid = Tid{101};
  target.script = {begin, begin};
  EXPECT_EQ(request("bc"), "T05thread:65;replaylog:begin;");
  EXPECT_EQ(target.resumes.back().direction, Direction::kReverse);
  EXPECT_EQ(target.resumes.back().kind, ResumeKind::kContinue);
  EXPECT_EQ(request("?"), "T05thread:65;replaylog:begin;");
  EXPECT_EQ(request("vCont;c"), "T05thread:65;replaylog:end;");
  EXPECT_EQ(request("bs"), "T05thread:65;");
  EXPECT_EQ(target.resumes.back().direction, Direction::kReverse);
  EXPECT_EQ(target.resumes.back().kind, ResumeKind::kStep);
  EXPECT_EQ(request("bcx"), "E01");
}

TEST_F(Handlers, BreakpointStopReasonsFollowWhatGdbSupports) {
  StopEvent hit;
  hit.tid = Tid{101};
  hit.breakpoint = true;
  target.script = {hit, hit, hit};
  EXPECT_EQ(request("vCont;c"), "T05thread:65;");  // gdb did not say swbreak+
  request("qSupported:swbreak+;hwbreak+");
  EXPECT_EQ(request("vCont;c"), "T05thread:65;swbreak:;");
  request(fmt::format("Z1,{:x},1", target.registers[101].gpr.rip));
  EXPECT_EQ(request("vCont;c"), "T05thread:65;hwbreak:;");
}

TEST_F(Handlers, WatchpointAndExitStops) {
  StopEvent watch;
  watch.kind = StopEvent::Kind::kWatchpoint;
  watch.tid = Tid{102};
  watch.watch_addr = RemotePtr(0x2000);
  StopEvent rwatch = watch;
  rwatch.watch_type = BreakpointType::kReadWatch;
  StopEvent awatch = watch;
  awatch.watch_type = BreakpointType::kAccessWatch;
  StopEvent exited;
  exited.kind = StopEvent::Kind::kExited;
  exited.exit_code = 42;
  StopEvent killed;
  killed.kind = StopEvent::Kind::kKilled;
  killed.signo = SIGUSR1;
  target.script = {watch, rwatch, awatch, exited, killed};
  EXPECT_EQ(request("vCont;c"), "T05thread:66;watch:2000;");
  EXPECT_EQ(request("vCont;c"), "T05thread:66;rwatch:2000;");
  EXPECT_EQ(request("vCont;c"), "T05thread:66;awatch:2000;");
  EXPECT_EQ(request("vCont;c"), "W2a");
  EXPECT_EQ(request("vCont;c"), "X1e");
}

TEST_F(Handlers, TargetDescriptionInSlices) {
  std::string whole = read_xfer("features:read:target.xml", 0xfff);
  EXPECT_EQ(whole, target_description_xml(false));
  EXPECT_EQ(read_xfer("features:read:target.xml", 7), whole);
  target.registers[101].has_avx = true;
  EXPECT_EQ(read_xfer("features:read:target.xml", 0x100), target_description_xml(true));
  EXPECT_EQ(request("qXfer:features:read:other.xml:0,100"), "E01");
  EXPECT_EQ(request("qXfer:features:read:target.xml:0,0"), "E01");
  EXPECT_EQ(request("qXfer:features:read:target.xml:100000,10"), "l");
  EXPECT_EQ(request("qXfer:features:read:target.xml"), "E01");
}

TEST_F(Handlers, OtherXferObjects) {
  EXPECT_EQ(read_xfer("auxv:read:", 0x10), target.auxv_bytes);
  EXPECT_EQ(read_xfer("exec-file:read:", 0x100), "/bin/fake");
  EXPECT_EQ(read_xfer("exec-file:read:64", 0x100), "/bin/fake");
  std::string siginfo = read_xfer("siginfo:read:", 0x1000);
  ASSERT_EQ(siginfo.size(), sizeof(siginfo_t));
  siginfo_t info;
  std::memcpy(&info, siginfo.data(), sizeof(info));
  EXPECT_EQ(info.si_signo, SIGTRAP);
  std::string threads = read_xfer("threads:read:", 0x1000);
  EXPECT_NE(threads.find("<thread id=\"65\"/>"), std::string::npos);
  EXPECT_NE(threads.find("<thread id=\"66\"/>"), std::string::npos);
  EXPECT_EQ(request("qXfer:auxv:read:x:0,10"), "E01");
}

TEST_F(Handlers, MonitorCommandOutputComesAsConsolePackets) {
  harness->send_packet("qRcmd," + hex_encode("when"));
  EXPECT_EQ(harness->read_packet(), "O" + hex_encode("Current event: 42\n"));
  EXPECT_EQ(harness->read_packet(), "OK");
  harness->send_packet("qRcmd," + hex_encode("bogus"));
  EXPECT_EQ(harness->read_packet(), "O" + hex_encode("unknown monitor command: bogus\n"));
  EXPECT_EQ(harness->read_packet(), "E01");
  EXPECT_EQ(request("qRcmd,zz"), "E01");
}

TEST_F(Handlers, HostIoServesTargetFiles) {
  EXPECT_EQ(request("vFile:setfs:0"), "F0");
  EXPECT_EQ(request("vFile:open:" + hex_encode("/nope") + ",0,0"), "F-1,2");
  EXPECT_EQ(request("vFile:open:" + hex_encode("/bin/fake") + ",1,1c0"), "F-1,d");
  EXPECT_EQ(request("vFile:open:" + hex_encode("/bin/fake") + ",0,0"), "F1");
  EXPECT_EQ(request("vFile:open:" + hex_encode("/bin/fake") + ",0,0"), "F2");
  std::string r = request("vFile:pread:1,100,0");
  ASSERT_TRUE(r.starts_with("Fc;")) << r;
  EXPECT_EQ(unescape_binary(std::string_view(r).substr(3)), target.files["/bin/fake"]);
  r = request("vFile:pread:1,3,4");
  EXPECT_EQ(unescape_binary(std::string_view(r).substr(3)), "#$}");
  EXPECT_EQ(request("vFile:pread:1,10,100"), "F0;");
  r = request("vFile:fstat:1");
  ASSERT_TRUE(r.starts_with("F40;")) << r;
  std::string stat = *unescape_binary(std::string_view(r).substr(4));
  ASSERT_EQ(stat.size(), 64u);
  EXPECT_EQ(static_cast<unsigned char>(stat[35]), 12);  // st_size, big-endian, low byte
  EXPECT_EQ(request("vFile:pwrite:1,0," + escape_binary("}x")), "F-1,9");
  EXPECT_EQ(request("vFile:close:1"), "F0");
  EXPECT_EQ(request("vFile:close:1"), "F-1,9");
  EXPECT_EQ(request("vFile:pread:1,10,0"), "F-1,9");
  EXPECT_EQ(request("vFile:fstat:9"), "F-1,9");
  EXPECT_EQ(request("vFile:readlink:" + hex_encode("/bin/fake")), "F-1,16");
  EXPECT_EQ(request("vFile:readlink:" + hex_encode("/nope")), "F-1,2");
  EXPECT_EQ(request("vFile:open:zz,0,0"), "F-1,16");
  EXPECT_EQ(request("vFile:pread:1"), "F-1,16");
}

TEST_F(Handlers, HostIoRefusesTooManyOpenFiles) {
  std::string open = "vFile:open:" + hex_encode("/bin/fake") + ",0,0";
  for (std::size_t i = 0; i < FileTable::kMaxOpen; ++i) ASSERT_EQ(request(open)[0], 'F');
  EXPECT_EQ(request(open), "F-1,18");
}

TEST_F(Handlers, DetachEndsTheSession) {
  EXPECT_EQ(request("D"), "OK");
  EXPECT_EQ(harness->wait_end(), SessionEnd::kDetached);
}

TEST_F(Handlers, KillEndsTheSessionWithoutReply) {
  harness->send_packet("k");
  EXPECT_EQ(harness->wait_end(), SessionEnd::kKilled);
}

TEST_F(Handlers, VKillEndsTheSession) {
  EXPECT_EQ(request("vKill;64"), "OK");
  EXPECT_EQ(harness->wait_end(), SessionEnd::kKilled);
}

TEST_F(Handlers, ExtendedModeSurvivesKillAndRestartsOnRun) {
  EXPECT_EQ(request("!"), "OK");
  EXPECT_EQ(request("vFile:open:" + hex_encode("/bin/fake") + ",0,0"), "F1");
  harness->send_packet("k");
  EXPECT_EQ(request("vKill;64"), "OK");
  EXPECT_EQ(request("vRun;" + hex_encode("/bin/fake")), "T05thread:65;");
  EXPECT_EQ(target.restarts, 1);
  EXPECT_EQ(request("vFile:pread:1,4,0"), "F4;\x7f" "ELF");  // gdb keeps files open across run
  EXPECT_FALSE(harness->wait_end(std::chrono::milliseconds(50)));
}

TEST_F(Handlers, DisconnectEndsTheSession) {
  harness->close_client();
  EXPECT_EQ(harness->wait_end(), SessionEnd::kDisconnected);
}

TEST_F(Handlers, CtrlCInterruptsARunningTarget) {
  harness->start_no_ack_mode();
  target.resume_until_interrupted();
  harness->send_packet("vCont;c:65");
  EXPECT_FALSE(harness->read_packet(std::chrono::milliseconds(100)));  // still running
  harness->send_raw("\x03");
  EXPECT_EQ(harness->read_packet(), "T02thread:65;");
  // The server still answers afterwards.
  EXPECT_EQ(request("qC"), "QC65");
}

TEST_F(Handlers, CtrlCRightBehindTheResumePacketCounts) {
  target.resume_until_interrupted();
  harness->send_raw(frame("vCont;c") + "\x03");
  EXPECT_EQ(harness->read_byte(), '+');
  EXPECT_EQ(harness->read_packet(), "T02thread:65;");
}

TEST_F(Handlers, CtrlCWhileStoppedIsIgnored) {
  harness->send_raw("\x03\x03");
  EXPECT_EQ(request("qC"), "QC65");
  EXPECT_TRUE(target.resumes.empty());
}

TEST_F(Handlers, DisconnectWhileRunningStopsTheTarget) {
  target.resume_until_interrupted();
  harness->send_packet("vCont;c");
  harness->close_client();
  EXPECT_EQ(harness->wait_end(), SessionEnd::kDisconnected);
}

TEST_F(Handlers, BadChecksumIsNackedAndTheResendAnswered) {
  harness->send_raw("$qC#00");
  EXPECT_EQ(harness->read_byte(), '-');
  harness->acks = true;
  EXPECT_EQ(request("qC"), "QC65");
}

TEST_F(Handlers, ServerResendsAReplyGdbNacked) {
  harness->send_raw(frame("qC"));
  EXPECT_EQ(harness->read_byte(), '+');
  harness->acks = false;  // answer by hand
  EXPECT_EQ(harness->read_packet(), "QC65");
  harness->send_raw("-");
  EXPECT_EQ(harness->read_packet(), "QC65");
  harness->send_raw("+");
  harness->acks = true;
  EXPECT_EQ(request("qAttached"), "1");
}

TEST_F(Handlers, OversizedPacketIsRefusedAndTheServerGoesOn) {
  harness->start_no_ack_mode();
  EXPECT_EQ(request("X1000,1:" + std::string(100000, 'a')), "E01");
  EXPECT_EQ(request("qC"), "QC65");
}

TEST_F(Handlers, NoiseBetweenPacketsIsIgnored) {
  harness->start_no_ack_mode();
  harness->send_raw("garbage#00+-\n");
  EXPECT_EQ(request("qC"), "QC65");
}

}  // namespace
}  // namespace rrtr::gdb::testing
