// Runs a GdbServer on one end of a socketpair in a background thread and plays gdb on
// the other end, with timeouts everywhere so that a broken server fails a test instead
// of hanging it.
#pragma once

#include <chrono>
#include <future>
#include <optional>
#include <string>
#include <string_view>

#include "common/unique_fd.h"
#include "gdb/debug_target.h"
#include "gdb/gdb_server.h"

namespace rrtr::gdb::testing {

class ServerHarness {
 public:
  explicit ServerHarness(DebugTarget& target);
  ~ServerHarness();

  // Sends bytes as they are.
  bool send_raw(std::string_view bytes);
  // Sends a framed packet; in ack mode also consumes the server's ack ('+').
  void send_packet(std::string_view payload);
  // The next packet from the server (acked in ack mode); nullopt on timeout or EOF.
  std::optional<std::string> read_packet(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // The next single byte; nullopt on timeout or EOF.
  std::optional<char> read_byte(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // send_packet + read_packet; "<none>" when no reply came.
  std::string request(std::string_view payload);
  // Switches both sides to no-ack mode.
  void start_no_ack_mode();
  // Closes our end (gdb going away).
  void close_client() { client_.reset(); }
  // Waits for serve() to return.
  std::optional<SessionEnd> wait_end(std::chrono::milliseconds timeout = std::chrono::seconds(5));

  bool acks = true;

 private:
  UniqueFd client_;
  UniqueFd server_;
  GdbServer server_object_;
  std::future<SessionEnd> result_;
  std::string pending_;
};

}  // namespace rrtr::gdb::testing
