// Where gdb connects: a TCP socket on the loopback interface. Replay state is not
// something to expose beyond the local machine.
#pragma once

#include <cstdint>

#include "common/unique_fd.h"

namespace rrtr::gdb {

// A listening socket on 127.0.0.1.
class GdbListener {
 public:
  // Port 0 lets the kernel pick a free port (see port()). Throws rrtr::Error with a
  // one-line message, e.g. "cannot listen on 127.0.0.1:1234: Address already in use".
  static GdbListener listen_on_loopback(std::uint16_t port);

  std::uint16_t port() const { return port_; }
  int fd() const { return fd_.get(); }
  // Blocks for the next connection; throws rrtr::Error when accepting fails.
  UniqueFd accept();

 private:
  GdbListener(UniqueFd fd, std::uint16_t port) : fd_(std::move(fd)), port_(port) {}

  UniqueFd fd_;
  std::uint16_t port_;
};

}  // namespace rrtr::gdb
