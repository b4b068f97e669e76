// Breakpoints and watchpoints: Z inserts, z removes; the type digit picks the kind.
#include "gdb/handlers/handlers.h"
#include "gdb/hex.h"
#include "gdb/session.h"

namespace rrtr::gdb {

namespace {

struct Breakpoint {
  BreakpointType type;
  RemotePtr addr;
  std::size_t kind;
};

// "type,addr,kind", possibly followed by ";conditions" gdb sends only to stubs that
// claim ConditionalBreakpoints, which we do not; they are ignored if present.
std::optional<Breakpoint> parse_breakpoint(std::string_view args) {
  args = args.substr(0, args.find(';'));
  auto fields = split(args, ',');
  if (fields.size() != 3) return std::nullopt;
  auto type = parse_hex_u64(fields[0]);
  auto addr = parse_hex_u64(fields[1]);
  auto kind = parse_hex_u64(fields[2]);
  if (!type || !addr || !kind || *type > 4) return std::nullopt;
  return Breakpoint{static_cast<BreakpointType>(*type), RemotePtr(*addr), static_cast<std::size_t>(*kind)};
}

Outcome insert(Session& session, std::string_view args) {
  auto bp = parse_breakpoint(args);
  if (!bp) return error(kErrMalformed);
  if (!session.target().insert_breakpoint(bp->type, bp->addr, bp->kind)) return error(kErrMalformed);
  session.breakpoints.insert({bp->type, bp->addr.value()});
  return ok();
}

Outcome remove(Session& session, std::string_view args) {
  auto bp = parse_breakpoint(args);
  if (!bp) return error(kErrMalformed);
  session.breakpoints.erase({bp->type, bp->addr.value()});
  if (!session.target().remove_breakpoint(bp->type, bp->addr, bp->kind)) return error(kErrMalformed);
  return ok();
}

}  // namespace

void register_breakpoint_handlers(HandlerTable& table) {
  table.add("Z", insert);
  table.add("z", remove);
}

}  // namespace rrtr::gdb
