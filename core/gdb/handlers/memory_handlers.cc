// Memory access.
#include <algorithm>

#include "gdb/handlers/handlers.h"
#include "gdb/hex.h"
#include "gdb/packet_framing.h"
#include "gdb/session.h"

namespace rrtr::gdb {

namespace {

struct Range {
  RemotePtr addr;
  std::uint64_t length = 0;
};

// "addr,length"
std::optional<Range> parse_range(std::string_view text) {
  auto parts = split_once(text, ',');
  if (!parts) return std::nullopt;
  auto addr = parse_hex_u64(parts->first);
  auto length = parse_hex_u64(parts->second);
  if (!addr || !length) return std::nullopt;
  return Range{RemotePtr(*addr), *length};
}

// A read may come back short; the manual lets the reply be the readable prefix, and
// only a read of nothing is an error.
Outcome read_memory(Session& session, std::string_view args) {
  auto range = parse_range(args);
  if (!range || range->length == 0) return error(kErrMalformed);
  std::size_t length = std::min<std::uint64_t>(range->length, kMaxReplyData);
  std::string bytes = session.target().read_memory(range->addr, length);
  if (bytes.empty()) return error(kErrNoMemory);
  if (bytes.size() > length) bytes.resize(length);
  return reply(hex_encode(bytes));
}

Outcome write(Session& session, const Range& range, const std::optional<std::string>& bytes) {
  if (!bytes || bytes->size() != range.length) return error(kErrMalformed);
  // A zero-length X is gdb probing whether X works at all.
  if (bytes->empty()) return ok();
  return session.target().write_memory(range.addr, *bytes) ? ok() : error(kErrNoMemory);
}

// M addr,length:hex
Outcome write_hex(Session& session, std::string_view args) {
  auto parts = split_once(args, ':');
  if (!parts) return error(kErrMalformed);
  auto range = parse_range(parts->first);
  if (!range) return error(kErrMalformed);
  return write(session, *range, hex_decode(parts->second));
}

// X addr,length:binary
Outcome write_binary(Session& session, std::string_view args) {
  auto parts = split_once(args, ':');
  if (!parts) return error(kErrMalformed);
  auto range = parse_range(parts->first);
  if (!range) return error(kErrMalformed);
  return write(session, *range, unescape_binary(parts->second));
}

}  // namespace

void register_memory_handlers(HandlerTable& table) {
  table.add("m", read_memory);
  table.add("M", write_hex);
  table.add("X", write_binary);
}

}  // namespace rrtr::gdb
