// One gdb connection at the byte level: framing, acknowledgements (until no-ack mode),
// retransmission, and watching for Ctrl-C while the target runs. It knows nothing of
// what packets mean.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "common/unique_fd.h"
#include "gdb/packet_framing.h"

namespace rrtr::gdb {

// A connected stream (socket, or a pipe pair in tests) to gdb. The descriptor is
// borrowed: the caller closes it.
class Connection {
 public:
  // What receive() got.
  struct Incoming {
    enum class Kind : std::uint8_t {
      kPacket,     // `payload` holds it
      kOversized,  // longer than the limit; dropped, and the sender deserves an error
      kClosed,     // gdb went away
    };
    Kind kind = Kind::kClosed;
    std::string payload;
  };

  // Watches the connection for Ctrl-C while it lives (see watch_for_interrupts).
  class InterruptWatch {
   public:
    InterruptWatch(const InterruptWatch&) = delete;
    InterruptWatch& operator=(const InterruptWatch&) = delete;
    ~InterruptWatch();

   private:
    friend class Connection;
    InterruptWatch(Connection& connection, std::function<void()> on_interrupt);
    void run(bool interrupt_already_pending);

    Connection& connection_;
    std::function<void()> on_interrupt_;
    UniqueFd stop_;     // eventfd that ends the watch
    std::string held_;  // bytes that were not interrupts, handed back to the connection
    bool peer_closed_ = false;
    std::thread thread_;
  };

  Connection(int fd, std::size_t max_payload);

  // Blocks for the next packet from gdb. Acks it (in ack mode), asks for a resend of a
  // packet with a bad checksum, and drops acks and interrupts that arrive while the
  // target is stopped.
  Incoming receive();
  // Frames and sends one packet; in ack mode waits for gdb's '+' and resends on '-'.
  // False once gdb has gone away.
  bool send(std::string_view payload);
  void disable_acks() { acks_ = false; }
  bool acks_enabled() const { return acks_; }
  bool closed() const { return closed_; }

  // Until the returned watch is destroyed, a background thread reads the connection and
  // calls `on_interrupt` for every Ctrl-C byte (and once when gdb disconnects, so that
  // a running target is stopped either way). Meanwhile nothing else may use the
  // connection; bytes other than Ctrl-C are kept for the next receive().
  [[nodiscard]] std::unique_ptr<InterruptWatch> watch_for_interrupts(std::function<void()> on_interrupt);

 private:
  enum class AckResult : std::uint8_t { kAck, kNack, kClosed };

  bool fill();
  bool write_all(std::string_view bytes);
  AckResult await_ack();

  int fd_;
  bool is_socket_;
  FrameDecoder decoder_;
  bool acks_ = true;
  bool closed_ = false;
  std::string in_;  // bytes read but not consumed, from in_pos_ on
  std::size_t in_pos_ = 0;
};

}  // namespace rrtr::gdb
