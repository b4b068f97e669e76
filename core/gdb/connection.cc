#include "gdb/connection.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

#include "common/error.h"

namespace rrtr::gdb {

namespace {

// gdb resends a packet we nacked; a peer that answers every packet of ours with '-'
// is broken, and we stop resending instead of looping with it forever.
constexpr int kMaxResends = 8;

bool fd_is_socket(int fd) {
  int type = 0;
  socklen_t len = sizeof(type);
  return ::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0;
}

}  // namespace

Connection::Connection(int fd, std::size_t max_payload)
    : fd_(fd), is_socket_(fd_is_socket(fd)), decoder_(max_payload) {}

bool Connection::fill() {
  if (closed_) return false;
  if (in_pos_ == in_.size()) {
    in_.clear();
    in_pos_ = 0;
  }
  char buf[16384];
  while (true) {
    ssize_t n = ::read(fd_, buf, sizeof(buf));
    if (n > 0) {
      in_.append(buf, static_cast<std::size_t>(n));
      return true;
    }
    if (n < 0 && errno == EINTR) continue;
    closed_ = true;
    return false;
  }
}

bool Connection::write_all(std::string_view bytes) {
  if (closed_) return false;
  while (!bytes.empty()) {
    // MSG_NOSIGNAL: a gdb that quit must end the session, not the whole process.
    ssize_t n = is_socket_ ? ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL)
                           : ::write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      closed_ = true;
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

Connection::Incoming Connection::receive() {
  while (true) {
    if (in_pos_ == in_.size() && !fill()) return {};
    auto event = decoder_.feed(in_[in_pos_++]);
    if (!event || event->kind != FrameDecoder::Event::Kind::kPacket) continue;
    if (acks_) {
      if (!event->checksum_ok) {
        if (!write_all("-")) return {};
        continue;
      }
      if (!write_all("+")) return {};
    }
    // Without acks the manual lets the receiver ignore the checksum: gdb has stopped
    // checking ours, and a resend can no longer be asked for.
    if (event->oversized) return {Incoming::Kind::kOversized, {}};
    return {Incoming::Kind::kPacket, std::move(event->payload)};
  }
}

Connection::AckResult Connection::await_ack() {
  while (true) {
    if (in_pos_ == in_.size() && !fill()) return AckResult::kClosed;
    char c = in_[in_pos_];
    if (c == '$') return AckResult::kAck;  // gdb went on to its next packet: it got ours
    ++in_pos_;
    if (c == '+') return AckResult::kAck;
    if (c == '-') return AckResult::kNack;
    // Anything else (a late Ctrl-C, noise) is not an answer to this packet.
  }
}

bool Connection::send(std::string_view payload) {
  std::string framed = frame(payload);
  for (int attempt = 0;; ++attempt) {
    if (!write_all(framed)) return false;
    if (!acks_) return true;
    switch (await_ack()) {
      case AckResult::kAck: return true;
      case AckResult::kClosed: return false;
      case AckResult::kNack:
        if (attempt >= kMaxResends) return true;
        break;
    }
  }
}

std::unique_ptr<Connection::InterruptWatch> Connection::watch_for_interrupts(
    std::function<void()> on_interrupt) {
  return std::unique_ptr<InterruptWatch>(new InterruptWatch(*this, std::move(on_interrupt)));
}

Connection::InterruptWatch::InterruptWatch(Connection& connection, std::function<void()> on_interrupt)
    : connection_(connection), on_interrupt_(std::move(on_interrupt)) {
  // gdb may have sent Ctrl-C right behind the resume packet, in the same read: those
  // bytes are already buffered and must count too.
  bool pending = false;
  if (connection_.decoder_.idle()) {
    std::string rest;
    for (std::size_t i = connection_.in_pos_; i < connection_.in_.size(); ++i) {
      if (connection_.in_[i] == kInterruptByte) {
        pending = true;
      } else {
        rest.push_back(connection_.in_[i]);
      }
    }
    connection_.in_ = std::move(rest);
    connection_.in_pos_ = 0;
  }
  stop_.reset(::eventfd(0, EFD_CLOEXEC));
  if (!stop_.valid()) fail_errno("eventfd");
  thread_ = std::thread([this, pending] { run(pending); });
}

void Connection::InterruptWatch::run(bool interrupt_already_pending) {
  if (interrupt_already_pending) on_interrupt_();
  if (connection_.closed_) return;
  while (true) {
    pollfd fds[2] = {{connection_.fd_, POLLIN, 0}, {stop_.get(), POLLIN, 0}};
    int n = ::poll(fds, 2, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents != 0) return;
    if (fds[0].revents == 0) continue;
    char buf[4096];
    ssize_t got = ::read(connection_.fd_, buf, sizeof(buf));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      peer_closed_ = true;
      on_interrupt_();
      return;
    }
    for (ssize_t i = 0; i < got; ++i) {
      if (buf[i] == kInterruptByte) {
        on_interrupt_();
      } else {
        held_.push_back(buf[i]);
      }
    }
  }
}

Connection::InterruptWatch::~InterruptWatch() {
  std::uint64_t one = 1;
  while (::write(stop_.get(), &one, sizeof(one)) < 0 && errno == EINTR) {
  }
  thread_.join();
  connection_.in_.append(held_);
  if (peer_closed_) connection_.closed_ = true;
}

}  // namespace rrtr::gdb
