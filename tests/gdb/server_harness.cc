#include "server_harness.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

#include "gdb/packet_framing.h"

namespace rrtr::gdb::testing {

ServerHarness::ServerHarness(DebugTarget& target) : server_object_(target) {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) throw std::runtime_error("socketpair");
  client_.reset(fds[0]);
  server_.reset(fds[1]);
  result_ = std::async(std::launch::async, [this] {
    SessionEnd end = server_object_.serve(server_.get());
    // Closing at once lets a client still writing see EPIPE instead of blocking.
    server_.reset();
    return end;
  });
}

ServerHarness::~ServerHarness() {
  client_.reset();
  if (result_.valid()) result_.wait();
}

bool ServerHarness::send_raw(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::send(client_.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

std::optional<char> ServerHarness::read_byte(std::chrono::milliseconds timeout) {
  if (!pending_.empty()) {
    char c = pending_.front();
    pending_.erase(0, 1);
    return c;
  }
  pollfd pfd{client_.get(), POLLIN, 0};
  if (::poll(&pfd, 1, static_cast<int>(timeout.count())) <= 0) return std::nullopt;
  char buf[4096];
  ssize_t n = ::read(client_.get(), buf, sizeof(buf));
  if (n <= 0) return std::nullopt;
  pending_.append(buf + 1, static_cast<std::size_t>(n - 1));
  return buf[0];
}

void ServerHarness::send_packet(std::string_view payload) {
  send_raw(frame(payload));
  if (!acks) return;
  // The server acks before replying; anything else here is a test failure that the
  // following read will show.
  if (auto c = read_byte(); c && *c != '+') pending_.insert(pending_.begin(), *c);
}

std::optional<std::string> ServerHarness::read_packet(std::chrono::milliseconds timeout) {
  std::optional<char> c;
  do {
    c = read_byte(timeout);
    if (!c) return std::nullopt;
  } while (*c != '$');
  std::string payload;
  while (true) {
    c = read_byte(timeout);
    if (!c) return std::nullopt;
    if (*c == '#') break;
    payload.push_back(*c);
  }
  if (!read_byte(timeout) || !read_byte(timeout)) return std::nullopt;
  if (acks) send_raw("+");
  return payload;
}

std::string ServerHarness::request(std::string_view payload) {
  send_packet(payload);
  return read_packet().value_or("<none>");
}

void ServerHarness::start_no_ack_mode() {
  if (request("QStartNoAckMode") != "OK") throw std::runtime_error("QStartNoAckMode refused");
  acks = false;
}

std::optional<SessionEnd> ServerHarness::wait_end(std::chrono::milliseconds timeout) {
  if (result_.wait_for(timeout) != std::future_status::ready) return std::nullopt;
  return result_.get();
}

}  // namespace rrtr::gdb::testing
