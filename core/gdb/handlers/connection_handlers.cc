// Packets about the connection and the session as a whole.
#include <fmt/format.h>

#include "gdb/handlers/handlers.h"
#include "gdb/hex.h"
#include "gdb/session.h"

namespace rrtr::gdb {

namespace {

Outcome q_supported(Session& session, std::string_view args) {
  for (std::string_view feature : split(args, ';')) {
    if (feature == "swbreak+") session.gdb_reports_swbreak = true;
    if (feature == "hwbreak+") session.gdb_reports_hwbreak = true;
  }
  return reply(fmt::format(
      "PacketSize={:x};QStartNoAckMode+;qXfer:features:read+;qXfer:auxv:read+;"
      "qXfer:exec-file:read+;qXfer:siginfo:read+;qXfer:threads:read+;swbreak+;hwbreak+;"
      "vContSupported+;ReverseContinue+;ReverseStep+;multiprocess-",
      kPacketSize));
}

Outcome start_no_ack_mode(Session&, std::string_view) {
  Outcome out = ok();
  out.disable_acks = true;
  return out;
}

Outcome enable_extended_mode(Session& session, std::string_view) {
  session.extended_mode = true;
  return ok();
}

Outcome halt_reason(Session& session, std::string_view) {
  return reply(session.stop_reply(session.target().last_stop(), session.last_direction));
}

// Every thread is one we were attached to: on quit, gdb should detach, not kill.
Outcome query_attached(Session&, std::string_view) { return reply("1"); }

// `k` has no reply. Outside extended mode gdb drops the connection next; in it, gdb
// expects us to stay for `run`.
Outcome kill(Session& session, std::string_view) {
  Outcome out{};
  if (!session.extended_mode) out.end = SessionEnd::kKilled;
  return out;
}

Outcome v_kill(Session& session, std::string_view) {
  Outcome out = ok();
  if (!session.extended_mode) out.end = SessionEnd::kKilled;
  return out;
}

Outcome detach(Session&, std::string_view) {
  Outcome out = ok();
  out.end = SessionEnd::kDetached;
  return out;
}

// `run`: the program and its arguments are fixed by the recording, so the arguments
// gdb sends are ignored and the target just goes back to its start. Open vFile
// descriptors stay valid: gdb keeps the executable open and reads its debug info
// lazily. gdb considers its breakpoints removed by the kill that precedes `run`.
Outcome v_run(Session& session, std::string_view) {
  session.target().restart();
  session.breakpoints.clear();
  session.general_thread = {ThreadSelector::Kind::kAny, {}};
  session.last_direction = Direction::kForward;
  return reply(session.stop_reply(session.target().last_stop(), Direction::kForward));
}

}  // namespace

void register_connection_handlers(HandlerTable& table) {
  table.add("qSupported", q_supported);
  table.add("QStartNoAckMode", start_no_ack_mode);
  table.add("!", enable_extended_mode);
  table.add("?", halt_reason);
  table.add("qAttached", query_attached);
  table.add("k", kill);
  table.add("vKill", v_kill);
  table.add("D", detach);
  table.add("vRun", v_run);
}

}  // namespace rrtr::gdb
