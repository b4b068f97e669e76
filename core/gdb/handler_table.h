// Packets are dispatched by name through one table: each packet has exactly one
// handler, registered by the file that implements it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace rrtr::gdb {

class Session;

// Why serving a connection ended.
enum class SessionEnd : std::uint8_t {
  kDetached,      // gdb detached (D)
  kKilled,        // gdb killed the program (k, vKill) outside extended mode
  kDisconnected,  // the connection closed or failed
};

// What the server does after a handler ran.
struct Outcome {
  std::optional<std::string> reply;  // nullopt: the packet takes no reply (k)
  std::optional<SessionEnd> end;     // serve() returns after sending the reply
  bool disable_acks = false;         // leave ack mode once the reply is acknowledged
};

Outcome reply(std::string payload);
Outcome ok();
// `Enn`: 01 for malformed arguments, 14 (EFAULT) for memory that is not there.
Outcome error(int code);
// The empty reply, which tells gdb the packet is not supported.
Outcome unsupported();

constexpr int kErrMalformed = 0x01;
constexpr int kErrNoMemory = 0x14;

using Handler = Outcome (*)(Session& session, std::string_view args);

// A packet split into its name and arguments. Names follow the manual: one letter for
// the classic packets (`m`, `Z`, `H`...), two for `bc`/`bs`, up to the first of `:,;`
// for `q`/`Q`/`v` packets, up to the second colon for `vFile:op`, and up to the third
// for `qXfer:object:read`. One separator after a multi-letter name is dropped.
struct PacketParts {
  std::string_view name;
  std::string_view args;
};
PacketParts split_packet(std::string_view payload);

// Handlers by packet name.
class HandlerTable {
 public:
  // Registering a name twice is a bug; it throws.
  void add(std::string_view name, Handler handler);
  // nullptr for a packet nobody handles.
  Handler find(std::string_view name) const;
  std::size_t size() const { return handlers_.size(); }

 private:
  std::map<std::string, Handler, std::less<>> handlers_;
};

// Every packet the server answers.
HandlerTable default_handler_table();

}  // namespace rrtr::gdb
