#include "gdb/thread_id.h"

#include <fmt/format.h>

#include "gdb/hex.h"

namespace rrtr::gdb {

namespace {

std::optional<ThreadSelector> parse_plain(std::string_view text) {
  if (text == "-1") return ThreadSelector{ThreadSelector::Kind::kAll, {}};
  auto value = parse_hex_u64(text);
  if (!value || *value > 0x7fffffff) return std::nullopt;
  if (*value == 0) return ThreadSelector{ThreadSelector::Kind::kAny, {}};
  return ThreadSelector{ThreadSelector::Kind::kThread, Tid{static_cast<pid_t>(*value)}};
}

}  // namespace

std::optional<ThreadSelector> parse_thread_id(std::string_view text) {
  if (text.empty() || text[0] != 'p') return parse_plain(text);
  text.remove_prefix(1);
  auto parts = split_once(text, '.');
  // `p<pid>` alone names every thread of the process.
  if (!parts) return parse_plain(text) ? std::optional(ThreadSelector{ThreadSelector::Kind::kAll, {}}) : std::nullopt;
  if (!parse_plain(parts->first)) return std::nullopt;
  return parse_plain(parts->second);
}

std::string format_thread_id(Tid tid) { return fmt::format("{:x}", tid.value); }

}  // namespace rrtr::gdb
