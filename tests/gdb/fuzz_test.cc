// Hostile input: random bytes, and real packets truncated, garbled and given random
// arguments. The server must neither crash nor hang: every case ends, within a time
// bound, once the client closes.
#include <gtest/gtest.h>

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <random>
#include <thread>

#include "common/unique_fd.h"
#include "fake_target.h"
#include "gdb/gdb_server.h"
#include "gdb/hex.h"
#include "gdb/packet_framing.h"

namespace rrtr::gdb::testing {
namespace {

using namespace std::chrono_literals;

constexpr int kRounds = 200;

// Sends `input` to a fresh server while draining its output, then a detach, and checks
// that serve() returned in time. Returns how many packets the server dispatched.
//
// The detach, not closing the socket, ends the session: EOF during a resume means gdb
// went away, so closing early would cut every case short at its first resume. "#00"
// first completes whatever packet the input left open, whatever the decoder's state
// (in a payload it needs '#' and two checksum characters); the final '+' acks the
// detach's reply in ack mode.
int run_case(const std::string& input, std::chrono::seconds bound = 10s) {
  FakeTarget target;
  target.map(0x1000, std::string(64, 'x'));
  target.files["/bin/fake"] = "contents";
  target.monitor_answers["when"] = "42\n";
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
    ADD_FAILURE() << "socketpair";
    return 0;
  }
  UniqueFd client(fds[0]);
  UniqueFd server_fd(fds[1]);
  GdbServer server(target);
  int dispatched = 0;
  server.set_packet_log([&](PacketDirection dir, std::string_view) { dispatched += dir == PacketDirection::kFromGdb; });
  auto result = std::async(std::launch::async, [&] {
    server.serve(server_fd.get());
    server_fd.reset();
  });
  std::thread drain([fd = client.get()] {
    char buf[4096];
    while (::read(fd, buf, sizeof(buf)) > 0) {
    }
  });
  std::string all = input + "#00" + frame("D") + "+";
  std::string_view rest = all;
  while (!rest.empty()) {
    ssize_t n = ::send(client.get(), rest.data(), std::min<std::size_t>(rest.size(), 4096), MSG_NOSIGNAL);
    if (n <= 0) break;  // the server ended the session (k, D...)
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
  bool finished = result.wait_for(bound) == std::future_status::ready;
  EXPECT_TRUE(finished) << "server did not finish; input " << hex_encode(input.substr(0, 200));
  if (!finished) {
    ::shutdown(client.get(), SHUT_WR);  // EOF for a server stuck reading or resuming
    result.wait();
  }
  ::shutdown(client.get(), SHUT_RDWR);
  drain.join();
  return dispatched;
}

const char* const kSeeds[] = {
    "qSupported:swbreak+;hwbreak+", "QStartNoAckMode", "?", "g", "G00112233", "p10", "P10=0011223344556677",
    "m1000,10", "M1000,2:abcd", "X1000,2:ab", "Z0,1000,1", "z0,1000,1", "Z2,1000,4", "vCont?", "vCont;c",
    "vCont;s:65;c", "c", "s", "C0b", "bc", "bs", "Hg65", "Hc-1", "T65", "qC", "qfThreadInfo", "qsThreadInfo",
    "qAttached", "qXfer:features:read:target.xml:0,fff", "qXfer:auxv:read::0,100",
    "qXfer:exec-file:read::0,100", "qXfer:siginfo:read::0,100", "qXfer:threads:read::0,100",
    "qRcmd,7768656e", "vFile:setfs:0", "vFile:open:2f62696e2f66616b65,0,0", "vFile:pread:1,10,0",
    "vFile:fstat:1", "vFile:close:1", "vFile:readlink:2f", "vFile:pwrite:1,0,ab", "vRun;", "!",
    "vMustReplyEmpty", "qTStatus",
};

const char kAlphabet[] = "0123456789abcdefxyz,;:=-+$#}*pPqQvVgGmMXZ\x03";

std::string mutate(std::string packet, std::mt19937& rng) {
  switch (rng() % 6) {
    case 0: packet.resize(rng() % (packet.size() + 1)); break;                  // truncate
    case 1: if (!packet.empty()) packet[rng() % packet.size()] = kAlphabet[rng() % (sizeof(kAlphabet) - 1)]; break;
    case 2: packet.insert(rng() % (packet.size() + 1), 1, kAlphabet[rng() % (sizeof(kAlphabet) - 1)]); break;
    case 3: packet += std::string(rng() % 40, kAlphabet[rng() % (sizeof(kAlphabet) - 1)]); break;
    case 4: packet.insert(rng() % (packet.size() + 1), std::string(rng() % 20, 'f')); break;
    default: break;
  }
  return packet;
}

// Packets gdb would never send but that are framed correctly, so they reach the
// handlers; in no-ack mode even a wrong checksum is processed.
TEST(Fuzz, GarbledPacketsReachHandlersSafely) {
  std::mt19937 rng(12345);
  int dispatched = 0;
  for (int round = 0; round < kRounds; ++round) {
    std::string input = frame("QStartNoAckMode") + "+";
    for (int i = 0; i < 60; ++i) {
      std::string payload = mutate(kSeeds[rng() % std::size(kSeeds)], rng);
      // k and D end a session at once; keep them rare so the rounds exercise more.
      if (payload == "k" || payload.starts_with("D") || payload.starts_with("vKill")) continue;
      input += rng() % 8 == 0 ? "$" + payload + "#00" : frame(payload);
    }
    dispatched += run_case(input);
  }
  // Most packets must have reached a handler, or this test checks nothing.
  EXPECT_GT(dispatched, kRounds * 50);
}

TEST(Fuzz, GarbledFramingInAckMode) {
  std::mt19937 rng(777);
  int dispatched = 0;
  for (int round = 0; round < kRounds; ++round) {
    std::string input;
    for (int i = 0; i < 40; ++i) {
      std::string framed = frame(kSeeds[rng() % std::size(kSeeds)]);
      input += mutate(framed, rng);
      if (rng() % 3 == 0) input += "+";
      if (rng() % 5 == 0) input += "-";
    }
    dispatched += run_case(input);
  }
  EXPECT_GT(dispatched, kRounds * 10);
}

TEST(Fuzz, RandomBytes) {
  std::mt19937 rng(4242);
  for (int round = 0; round < kRounds; ++round) {
    std::string input(rng() % 20000, '\0');
    for (char& c : input) c = static_cast<char>(rng());
    run_case(input);
  }
}

TEST(Fuzz, RandomBytesMostlyFramingCharacters) {
  std::mt19937 rng(99);
  for (int round = 0; round < kRounds; ++round) {
    std::string input(rng() % 5000, '\0');
    for (char& c : input) c = kAlphabet[rng() % (sizeof(kAlphabet) - 1)];
    run_case(input);
  }
}

TEST(Fuzz, EndlessPacketWithoutTerminator) {
  run_case("$" + std::string(1 << 20, 'a'));
}

}  // namespace
}  // namespace rrtr::gdb::testing
