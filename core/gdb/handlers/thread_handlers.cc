// Packets that name and select threads.
#include <fmt/format.h>

#include "gdb/handlers/handlers.h"
#include "gdb/session.h"

namespace rrtr::gdb {

namespace {

// `Hg<id>` picks the thread for register and memory access, `Hc<id>` the one c/s run.
Outcome set_thread(Session& session, std::string_view args) {
  if (args.size() < 2 || (args[0] != 'g' && args[0] != 'c')) return error(kErrMalformed);
  auto selector = parse_thread_id(args.substr(1));
  if (!selector) return error(kErrMalformed);
  if (selector->kind == ThreadSelector::Kind::kThread && !session.thread_exists(selector->tid)) {
    return error(kErrMalformed);
  }
  (args[0] == 'g' ? session.general_thread : session.continue_thread) = *selector;
  return ok();
}

Outcome thread_alive(Session& session, std::string_view args) {
  auto selector = parse_thread_id(args);
  if (!selector) return error(kErrMalformed);
  if (selector->kind != ThreadSelector::Kind::kThread) return ok();
  return session.thread_exists(selector->tid) ? ok() : error(kErrMalformed);
}

Outcome current_thread(Session& session, std::string_view) {
  return reply("QC" + format_thread_id(session.current_thread()));
}

// All threads fit in the first reply; the follow-up query ends the list.
Outcome first_thread_info(Session& session, std::string_view) {
  std::string out = "m";
  for (Tid tid : session.target().threads()) {
    if (out.size() > 1) out += ',';
    out += format_thread_id(tid);
  }
  return reply(out.size() > 1 ? out : "l");
}

Outcome subsequent_thread_info(Session&, std::string_view) { return reply("l"); }

}  // namespace

void register_thread_handlers(HandlerTable& table) {
  table.add("H", set_thread);
  table.add("T", thread_alive);
  table.add("qC", current_thread);
  table.add("qfThreadInfo", first_thread_info);
  table.add("qsThreadInfo", subsequent_thread_info);
}

}  // namespace rrtr::gdb
