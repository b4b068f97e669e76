#include "gdb/gdb_server.h"

#include "gdb/connection.h"
#include "gdb/session.h"

namespace rrtr::gdb {

GdbServer::GdbServer(DebugTarget& target) : target_(target), handlers_(default_handler_table()) {}

SessionEnd GdbServer::serve(int connected_fd) {
  Connection connection(connected_fd, kMaxIncomingPayload);
  Session session(target_, connection);
  while (true) {
    Connection::Incoming incoming = connection.receive();
    if (incoming.kind == Connection::Incoming::Kind::kClosed) return SessionEnd::kDisconnected;

    Outcome outcome;
    if (incoming.kind == Connection::Incoming::Kind::kOversized) {
      if (log_) log_(PacketDirection::kFromGdb, "<oversized packet dropped>");
      outcome = error(kErrMalformed);
    } else {
      if (log_) log_(PacketDirection::kFromGdb, incoming.payload);
      PacketParts parts = split_packet(incoming.payload);
      Handler handler = handlers_.find(parts.name);
      outcome = handler ? handler(session, parts.args) : unsupported();
    }

    if (outcome.reply) {
      if (log_) log_(PacketDirection::kToGdb, *outcome.reply);
      if (!connection.send(*outcome.reply)) return SessionEnd::kDisconnected;
    }
    if (outcome.disable_acks) connection.disable_acks();
    if (outcome.end) return *outcome.end;
    if (connection.closed()) return SessionEnd::kDisconnected;
  }
}

}  // namespace rrtr::gdb
