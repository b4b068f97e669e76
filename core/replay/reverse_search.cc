// ReplayTarget going backwards: reverse-continue's scan, and the search for the
// instruction before a position that reverse-stepi (and so reverse-step, -next and
// -finish) needs (docs/architecture.md, "Reverse-stepi").
#include "replay/replay_target.h"

#include <signal.h>
#include <sys/ptrace.h>

#include <fmt/format.h>

#include "common/error.h"
#include "common/stderr.h"
#include "replay/replay_target_detail.h"
#include "rrtr/marker_abi.h"

namespace rrtr {

using namespace replay_detail;

std::optional<ReplayTarget::Hit> ReplayTarget::scan(const Position& from, const Position& to, const BreakpointSet& b) {
  std::optional<Hit> last;
  goto_position(from);
  auto add_hit = [&](const StopEvent& s) { last = Hit{now_, s}; };
  // Starting on a breakpoint is a hit too: a continue from here would stop at once.
  if (!(from == to) && !session_.exited()) {
    StopEvent here = stop_here(StopEvent::Kind::kSignal);
    here.breakpoint = true;
    if (triggered_by(here, b, session_.task().regs().raw.rip)) add_hit(here);
  }
  // Whole event intervals before the target's, counting hits so that a watchpoint hit
  // a million times is still one small position.
  const Op count_hits = Op::resume(b, UINT64_MAX);
  while (now_.boundary < to.boundary) {
    StopEvent s = run_counted(count_hits, 0, true, [&](std::uint64_t, const StopEvent& hit) {
      add_hit(hit);
      return true;
    });
    if (s.kind == StopEvent::Kind::kExited || s.kind == StopEvent::Kind::kKilled) return last;
    if (!now_known_) throw Error(ExitCode::kUnsupported, "interrupted");
  }
  auto record_and_step_over = [&](const StopEvent& s, const BreakpointSet& armed) {
    add_hit(s);
    if (is_breakpoint(s)) {
      StopEvent after = run_once(Op::step(hardware_only(armed)));
      if (is_watch(after) && triggered_by(after, b, 0)) add_hit(after);
      return after;
    }
    return s;
  };
  // The target's own resumes, with `b` armed as well.
  for (std::size_t j = now_.ops.size(); j < to.ops.size(); ++j) {
    const Op& op = to.ops[j];
    const bool last_op = j + 1 == to.ops.size();
    if (op.kind == Op::Kind::kWriteRegisters || op.kind == Op::Kind::kWriteMemory) {
      run_op(op);
      continue;
    }
    if (op.kind == Op::Kind::kStep) {
      for (std::uint64_t k = 0; k < op.count; ++k) {
        StopEvent s = run_once(Op::step(hardware_only(op.set.merged(b))));
        if (last_op && k + 1 == op.count) break;
        if (is_watch(s) && triggered_by(s, b, 0)) {
          add_hit(s);
        } else if (s.kind == StopEvent::Kind::kSignal && s.signo == SIGTRAP) {
          // A step that arrives at a breakpoint: a continue would have stopped here.
          StopEvent arrival = s;
          arrival.breakpoint = true;
          if (triggered_by(arrival, b, session_.task().regs().raw.rip)) add_hit(arrival);
        }
      }
      continue;
    }
    const BreakpointSet merged = op.set.merged(b);
    if (merged.hardware.size() > 4)
      fail(ExitCode::kUnsupported, "reverse execution needs more than four hardware breakpoints and watchpoints here");
    // Trigger k of a counted op starts by stepping over its own breakpoint (see Op).
    for (std::uint64_t k = 1; k <= op.count; ++k) {
      const bool final_trigger = last_op && k == op.count;
      if (k > 1 && at_software_breakpoint_of(op.set)) {
        StopEvent s = run_once(Op::step(hardware_only(merged)));
        if (is_watch(s) && triggered_by(s, op.set, 0)) {
          if (!final_trigger && triggered_by(s, b, 0)) add_hit(s);
          continue;
        }
        if (is_watch(s) && triggered_by(s, b, 0)) add_hit(s);
      } else if (k > 1) {
        skip_hardware_breakpoint_here(op.set);
      }
      for (;;) {
        StopEvent s = run_once(Op::resume(merged));
        const std::uint64_t pc = session_.task().regs().raw.rip;
        if (triggered_by(s, op.set, pc) || !(is_breakpoint(s) || is_watch(s))) {
          if (!final_trigger && triggered_by(s, b, pc)) add_hit(s);
          break;
        }
        StopEvent after = record_and_step_over(s, merged);
        if (is_watch(after) && triggered_by(after, op.set, 0)) break;
      }
    }
  }
  return last;
}

StopEvent ReplayTarget::reverse_continue() {
  if (!now_known_) throw Error(ExitCode::kUnsupported, "cannot run backwards from an interrupted position");
  Position end = now_;
  for (;;) {
    const Checkpoint* cp = nullptr;
    for (const auto& c : checkpoints_)
      if (c.pos.is_prefix_of(end) && !(c.pos == end) && (!cp || cp->pos.is_prefix_of(c.pos))) cp = &c;
    if (!cp) break;
    const Position from = cp->pos;
    if (auto hit = scan(from, end, user_)) {
      const Hit h = *hit;
      goto_position(h.pos);
      if (is_watch(h.stop)) {
        // x86 watchpoints trigger after the write; going backwards, stop before it.
        if (auto prev = previous_instruction(h.pos)) goto_position(*prev);
      }
      return h.stop;
    }
    end = from;
  }
  goto_position(start_);
  return stop_here(StopEvent::Kind::kNoHistory);
}

std::optional<Position> ReplayTarget::before_event(std::uint64_t index) {
  if (index < start_.boundary) return std::nullopt;
  goto_position({index, {}});
  const Event* e = session_.peek_event();
  if (!e) return std::nullopt;
  std::uint64_t at = 0;
  std::function<bool(const Registers&)> match;
  if (auto* s = std::get_if<SyscallEvent>(&e->body)) {
    at = s->ip - 2;
    const auto nr = s->nr;
    match = [nr](const Registers& r) { return static_cast<std::int64_t>(r.raw.rax) == nr; };
  } else if (auto* m = std::get_if<MarkerEvent>(&e->body)) {
    at = m->ip - 2;
    match = [](const Registers& r) { return static_cast<long>(r.raw.rax) == RRTR_MARKER_SYSCALL; };
  } else if (auto* t = std::get_if<InstructionTrapEvent>(&e->body)) {
    at = t->ip;
    match = [](const Registers&) { return true; };
  } else if (auto* sig = std::get_if<SignalEvent>(&e->body)) {
    if (sig->kind == SignalKind::kAfterSyscall) return index > 0 ? before_event(index - 1) : std::nullopt;
    at = sig->regs.raw.rip;
    const Registers want = sig->regs;
    match = [this, want](const Registers& r) { return regs_equal(r, want); };
  } else if (std::holds_alternative<ExitEvent>(e->body)) {
    return index > 0 ? before_event(index - 1) : std::nullopt;
  } else {
    return std::nullopt;  // an exec: there is no instruction to go back to
  }
  BreakpointSet bp;
  bp.software.insert(at);
  std::optional<Position> found;
  run_counted(Op::resume(bp, kReverseStepBudget), 0, true,
              [&](std::uint64_t, const StopEvent&) {
                if (match(session_.task().regs())) found = now_;
                return !found;
              });
  if (found) return found;
  throw Error(ExitCode::kUnsupported, fmt::format("could not find the instruction of event {}", index));
}

std::optional<Position> ReplayTarget::previous_instruction(const Position& p) {
  if (!p.ops.empty() && (p.ops.back().kind == Op::Kind::kWriteRegisters || p.ops.back().kind == Op::Kind::kWriteMemory)) {
    Position q = p;  // going back undoes what gdb wrote, then steps back
    q.ops.pop_back();
    return previous_instruction(q);
  }
  if (p.ops.empty()) return p.boundary > start_.boundary ? before_event(p.boundary - 1) : std::nullopt;
  const Op last = p.ops.back();
  Position q = p;  // one run of the last op fewer
  if (last.count > 1)
    --q.ops.back().count;
  else
    q.ops.pop_back();
  if (last.kind == Op::Kind::kStep) return q;
  goto_position(p);
  const Registers target = session_.task().regs();
  goto_position(q);
  // A continue that stopped where it started (a breakpoint at the pc) moved nothing.
  if (regs_equal(session_.task().regs(), target)) return previous_instruction(q);
  // The way from q to p: a step over the op's own breakpoint (trigger j > 1), then a
  // continue to the op's next trigger, which is p.
  if (last.count > 1 && at_software_breakpoint_of(last.set)) {
    run_once(Op::step(hardware_only(last.set)));
    if (regs_equal(session_.task().regs(), target)) return q;
  } else if (last.count > 1) {
    skip_hardware_breakpoint_here(last.set);
  }
  return search_previous(now_, arrival_at(last.set, target.raw.rip), target);
}

BreakpointSet ReplayTarget::arrival_at(const BreakpointSet& set, std::uint64_t pc) {
  // p is the first trigger of `set` after q, so it is also the first of any part of
  // `set` that triggers at p: searches run with that part only, which leaves debug
  // registers free however many searches made the position.
  BreakpointSet part;
  if (set.software.count(pc)) {
    part.software.insert(pc);
    return part;
  }
  for (const auto& h : set.hardware)
    if (h.type == BreakpointType::kHardware && h.addr == pc) {
      part.hardware.push_back(h);
      return part;
    }
  for (const auto& h : set.hardware)
    if (h.type != BreakpointType::kHardware) part.hardware.push_back(h);
  return part;
}

std::optional<Position> ReplayTarget::step_towards(const Registers& target, std::uint64_t budget,
                                                   std::map<std::uint64_t, std::uint64_t>* pcs) {
  const std::uint64_t boundary = now_.boundary;
  std::uint64_t previous_pc = 0;
  for (std::uint64_t i = 0; i < budget; ++i) {
    if (i % 64 == 0) throw_if_interrupted();
    Position here = now_;
    // A rep-prefixed instruction steps once per iteration but is one breakpoint hit.
    const std::uint64_t pc = session_.task().regs().raw.rip;
    if (pcs && pc != previous_pc) ++(*pcs)[pc];
    previous_pc = pc;
    run_once(Op::step());
    if (!now_known_) throw Error(ExitCode::kUnsupported, "interrupted");
    if (session_.exited() || now_.boundary != boundary) return std::nullopt;
    if (regs_equal(session_.task().regs(), target)) return here;
  }
  return std::nullopt;
}

std::optional<Position> ReplayTarget::last_trigger_before(const Position& from, const Op& search, const BreakpointSet& arrival) {
  goto_position(from);
  std::optional<Position> latest;
  bool reached = false;
  run_counted(search, 0, false, [&](std::uint64_t, const StopEvent& s) {
    reached = triggered_by(s, arrival, session_.task().regs().raw.rip);
    if (!reached) latest = now_;
    return !reached;
  });
  if (!now_known_) throw Error(ExitCode::kUnsupported, "interrupted");
  return reached ? latest : std::nullopt;
}

std::optional<Position> ReplayTarget::search_previous(Position start, const BreakpointSet& arrival,
                                                      const Registers& target) {
  // p is the first trigger of `arrival` after `start`; the instruction before p lies
  // between them. Three ways to find it, cheapest first:
  // 1. p is near: single-step there.
  goto_position(start);
  take_checkpoint();  // the trips back to `start` below start here
  std::map<std::uint64_t, std::uint64_t> pcs;
  if (auto found = step_towards(target, kNearSteps, &pcs)) return found;
  // 2. The instruction before is rare (not in a loop): a hardware execution breakpoint
  // on each candidate address, two at a time, counts its hits up to p; the last hit
  // is the instruction before if stepping from it arrives at p. Candidates are the 15
  // addresses below the pc (a sequential predecessor) and the calls that would return
  // to the address on top of the stack (the pc is a function's entry). Hardware
  // breakpoints never trigger off instruction boundaries, so wrong guesses are
  // harmless, unlike int3 bytes. A candidate hit more often is in a loop: that is
  // the next way's job.
  std::vector<std::uint64_t> candidates;
  for (std::uint64_t len = 1; len <= 15; ++len) candidates.push_back(target.raw.rip - len);
  std::uint64_t ret = 0;
  if (session_.task().try_read_mem(RemotePtr(target.raw.rsp), &ret, sizeof ret) == sizeof ret)
    for (std::uint64_t len : {5, 2, 3, 6, 7}) candidates.push_back(ret - len);
  // At most two candidates at a time: positions keep the sets they ran with, and a
  // later reverse-continue must still fit the user's watchpoints beside them.
  const std::size_t slots = std::min<std::size_t>(2, 4 - std::min<std::size_t>(4, arrival.hardware.size()));
  for (std::size_t g = 0; slots > 0 && g < candidates.size(); g += slots) {
    Op search = Op::resume(arrival, kRareCandidateHits);
    for (std::size_t i = g; i < std::min(candidates.size(), g + slots); ++i)
      search.set.hardware.push_back({BreakpointType::kHardware, candidates[i], 1});
    auto latest = last_trigger_before(start, search, arrival);
    if (debug_positions())
      print_stderr("[candidates {:#x}.. from {}: {}]\n", candidates[g], describe(start), latest ? describe(*latest) : "none");
    if (!latest) continue;
    goto_position(*latest);
    run_once(Op::step());
    if (regs_equal(session_.task().regs(), target)) return latest;
  }
  // 3. p is far, in or after a loop: take the address stepped most often in 1 as an
  // anchor, count its hits up to p (a checkpoint every kCheckpointEveryTriggers keeps
  // the way back short), and single-step from its last hit. When that hit is still
  // far from p, the steps taken give the next anchor.
  Position from = start;
  for (int level = 0; level < kAnchorLevels && !pcs.empty(); ++level) {
    pcs.erase(target.raw.rip);  // p's own address would count p too
    if (pcs.empty()) break;
    const auto anchor = std::max_element(pcs.begin(), pcs.end(), [](const auto& x, const auto& y) { return x.second < y.second; })->first;
    Op search = Op::resume(arrival, kSearchTriggerBudget);
    if (arrival.hardware.size() < 4)
      search.set.hardware.push_back({BreakpointType::kHardware, anchor, 1});
    else
      search.set.software.insert(anchor);  // the address was stepped on: an instruction boundary
    std::optional<Position> latest;
    goto_position(from);
    if (auto hits = kernel_count_to(search, arrival)) {
      if (*hits > 0) {
        latest = from;
        latest->ops.push_back(search.times(*hits));
      }
    } else {
      latest = last_trigger_before(from, search, arrival);
    }
    if (debug_positions())
      print_stderr("[anchor {:#x} from {}: {}]\n", anchor, describe(from), latest ? describe(*latest) : "none");
    if (latest) from = *latest;
    goto_position(from);
    pcs.clear();
    if (auto found = step_towards(target, kNearSteps, &pcs)) return found;
    if (!latest) from = now_;  // no hit after the steps: go on from where they ended
  }
  throw Error(ExitCode::kUnsupported, "could not find the instruction before this one");
}

StopEvent ReplayTarget::reverse_step() {
  if (!now_known_) throw Error(ExitCode::kUnsupported, "cannot step backwards from an interrupted position");
  auto prev = previous_instruction(now_);
  if (!prev) {
    goto_position(start_);
    return stop_here(StopEvent::Kind::kNoHistory);
  }
  goto_position(*prev);
  return stop_here(StopEvent::Kind::kSignal);
}

}  // namespace rrtr
