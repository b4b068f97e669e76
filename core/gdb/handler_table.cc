#include "gdb/handler_table.h"

#include <fmt/format.h>

#include <stdexcept>

#include "gdb/handlers/handlers.h"

namespace rrtr::gdb {

Outcome reply(std::string payload) { return Outcome{std::move(payload), std::nullopt, false}; }
Outcome ok() { return reply("OK"); }
Outcome error(int code) { return reply(fmt::format("E{:02x}", code & 0xff)); }
Outcome unsupported() { return reply(""); }

namespace {

// Position just past the n-th `sep`, or npos.
std::size_t after_nth(std::string_view text, char sep, int n) {
  std::size_t at = 0;
  for (int i = 0; i < n; ++i) {
    at = text.find(sep, at);
    if (at == std::string_view::npos) return at;
    ++at;
  }
  return at;
}

PacketParts cut(std::string_view payload, std::size_t name_end, bool drop_separator) {
  if (name_end >= payload.size()) return {payload, {}};
  std::string_view args = payload.substr(name_end + (drop_separator ? 1 : 0));
  return {payload.substr(0, name_end), args};
}

}  // namespace

PacketParts split_packet(std::string_view payload) {
  if (payload.empty()) return {};
  switch (payload[0]) {
    case 'q':
    case 'Q':
      if (payload.starts_with("qXfer:")) {
        std::size_t end = after_nth(payload, ':', 3);
        if (end == std::string_view::npos) return {payload, {}};
        return cut(payload, end - 1, true);
      }
      return cut(payload, payload.find_first_of(":,;"), true);
    case 'v':
      if (payload.starts_with("vFile:")) {
        std::size_t end = after_nth(payload, ':', 2);
        if (end == std::string_view::npos) return {payload, {}};
        return cut(payload, end - 1, true);
      }
      return cut(payload, payload.find_first_of(":;"), true);
    case 'b':
      if (payload.size() >= 2 && (payload[1] == 'c' || payload[1] == 's')) return cut(payload, 2, false);
      return cut(payload, 1, false);
    default: return cut(payload, 1, false);
  }
}

void HandlerTable::add(std::string_view name, Handler handler) {
  if (!handlers_.emplace(std::string(name), handler).second) {
    throw std::logic_error(fmt::format("gdb packet {} registered twice", name));
  }
}

Handler HandlerTable::find(std::string_view name) const {
  auto it = handlers_.find(name);
  return it == handlers_.end() ? nullptr : it->second;
}

HandlerTable default_handler_table() {
  HandlerTable table;
  register_connection_handlers(table);
  register_thread_handlers(table);
  register_register_handlers(table);
  register_memory_handlers(table);
  register_breakpoint_handlers(table);
  register_resume_handlers(table);
  register_xfer_handlers(table);
  register_host_io_handlers(table);
  register_monitor_handlers(table);
  return table;
}

}  // namespace rrtr::gdb
