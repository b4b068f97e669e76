// The gdb remote serial protocol server: lets gdb debug a DebugTarget, including
// reverse execution, over a connected socket.
#pragma once

#include <functional>
#include <string_view>

#include "gdb/debug_target.h"
#include "gdb/handler_table.h"

namespace rrtr::gdb {

// Which way a logged packet went.
enum class PacketDirection : std::uint8_t { kFromGdb, kToGdb };

// Serves gdb for one target, one connection at a time.
class GdbServer {
 public:
  using PacketLog = std::function<void(PacketDirection, std::string_view payload)>;

  explicit GdbServer(DebugTarget& target);

  // Speaks the protocol on a connected stream socket until gdb detaches, kills the
  // program (outside extended mode) or disconnects. The descriptor stays open: the
  // caller closes it. Exceptions the target throws propagate. Not reentrant.
  SessionEnd serve(int connected_fd);

  // Sees every packet payload in and out, on the serving thread (for debugging).
  void set_packet_log(PacketLog log) { log_ = std::move(log); }

 private:
  DebugTarget& target_;
  HandlerTable handlers_;
  PacketLog log_;
};

}  // namespace rrtr::gdb
