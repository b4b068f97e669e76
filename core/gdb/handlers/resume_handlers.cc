// Packets that run the target, forwards (vCont, c, C, s, S) and backwards (bc, bs).
// Each replies with the stop once the target stops again.
#include "gdb/gdb_signals.h"
#include "gdb/handlers/handlers.h"
#include "gdb/hex.h"
#include "gdb/session.h"

namespace rrtr::gdb {

namespace {

struct Action {
  ResumeKind kind = ResumeKind::kContinue;
  int host_signal = 0;
  std::optional<ThreadSelector> thread;  // nullopt: the default action for other threads
};

// A gdb signal number as two hex digits, translated; nullopt for junk or a signal
// Linux does not have.
std::optional<int> parse_gdb_signal(std::string_view text) {
  auto gdb_signo = parse_hex_u64(text);
  if (!gdb_signo || *gdb_signo > 0xff) return std::nullopt;
  int host = host_signal_from_gdb(static_cast<int>(*gdb_signo));
  if (host == 0 && *gdb_signo != 0) return std::nullopt;
  return host;
}

// One vCont action: c, Cxx, s or Sxx, each with an optional ":thread-id".
std::optional<Action> parse_action(std::string_view text) {
  Action action;
  std::string_view body = text;
  if (auto parts = split_once(text, ':')) {
    body = parts->first;
    action.thread = parse_thread_id(parts->second);
    if (!action.thread) return std::nullopt;
  }
  if (body.empty()) return std::nullopt;
  char op = body[0];
  body.remove_prefix(1);
  switch (op) {
    case 'c':
    case 's':
      if (!body.empty()) return std::nullopt;
      break;
    case 'C':
    case 'S': {
      auto signal = parse_gdb_signal(body);
      if (!signal) return std::nullopt;
      action.host_signal = *signal;
      break;
    }
    default: return std::nullopt;  // t and r: we do not offer them
  }
  action.kind = (op == 's' || op == 'S') ? ResumeKind::kStep : ResumeKind::kContinue;
  return action;
}

Outcome v_cont_query(Session&, std::string_view) { return reply("vCont;c;C;s;S"); }

// In all-stop mode one thread leads: the first action that names a thread (gdb sends
// e.g. "s:tid;c" to step one thread while the rest may run), else the default action
// on the current thread. The target decides what the other threads do meanwhile.
Outcome v_cont(Session& session, std::string_view args) {
  std::optional<Action> lead;
  std::optional<Action> fallback;
  for (std::string_view text : split(args, ';')) {
    auto action = parse_action(text);
    if (!action) return error(kErrMalformed);
    bool names_thread = action->thread && action->thread->kind == ThreadSelector::Kind::kThread;
    if (names_thread && !lead) lead = action;
    if (!names_thread && !fallback) fallback = action;
  }
  Action chosen = lead ? *lead : *fallback;
  Tid tid = chosen.thread ? session.resolve(*chosen.thread) : session.current_thread();
  return reply(session.resume(tid, Direction::kForward, chosen.kind, chosen.host_signal));
}

// c/s [addr] and C/S sig[;addr]: the optional address moves the pc first.
Outcome resume_legacy(Session& session, std::string_view args, ResumeKind kind, bool with_signal) {
  int host_signal = 0;
  std::string_view addr_text = args;
  if (with_signal) {
    auto parts = split_once(args, ';');
    auto signal = parse_gdb_signal(parts ? parts->first : args);
    if (!signal) return error(kErrMalformed);
    host_signal = *signal;
    addr_text = parts ? parts->second : std::string_view{};
  }
  Tid tid = session.resolve(session.continue_thread);
  if (!addr_text.empty()) {
    auto addr = parse_hex_u64(addr_text);
    if (!addr) return error(kErrMalformed);
    RegisterSnapshot regs = session.target().read_registers(tid);
    regs.gpr.rip = *addr;
    session.target().write_registers(tid, regs);
  }
  return reply(session.resume(tid, Direction::kForward, kind, host_signal));
}

Outcome continue_(Session& s, std::string_view a) { return resume_legacy(s, a, ResumeKind::kContinue, false); }
Outcome continue_signal(Session& s, std::string_view a) { return resume_legacy(s, a, ResumeKind::kContinue, true); }
Outcome step(Session& s, std::string_view a) { return resume_legacy(s, a, ResumeKind::kStep, false); }
Outcome step_signal(Session& s, std::string_view a) { return resume_legacy(s, a, ResumeKind::kStep, true); }

Outcome reverse(Session& session, std::string_view args, ResumeKind kind) {
  if (!args.empty()) return error(kErrMalformed);
  Tid tid = session.resolve(session.continue_thread);
  return reply(session.resume(tid, Direction::kReverse, kind, 0));
}

Outcome reverse_continue(Session& s, std::string_view a) { return reverse(s, a, ResumeKind::kContinue); }
Outcome reverse_step(Session& s, std::string_view a) { return reverse(s, a, ResumeKind::kStep); }

}  // namespace

void register_resume_handlers(HandlerTable& table) {
  table.add("vCont?", v_cont_query);
  table.add("vCont", v_cont);
  table.add("c", continue_);
  table.add("C", continue_signal);
  table.add("s", step);
  table.add("S", step_signal);
  table.add("bc", reverse_continue);
  table.add("bs", reverse_step);
}

}  // namespace rrtr::gdb
