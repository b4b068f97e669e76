// qXfer:<object>:read:<annex>:<offset>,<length> — objects too big for one packet, read
// in slices. A slice is prefixed 'm' when more follows and 'l' when it is the last.
#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "gdb/handlers/handlers.h"
#include "gdb/hex.h"
#include "gdb/packet_framing.h"
#include "gdb/register_table.h"
#include "gdb/session.h"
#include "gdb/target_description.h"

namespace rrtr::gdb {

namespace {

struct XferRequest {
  std::string_view annex;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
};

std::optional<XferRequest> parse_xfer(std::string_view args) {
  std::size_t colon = args.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  auto range = split_once(args.substr(colon + 1), ',');
  if (!range) return std::nullopt;
  auto offset = parse_hex_u64(range->first);
  auto length = parse_hex_u64(range->second);
  if (!offset || !length || *length == 0) return std::nullopt;
  return XferRequest{args.substr(0, colon), *offset, *length};
}

Outcome slice(const XferRequest& request, std::string_view object) {
  if (request.offset >= object.size()) return reply("l");
  std::size_t length = std::min<std::uint64_t>(request.length, kMaxReplyData);
  std::string_view part = object.substr(request.offset, length);
  bool last = request.offset + part.size() >= object.size();
  return reply((last ? "l" : "m") + escape_binary(part));
}

// Reads of objects that have no annex (gdb sends an empty one).
template <std::string (*Object)(Session&)>
Outcome read_unannexed(Session& session, std::string_view args) {
  auto request = parse_xfer(args);
  if (!request || !request->annex.empty()) return error(kErrMalformed);
  return slice(*request, Object(session));
}

Outcome read_features(Session& session, std::string_view args) {
  auto request = parse_xfer(args);
  if (!request || request->annex != "target.xml") return error(kErrMalformed);
  bool has_avx = session.target().read_registers(session.current_thread()).has_avx;
  return slice(*request, target_description_xml(has_avx));
}

// The annex is the pid, or empty for the current process; there is only one.
Outcome read_exec_file(Session& session, std::string_view args) {
  auto request = parse_xfer(args);
  if (!request) return error(kErrMalformed);
  if (!request->annex.empty() && !parse_hex_u64(request->annex)) return error(kErrMalformed);
  return slice(*request, session.target().exec_file());
}

std::string auxv(Session& session) { return session.target().auxv(); }

std::string siginfo(Session& session) {
  siginfo_t info = session.target().last_siginfo(session.current_thread());
  std::string bytes(sizeof(info), '\0');
  std::memcpy(bytes.data(), &info, sizeof(info));
  return bytes;
}

std::string threads_xml(Session& session) {
  std::string xml = "<?xml version=\"1.0\"?>\n<threads>\n";
  for (Tid tid : session.target().threads()) {
    xml += fmt::format("  <thread id=\"{}\"/>\n", format_thread_id(tid));
  }
  xml += "</threads>\n";
  return xml;
}

}  // namespace

void register_xfer_handlers(HandlerTable& table) {
  table.add("qXfer:features:read", read_features);
  table.add("qXfer:auxv:read", read_unannexed<auxv>);
  table.add("qXfer:exec-file:read", read_exec_file);
  table.add("qXfer:siginfo:read", read_unannexed<siginfo>);
  table.add("qXfer:threads:read", read_unannexed<threads_xml>);
}

}  // namespace rrtr::gdb
