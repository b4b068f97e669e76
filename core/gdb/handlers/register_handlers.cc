// Register access; the byte layout is the register table's.
#include "gdb/handlers/handlers.h"
#include "gdb/hex.h"
#include "gdb/register_table.h"
#include "gdb/session.h"

namespace rrtr::gdb {

namespace {

Outcome read_all(Session& session, std::string_view) {
  RegisterSnapshot regs = session.target().read_registers(session.current_thread());
  return reply(hex_encode(read_all_registers(regs)));
}

Outcome write_all(Session& session, std::string_view args) {
  auto bytes = hex_decode(args);
  if (!bytes) return error(kErrMalformed);
  Tid tid = session.current_thread();
  RegisterSnapshot regs = session.target().read_registers(tid);
  if (!write_all_registers(regs, *bytes)) return error(kErrMalformed);
  session.target().write_registers(tid, regs);
  return ok();
}

Outcome read_one(Session& session, std::string_view args) {
  auto regno = parse_hex_u64(args);
  if (!regno) return error(kErrMalformed);
  RegisterSnapshot regs = session.target().read_registers(session.current_thread());
  auto value = read_register(regs, *regno);
  if (!value) return error(kErrMalformed);
  return reply(hex_encode(*value));
}

Outcome write_one(Session& session, std::string_view args) {
  auto parts = split_once(args, '=');
  if (!parts) return error(kErrMalformed);
  auto regno = parse_hex_u64(parts->first);
  auto value = hex_decode(parts->second);
  if (!regno || !value) return error(kErrMalformed);
  Tid tid = session.current_thread();
  RegisterSnapshot regs = session.target().read_registers(tid);
  if (!write_register(regs, *regno, *value)) return error(kErrMalformed);
  session.target().write_registers(tid, regs);
  return ok();
}

}  // namespace

void register_register_handlers(HandlerTable& table) {
  table.add("g", read_all);
  table.add("G", write_all);
  table.add("p", read_one);
  table.add("P", write_one);
}

}  // namespace rrtr::gdb
