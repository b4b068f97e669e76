#include "gdb/listener.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "common/error.h"

namespace rrtr::gdb {

namespace {

[[noreturn]] void fail_listen(std::uint16_t port, int err) {
  fail(ExitCode::kUsage, "cannot listen on 127.0.0.1:{}: {}", port, std::strerror(err));
}

}  // namespace

GdbListener GdbListener::listen_on_loopback(std::uint16_t port) {
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) fail_listen(port, errno);
  // A server restarted right after a session must not trip over the old socket's
  // TIME_WAIT; a port another process listens on is still refused.
  int one = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) fail_listen(port, errno);
  if (::listen(fd.get(), 1) != 0) fail_listen(port, errno);
  socklen_t len = sizeof(addr);
  if (::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&addr), &len) != 0) fail_listen(port, errno);
  return GdbListener(std::move(fd), ntohs(addr.sin_port));
}

UniqueFd GdbListener::accept() {
  while (true) {
    int conn = ::accept4(fd_.get(), nullptr, nullptr, SOCK_CLOEXEC);
    if (conn >= 0) {
      // Packets are small and strictly request/response: Nagle's algorithm would only
      // add a delay to every exchange.
      int one = 1;
      ::setsockopt(conn, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
      return UniqueFd(conn);
    }
    if (errno == EINTR || errno == ECONNABORTED) continue;
    fail(ExitCode::kInternal, "cannot accept a gdb connection on 127.0.0.1:{}: {}", port_, std::strerror(errno));
  }
}

}  // namespace rrtr::gdb
