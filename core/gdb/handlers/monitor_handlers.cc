// `monitor CMD` arrives as qRcmd,<hex CMD>; output goes back as console packets
// before the final OK.
#include <fmt/format.h>

#include "gdb/handlers/handlers.h"
#include "gdb/hex.h"
#include "gdb/session.h"

namespace rrtr::gdb {

namespace {

Outcome remote_command(Session& session, std::string_view args) {
  auto command = hex_decode(args);
  if (!command) return error(kErrMalformed);
  auto output = session.target().monitor(*command);
  if (!output) {
    // gdb reports an error reply only as "Protocol error with Rcmd"; the console line
    // says what was wrong.
    session.send_console_output(fmt::format("unknown monitor command: {}\n", *command));
    return error(kErrMalformed);
  }
  if (!session.send_console_output(*output)) return Outcome{std::nullopt, SessionEnd::kDisconnected, false};
  return ok();
}

}  // namespace

void register_monitor_handlers(HandlerTable& table) { table.add("qRcmd", remote_command); }

}  // namespace rrtr::gdb
