// Real gdb against the server: gdb fetches the program through qXfer:exec-file and
// vFile (it is given no file), reads registers and memory, stops at a breakpoint, hits
// a watchpoint, runs backwards to the start of history, and kills the session.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <regex>

#include "common/error.h"
#include "elf_program_target.h"
#include "gdb/gdb_server.h"
#include "gdb/listener.h"

namespace rrtr::gdb::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kReportedPath = "/fake-root/smoke_program";

std::string run_command(const std::string& command) {
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return "<popen failed>";
  std::array<char, 4096> buf;
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), pipe)) output.append(buf.data(), n);
  ::pclose(pipe);
  return output;
}

std::string gdb_batch(std::uint16_t port, const std::vector<std::string>& commands,
                      std::string_view target = "remote") {
  std::string command =
      fmt::format("timeout 25 {} -batch -nx -ex 'target {} 127.0.0.1:{}'", GDB_EXECUTABLE, target, port);
  for (const auto& c : commands) command += fmt::format(" -ex '{}'", c);
  return run_command(command + " 2>&1 </dev/null");
}

struct Served {
  ElfProgramTarget target{GDB_SMOKE_PROGRAM, kReportedPath, {"_start", "step_one", "step_two"}};
  GdbListener listener = GdbListener::listen_on_loopback(0);
  GdbServer server{target};
  std::future<SessionEnd> end = std::async(std::launch::async, [this] {
    // RRTR_GDB_TRACE=1 shows the packets, to debug a failing session.
    if (std::getenv("RRTR_GDB_TRACE") != nullptr) {
      server.set_packet_log([](PacketDirection dir, std::string_view payload) {
        fmt::print(stderr, "{} {}\n", dir == PacketDirection::kFromGdb ? "<-" : "->", payload.substr(0, 200));
      });
    }
    UniqueFd conn = listener.accept();
    return server.serve(conn.get());
  });
};

bool gdb_available() { return ::access(GDB_EXECUTABLE, X_OK) == 0; }

TEST(GdbSmoke, FullSession) {
  if (!gdb_available()) GTEST_SKIP() << "no gdb";
  Served s;
  std::string out = gdb_batch(s.listener.port(), {
      "info registers rip",
      "x/4xb $pc",
      "break step_two",
      "continue",
      "p $pc",
      "info threads",
      "monitor when",
      "watch *(int*)&counter",
      "continue",
      "delete",
      "reverse-continue",
      "p $pc",
      "kill",
  });
  SCOPED_TRACE(out);
  ASSERT_EQ(s.end.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(s.end.get(), SessionEnd::kKilled);

  // The symbol names prove gdb read the ELF, which it could only get through vFile.
  EXPECT_FALSE(s.target.files_served.empty());
  EXPECT_TRUE(std::regex_search(out, std::regex(fmt::format(R"(rip\s+0x{:x}\s+0x{:x} <_start>)", s.target.entry(),
                                                            s.target.entry()))));
  std::string entry_bytes = s.target.read_memory(RemotePtr(s.target.entry()), 4);
  EXPECT_TRUE(std::regex_search(
      out, std::regex(fmt::format(R"(<_start>:\s+0x{:02x}\s+0x{:02x}\s+0x{:02x}\s+0x{:02x})",
                                  static_cast<unsigned char>(entry_bytes[0]), static_cast<unsigned char>(entry_bytes[1]),
                                  static_cast<unsigned char>(entry_bytes[2]), static_cast<unsigned char>(entry_bytes[3])))));
  EXPECT_TRUE(std::regex_search(out, std::regex(R"(Breakpoint 1, .*step_two)")));
  EXPECT_TRUE(std::regex_search(out, std::regex(R"(\$1 = .* <step_two\+\d+>)")));
  EXPECT_TRUE(std::regex_search(out, std::regex(R"(\* 1\s+Thread 4242)")));
  EXPECT_NE(out.find("Current event: 42"), std::string::npos);
  EXPECT_NE(out.find("Hardware watchpoint 2: *(int*)&counter"), std::string::npos);
  EXPECT_TRUE(std::regex_search(out, std::regex(R"(Old value = 0\s+New value = 1)")));
  EXPECT_NE(out.find("No more reverse-execution history."), std::string::npos);
  EXPECT_TRUE(std::regex_search(out, std::regex(R"(\$2 = .* <_start(\+\d+)?>)")));
  EXPECT_NE(out.find("[Inferior 1 (Remote target) killed]"), std::string::npos);

  bool watch_inserted = false;
  for (auto [type, addr] : s.target.inserted) watch_inserted |= type == BreakpointType::kWriteWatch;
  EXPECT_TRUE(watch_inserted);
  EXPECT_GE(s.target.reverse_resumes, 1);
}

TEST(GdbSmoke, ExtendedRemoteRunRestarts) {
  if (!gdb_available()) GTEST_SKIP() << "no gdb";
  Served s;
  std::string out = gdb_batch(s.listener.port(),
                              {"break step_one", "continue", "run", "p $pc", "info threads", "detach"},
                              "extended-remote");
  SCOPED_TRACE(out);
  ASSERT_EQ(s.end.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(s.end.get(), SessionEnd::kDetached);
  EXPECT_EQ(s.target.restarts, 1);
  // `run` restarts (vRun), then continues to the breakpoint again.
  std::regex hit(R"(Breakpoint 1, .*step_one)");
  auto hits = std::distance(std::sregex_iterator(out.begin(), out.end(), hit), std::sregex_iterator());
  EXPECT_EQ(hits, 2);
  EXPECT_TRUE(std::regex_search(out, std::regex(R"(\$1 = .* <step_one\+\d+>)")));
}

TEST(GdbSmoke, DetachOnQuit) {
  if (!gdb_available()) GTEST_SKIP() << "no gdb";
  Served s;
  std::string out = gdb_batch(s.listener.port(), {"info threads", "detach"});
  SCOPED_TRACE(out);
  ASSERT_EQ(s.end.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(s.end.get(), SessionEnd::kDetached);
}

TEST(GdbSmoke, UnknownMonitorCommandIsAnError) {
  if (!gdb_available()) GTEST_SKIP() << "no gdb";
  Served s;
  std::string out = gdb_batch(s.listener.port(), {"monitor frobnicate", "kill"});
  SCOPED_TRACE(out);
  EXPECT_NE(out.find("unknown monitor command: frobnicate"), std::string::npos);
  ASSERT_EQ(s.end.wait_for(10s), std::future_status::ready);
}

TEST(GdbListener, PortInUseIsAOneLineError) {
  GdbListener first = GdbListener::listen_on_loopback(0);
  try {
    GdbListener::listen_on_loopback(first.port());
    FAIL() << "second listen succeeded";
  } catch (const Error& e) {
    std::string message = e.what();
    EXPECT_EQ(message, fmt::format("cannot listen on 127.0.0.1:{}: Address already in use", first.port()));
    EXPECT_EQ(message.find('\n'), std::string::npos);
  }
}

}  // namespace
}  // namespace rrtr::gdb::testing
