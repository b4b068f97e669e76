#include "replay/replay_target.h"

#include <elf.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/error.h"
#include "cpu/cpuid.h"
#include "rrtr/marker_abi.h"
#include "ticks/breakpoint_counter.h"

namespace rrtr {

namespace {

// Stop kinds run_op reports besides the debugger-visible ones.
constexpr int kBoundarySignal = 0;  // crossed an event boundary (stop_at_boundary)

bool is_breakpoint(const StopEvent& s) { return s.kind == StopEvent::Kind::kSignal && s.breakpoint; }
bool is_watch(const StopEvent& s) { return s.kind == StopEvent::Kind::kWatchpoint; }

// Whether a trigger at `s` belongs to `set` (the breakpoint address, or the watched slot).
bool triggered_by(const StopEvent& s, const BreakpointSet& set, std::uint64_t pc) {
  if (is_watch(s)) {
    for (const auto& h : set.hardware)
      if (h.type != BreakpointType::kHardware && h.addr == s.watch_addr.value()) return true;
    return false;
  }
  if (!is_breakpoint(s)) return false;
  if (set.software.count(pc)) return true;
  for (const auto& h : set.hardware)
    if (h.type == BreakpointType::kHardware && h.addr == pc) return true;
  return false;
}

bool debug_positions();
std::string describe(const Position& p);

BreakpointSet hardware_only(const BreakpointSet& set) {
  BreakpointSet h;
  h.hardware = set.hardware;
  return h;
}

}  // namespace

ReplayTarget::ReplayTarget(const std::filesystem::path& trace_dir)
    : session_(trace_dir, ReplayOptions{.echo_stdio = true}) {
  recorded_pid_ = Pid{session_.recorded_tid().value};
  // For tests and comparisons: every trigger a ptrace stop, as on machines without
  // perf breakpoints.
  kernel_counting_ = getenv("RRTR_NO_KERNEL_COUNTING") == nullptr;
  now_ = {session_.next_event_index(), {}};
  start_ = now_;
  high_water_ = now_.boundary;
  take_checkpoint();
  last_stop_ = stop_here(StopEvent::Kind::kSignal, SIGTRAP);
}

ReplayTarget::~ReplayTarget() = default;

StopEvent ReplayTarget::stop_here(StopEvent::Kind kind, int signo) {
  StopEvent s;
  s.kind = kind;
  s.tid = Tid{recorded_pid_.value};
  s.signo = signo;
  return s;
}

bool ReplayTarget::regs_equal(const Registers& a, const Registers& b) const {
  user_regs_struct x = a.raw, y = b.raw;
  constexpr std::uint64_t kBookkeeping = (1ULL << 8) | (1ULL << 16);  // TF, RF
  x.eflags &= ~kBookkeeping;
  y.eflags &= ~kBookkeeping;
  x.orig_rax = y.orig_rax = 0;
  return std::memcmp(&x, &y, sizeof x) == 0;
}

void ReplayTarget::update_echo() {
  // Program output is printed once, when execution first gets there; going back and
  // forth does not print it again.
  session_.set_echo(now_.boundary >= high_water_);
}

bool ReplayTarget::modified_by_debugger() const {
  return std::any_of(now_.ops.begin(), now_.ops.end(), [](const Op& op) {
    return op.kind == Op::Kind::kWriteRegisters || op.kind == Op::Kind::kWriteMemory;
  });
}

bool ReplayTarget::next_event_is_this_syscall() {
  const Event* next = session_.peek_event();
  const Registers r = session_.task().regs();
  if (!next) return false;
  if (auto* s = std::get_if<SyscallEvent>(&next->body))
    return s->nr == r.syscallno() && s->args == r.args() && s->ip == r.raw.rip;
  if (auto* m = std::get_if<MarkerEvent>(&next->body)) return r.syscallno() == RRTR_MARKER_SYSCALL && m->ip == r.raw.rip;
  return std::holds_alternative<ExecEvent>(next->body);
}

void ReplayTarget::apply_write(const Op& op) {
  Task& task = session_.task();
  if (op.kind == Op::Kind::kWriteRegisters) {
    Registers r;
    r.raw = op.regs.gpr;
    task.set_regs(r);
    task.set_fpregs(op.regs.fp);
  } else {
    task.try_write_mem(RemotePtr(op.addr), op.bytes);
  }
  now_.ops.push_back(op);
}

void ReplayTarget::throw_if_interrupted() {
  // A Ctrl-C that came between two resumes of a long search: no tracee was running to
  // take the SIGSTOP, so the search asks.
  if (interrupt_requested_.exchange(false)) throw Error(ExitCode::kUnsupported, "interrupted");
}

void ReplayTarget::push_op(const Op& op) {
  // Steps merge: s(k) then s is s(k+1). Continues never do (see Op).
  if (op.kind == Op::Kind::kStep && !now_.ops.empty() && now_.ops.back().same_action(op))
    now_.ops.back().count += op.count;
  else
    now_.ops.push_back(op);
}

bool ReplayTarget::at_software_breakpoint_of(const BreakpointSet& set) {
  return set.software.count(session_.task().regs().raw.rip) > 0;
}

void ReplayTarget::skip_hardware_breakpoint_here(const BreakpointSet& set) {
  // The resume flag makes the CPU skip an instruction breakpoint for one instruction:
  // one stop fewer than stepping over it.
  constexpr std::uint64_t kResumeFlag = 1ULL << 16;
  Registers r = session_.task().regs();
  for (const auto& h : set.hardware)
    if (h.type == BreakpointType::kHardware && h.addr == r.raw.rip) {
      r.raw.eflags |= kResumeFlag;
      session_.task().set_regs(r);
      return;
    }
}

StopEvent ReplayTarget::run_op(const Op& op, bool stop_at_boundary) {
  if (op.count == 1 || op.kind == Op::Kind::kWriteRegisters || op.kind == Op::Kind::kWriteMemory)
    return run_once(op, stop_at_boundary);
  return run_counted(op, 0, stop_at_boundary, nullptr);
}

std::optional<StopEvent> ReplayTarget::armed_trigger(const BreakpointSet& set, WaitStatus* other) {
  running_pid_ = session_.pid().value;
  *other = session_.resume(Resume::kCont);
  running_pid_ = 0;
  return classify_trigger(set, *other);
}

std::optional<StopEvent> ReplayTarget::classify_trigger(const BreakpointSet& set, const WaitStatus& st) {
  if (st.is_gone() || st.delivered_signal() != SIGTRAP) return std::nullopt;
  // The same reading of a SIGTRAP as run_once's.
  Task& task = session_.task();
  Registers r = task.regs();
  const Event* next = session_.peek_event();
  const bool program_trap = next && std::holds_alternative<SignalEvent>(next->body) &&
                            std::get<SignalEvent>(next->body).signo == SIGTRAP &&
                            std::get<SignalEvent>(next->body).regs.raw.rip == r.raw.rip;
  if (!program_trap && set.software.count(r.raw.rip - 1)) {
    r.raw.rip -= 1;
    task.set_regs(r);
    StopEvent s = stop_here(StopEvent::Kind::kSignal);
    s.breakpoint = true;
    return s;
  }
  auto slot = take_triggered_debug_register(task);
  if (!slot || *slot >= static_cast<int>(set.hardware.size())) return std::nullopt;
  const HardwareWatch& hw = set.hardware[static_cast<std::size_t>(*slot)];
  StopEvent s = stop_here(hw.type == BreakpointType::kHardware ? StopEvent::Kind::kSignal : StopEvent::Kind::kWatchpoint);
  if (hw.type == BreakpointType::kHardware) {
    s.breakpoint = true;
  } else {
    s.watch_type = hw.type;
    s.watch_addr = RemotePtr(hw.addr);
  }
  return s;
}

namespace {
// The execution breakpoint the kernel counts: the set's last (a search's anchor is
// added last); nullopt if it has none.
std::optional<std::size_t> counted_execution_breakpoint(const BreakpointSet& set) {
  for (std::size_t i = set.hardware.size(); i-- > 0;)
    if (set.hardware[i].type == BreakpointType::kHardware) return i;
  return std::nullopt;
}
}  // namespace

std::optional<ReplayTarget::KernelCounted> ReplayTarget::run_kernel_counted(const BreakpointSet& set, std::uint64_t wanted) {
  if (!kernel_counting_) return std::nullopt;
  const auto k = counted_execution_breakpoint(set);
  if (!k) return std::nullopt;
  BreakpointSet rest = set;
  rest.hardware.erase(rest.hardware.begin() + static_cast<std::ptrdiff_t>(*k));
  auto counter = BreakpointCounter::open(session_.pid(), set.hardware[*k].addr, wanted);
  if (debug_positions()) fmt::print(stderr, "[kernel counting {} of {:#x}: {}]\n", wanted, set.hardware[*k].addr, counter ? "yes" : strerror(errno));
  if (!counter) {
    kernel_counting_ = false;  // no perf breakpoints here: every trigger is a stop
    return std::nullopt;
  }
  KernelCounted out;
  update_echo();
  {
    ArmedBreakpoints armed(session_.task(), rest);
    running_pid_ = session_.pid().value;
    out.status = session_.resume(Resume::kCont);
    running_pid_ = 0;
  }
  const std::uint64_t hits = counter->hits();
  if (!out.status.is_gone() && out.status.delivered_signal() == SIGTRAP && is_breakpoint_counter_stop(session_.pid())) {
    out.triggers = wanted;
    out.stop = stop_here(StopEvent::Kind::kSignal);
    out.stop->breakpoint = true;
  } else if ((out.stop = classify_trigger(rest, out.status))) {
    out.triggers = hits + 1;
  } else {
    out.triggers = hits;
  }
  return out;
}

std::optional<std::uint64_t> ReplayTarget::kernel_count_to(const Op& search, const BreakpointSet& arrival) {
  const auto k = counted_execution_breakpoint(search.set);
  if (!kernel_counting_ || !k) return std::nullopt;
  const std::uint64_t anchor = search.set.hardware[*k].addr;
  // The kernel stops the task every kCheckpointEveryKernelCount hits, for a checkpoint
  // there: the trip back to the last hit, which comes next, starts from the newest.
  auto counter = BreakpointCounter::open(session_.pid(), anchor, kCheckpointEveryKernelCount);
  if (debug_positions()) fmt::print(stderr, "[kernel count of {:#x}: {}]\n", anchor, counter ? "yes" : strerror(errno));
  if (!counter) {
    kernel_counting_ = false;
    return std::nullopt;
  }
  const Position from = now_;
  for (;;) {
    throw_if_interrupted();
    WaitStatus st;
    {
      ArmedBreakpoints armed(session_.task(), arrival);
      running_pid_ = session_.pid().value;
      st = session_.resume(Resume::kCont);
      running_pid_ = 0;
    }
    const std::uint64_t hits = counter->hits();
    if (!st.is_gone() && st.delivered_signal() == SIGTRAP && is_breakpoint_counter_stop(session_.pid())) {
      now_ = from;
      now_.ops.push_back(search.times(hits));
      take_checkpoint(true);
      skip_hardware_breakpoint_here(search.set);
      continue;
    }
    if (!st.is_gone() && st.delivered_signal() == SIGSTOP && interrupt_requested_.exchange(false)) {
      now_known_ = false;
      throw Error(ExitCode::kUnsupported, "interrupted");
    }
    if (classify_trigger(arrival, st)) {
      now_ = from;  // at p: the trigger after the anchor's hits
      now_.ops.push_back(search.times(hits + 1));
      return hits;
    }
    // p is the first trigger of `arrival`: anything else first means the position is
    // not what it seemed. Give up the search; resume() puts the user back.
    now_known_ = false;
    throw Error(ExitCode::kUnsupported, fmt::format("a search for the instruction before stopped on {}", st.describe()));
  }
}

StopEvent ReplayTarget::run_counted(const Op& op, std::uint64_t done, bool stop_at_boundary, const TriggerCallback& each) {
  Position base = now_;
  if (done > 0) base.ops.pop_back();
  const std::uint64_t boundary = now_.boundary;
  const Op one = op.times(1);
  StopEvent s = stop_here(StopEvent::Kind::kSignal);
  auto left_interval = [&] { return !now_known_ || now_.boundary != boundary || session_.exited(); };
  // Arming costs several ptrace calls (each debug register one): the set stays armed
  // from one trigger to the next unless a step over it comes between.
  std::optional<ArmedBreakpoints> armed;
  for (std::uint64_t j = done + 1; j <= op.count; ++j) {
    if (j % 64 == 0) throw_if_interrupted();
    if (op.kind == Op::Kind::kStep) {
      s = run_once(one, stop_at_boundary);
      if (left_interval()) return s;
    } else {
      bool triggered = false;
      if (j > 1 && at_software_breakpoint_of(op.set)) {
        armed.reset();
        s = run_once(Op::step(hardware_only(op.set)), stop_at_boundary);
        if (left_interval()) return s;
        triggered = is_watch(s) || is_breakpoint(s);
      } else if (j > 1) {
        skip_hardware_breakpoint_here(op.set);
      }
      // Without a callback to see each trigger, the kernel can count the way to the
      // last one: no stop per loop iteration.
      if (!triggered && !each && op.count - j >= kKernelCountingFrom) {
        armed.reset();
        if (auto fast = run_kernel_counted(op.set, op.count - j + 1)) {
          j += fast->triggers;
          if (fast->stop) {
            s = *fast->stop;
            --j;  // this trigger is j
          } else {
            s = run_once(one, stop_at_boundary, fast->status);
            if (left_interval() || !(is_watch(s) || is_breakpoint(s))) return s;
          }
          triggered = true;
        }
      }
      if (!triggered) {
        if (!armed) {
          update_echo();
          armed.emplace(session_.task(), op.set);
        }
        WaitStatus other;
        if (auto t = armed_trigger(op.set, &other)) {
          s = *t;
        } else {
          // Anything but a trigger (an event, a signal, the end) is run_once's to read.
          armed.reset();
          s = run_once(one, stop_at_boundary, other);
          if (left_interval() || !(is_watch(s) || is_breakpoint(s))) return s;
        }
      }
    }
    const std::uint64_t before = now_.ops.empty() ? 0 : now_.ops.back().count;
    now_ = base;
    now_.ops.push_back(op.times(j));
    // Searches pass hot loops once per iteration: a checkpoint now and then makes the
    // next trip to a position part-way cheap (also after the kernel counted a long way).
    if (op.kind == Op::Kind::kContinue && (j % kCheckpointEveryTriggers == 0 || j - before >= kCheckpointEveryTriggers)) {
      armed.reset();
      take_checkpoint(true);
    }
    if (each && !each(j, s)) return s;
  }
  return s;
}

StopEvent ReplayTarget::run_once(const Op& op, bool stop_at_boundary, std::optional<WaitStatus> pending) {
  if (op.kind == Op::Kind::kWriteRegisters || op.kind == Op::Kind::kWriteMemory) {
    if (!session_.exited()) apply_write(op);
    return stop_here(StopEvent::Kind::kSignal);
  }
  if (session_.exited()) {
    int status = *session_.exit_status();
    StopEvent s = stop_here(status > 128 ? StopEvent::Kind::kKilled : StopEvent::Kind::kExited, status > 128 ? status - 128 : 0);
    s.exit_code = status;
    return s;
  }
  Task* task = &session_.task();
  const Registers before = task->regs();
  for (;;) {
    update_echo();
    WaitStatus st;
    if (pending) {
      st = *pending;  // a stop met with this op's set armed, by run_counted
      pending.reset();
    } else {
      ArmedBreakpoints armed(*task, op.kind == Op::Kind::kContinue ? op.set : hardware_only(op.set));
      running_pid_ = session_.pid().value;
      st = session_.resume(op.kind == Op::Kind::kStep ? Resume::kSingleStep : Resume::kCont);
      running_pid_ = 0;
    }
    if (!st.is_gone()) {
      const int sig = st.delivered_signal();
      if (sig == SIGTRAP) {
        Registers r = task->regs();
        const Event* next = session_.peek_event();
        const bool program_trap = next && std::holds_alternative<SignalEvent>(next->body) &&
                                  std::get<SignalEvent>(next->body).signo == SIGTRAP &&
                                  std::get<SignalEvent>(next->body).regs.raw.rip == r.raw.rip;
        if (!program_trap && op.kind == Op::Kind::kContinue && op.set.software.count(r.raw.rip - 1)) {
          r.raw.rip -= 1;
          task->set_regs(r);
          push_op(op);
          StopEvent s = stop_here(StopEvent::Kind::kSignal);
          s.breakpoint = true;
          return s;
        }
        if (auto slot = take_triggered_debug_register(*task); slot && *slot < static_cast<int>(op.set.hardware.size())) {
          const HardwareWatch& hw = op.set.hardware[static_cast<std::size_t>(*slot)];
          push_op(op);
          if (hw.type == BreakpointType::kHardware) {
            StopEvent s = stop_here(StopEvent::Kind::kSignal);
            s.breakpoint = true;
            return s;
          }
          StopEvent s = stop_here(StopEvent::Kind::kWatchpoint);
          s.watch_type = hw.type;
          s.watch_addr = RemotePtr(hw.addr);
          return s;
        }
        if (!program_trap && op.kind == Op::Kind::kStep) {
          // A step out of a syscall stop can trap before any instruction ran (the
          // kernel reports the step at the syscall's exit): step again.
          if (regs_equal(task->regs(), before)) continue;
          push_op(op);
          return stop_here(StopEvent::Kind::kSignal);
        }
      }
      if (sig == SIGSEGV && op.kind == Op::Kind::kContinue && modified_by_debugger() &&
          op.set.software.count(task->regs().raw.rip)) {
        // gdb's inferior call returns to a breakpoint on the (non-executable) stack:
        // the fault there is that breakpoint.
        push_op(op);
        StopEvent s = stop_here(StopEvent::Kind::kSignal);
        s.breakpoint = true;
        return s;
      }
      if (sig == SIGSTOP && interrupt_requested_.exchange(false)) {
        now_known_ = false;
        return stop_here(StopEvent::Kind::kSignal, SIGINT);
      }
    }
    // Anything else is the next recorded event, unless gdb changed the program (an
    // inferior call) and it makes a syscall the recording does not have: that call is
    // answered ENOSYS, with no effect outside, and the recorded execution is untouched.
    if (st.is_seccomp_stop() && modified_by_debugger() && !next_event_is_this_syscall()) {
      session_.answer_syscall_here(-ENOSYS);
      continue;
    }
    const Event* next = session_.peek_event();
    std::optional<SignalEvent> signal;
    if (next)
      if (auto* s = std::get_if<SignalEvent>(&next->body)) signal = *s;
    session_.apply_event(st);
    now_ = {session_.next_event_index(), {}};
    high_water_ = std::max(high_water_, now_.boundary);
    if (session_.exited()) return run_once(op);
    task = &session_.task();
    maybe_checkpoint();
    if (signal) {
      last_siginfo_ = signal->info;
      return stop_here(StopEvent::Kind::kSignal, signal->signo);
    }
    const Event* after = session_.peek_event();
    if (after && std::holds_alternative<ExitEvent>(after->body) && !end_reported_ && !stop_at_boundary) {
      end_reported_ = true;  // stop once before the exit, so the end can be stepped back from
      return stop_here(StopEvent::Kind::kNoHistory);
    }
    if (op.kind == Op::Kind::kStep) return stop_here(StopEvent::Kind::kSignal);
    if (stop_at_boundary) return stop_here(StopEvent::Kind::kSignal, kBoundarySignal);
  }
}

void ReplayTarget::take_checkpoint(bool search) {
  if (session_.exited() || session_.signal_pending_injection()) return;
  for (const auto& c : checkpoints_)
    if (c.pos == now_) return;
  Checkpoint c;
  c.pos = now_;
  c.state = session_.save_state();
  c.proc = session_.fork_tracee();
  c.search = search;
  checkpoints_.push_back(std::move(c));
  if (search && std::count_if(checkpoints_.begin(), checkpoints_.end(), [](const Checkpoint& k) { return k.search; }) >
                    static_cast<std::ptrdiff_t>(kMaxSearchCheckpoints)) {
    // Searches keep only their newest few: they are near where the user is now.
    checkpoints_.erase(std::find_if(checkpoints_.begin(), checkpoints_.end(), [](const Checkpoint& k) { return k.search; }));
  }
  if (checkpoints_.size() > kMaxCheckpoints + kMaxSearchCheckpoints) {
    // Thin the middle: drop every other checkpoint after the first, keeping the newest.
    std::vector<Checkpoint> kept;
    for (std::size_t i = 0; i < checkpoints_.size(); ++i)
      if (i == 0 || i % 2 == 1 || i + 1 == checkpoints_.size()) kept.push_back(std::move(checkpoints_[i]));
    checkpoints_ = std::move(kept);
  }
}

void ReplayTarget::maybe_checkpoint() {
  if (now_.ops.empty() && now_.boundary >= next_auto_checkpoint_) {
    take_checkpoint();
    next_auto_checkpoint_ = now_.boundary + kCheckpointEvery;
  }
}

const ReplayTarget::Checkpoint& ReplayTarget::best_checkpoint(const Position& target) const {
  const Checkpoint* best = nullptr;
  for (const auto& c : checkpoints_) {
    if (!c.pos.is_prefix_of(target)) continue;
    if (!best || best->pos.is_prefix_of(c.pos)) best = &c;
  }
  if (!best) fail(ExitCode::kInternal, "no checkpoint before event {}", target.boundary);
  return *best;
}

void ReplayTarget::goto_position(const Position& target) {
  if (now_known_ && now_ == target && !session_.exited()) return;
  const Checkpoint& cp = best_checkpoint(target);
  session_.restore(cp.state, fork_stopped_tracee(cp.proc->task()));
  now_ = cp.pos;
  now_known_ = true;
  end_reported_ = true;  // positions are reached silently
  while (now_.boundary < target.boundary) {
    update_echo();
    if (!session_.step_event()) break;
    now_ = {session_.next_event_index(), {}};
    high_water_ = std::max(high_water_, now_.boundary);
  }
  std::size_t i = now_.ops.size();
  // A checkpoint part-way through a counted op: run the rest of it.
  if (i > 0 && now_.ops[i - 1].count < target.ops[i - 1].count)
    run_counted(target.ops[i - 1], now_.ops[i - 1].count, false, nullptr);
  for (; i < target.ops.size(); ++i) run_op(target.ops[i]);
  end_reported_ = false;
  if (!(now_ == target)) fail(ExitCode::kInternal, "could not return to a replay position at event {}", target.boundary);
}

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
      fmt::print(stderr, "[candidates {:#x}.. from {}: {}]\n", candidates[g], describe(start), latest ? describe(*latest) : "none");
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
      fmt::print(stderr, "[anchor {:#x} from {}: {}]\n", anchor, describe(from), latest ? describe(*latest) : "none");
    if (latest) {
      from = *latest;
    } else {
      goto_position(from);  // no hit after the steps: go on from where they ended
      pcs.clear();
      if (auto found = step_towards(target, kNearSteps, &pcs)) return found;
      from = now_;
      continue;
    }
    goto_position(from);
    pcs.clear();
    if (auto found = step_towards(target, kNearSteps, &pcs)) return found;
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

StopEvent ReplayTarget::forward(ResumeKind kind) {
  // A Ctrl-C that came while no resume ran stops the next one before it starts.
  if (interrupt_requested_.exchange(false)) return stop_here(StopEvent::Kind::kSignal, SIGINT);
  Op op;
  op.kind = kind == ResumeKind::kStep ? Op::Kind::kStep : Op::Kind::kContinue;
  op.set = kind == ResumeKind::kStep ? hardware_only(user_) : user_;
  return run_op(op);
}

namespace {
bool debug_positions() {
  static const bool on = getenv("RRTR_DEBUG_POSITIONS") != nullptr;
  return on;
}

std::string describe(const Position& p) {
  std::string s = fmt::format("event {}", p.boundary);
  for (const auto& op : p.ops) {
    s += op.kind == Op::Kind::kStep ? " s" : fmt::format(" c{}", op.set.software.size() + op.set.hardware.size());
    if (op.count > 1) s += fmt::format("x{}", op.count);
  }
  return s;
}
}  // namespace

StopEvent ReplayTarget::resume(Tid, Direction dir, ResumeKind kind, int) {
  if (debug_positions())
    fmt::print(stderr, "[{} {} from {} rip {:#x}]\n", dir == Direction::kForward ? "forward" : "reverse",
               kind == ResumeKind::kStep ? "step" : "continue", describe(now_), session_.exited() ? 0 : session_.task().regs().raw.rip);
  // The signal gdb asks to deliver is ignored: replay delivers what was recorded.
  const Position before = now_;
  const bool before_known = now_known_;
  try {
    if (dir == Direction::kForward)
      last_stop_ = forward(kind);
    else
      last_stop_ = kind == ResumeKind::kStep ? reverse_step() : reverse_continue();
  } catch (const Error& e) {
    // A failed search, or a divergence after gdb changed the program's state (an
    // inferior call that makes a syscall): say why and put the user back where they
    // were, on the recorded execution.
    fmt::print(stderr, "rr-test-runner: {}\n", e.what());
    if (!before_known) throw;
    goto_position(before);
    last_stop_ = stop_here(StopEvent::Kind::kSignal);
  }
  return last_stop_;
}

void ReplayTarget::request_interrupt() {
  interrupt_requested_ = true;  // kept until a resume consumes it
  if (pid_t pid = running_pid_.load(); pid > 0) ::kill(pid, SIGSTOP);
}

bool ReplayTarget::goto_failure(std::string* description) {
  // Find the event first, by reading the trace; then go there like any position.
  auto events = session_.trace().open_events();
  std::uint64_t index = 0;
  std::optional<std::uint64_t> target;
  std::optional<std::uint64_t> last_signal;
  while (auto e = events.next()) {
    if (auto* m = std::get_if<MarkerEvent>(&e->body); m && m->kind == RRTR_MARKER_ASSERTION_FAILED) {
      auto j = nlohmann::json::parse(m->payload, nullptr, false);
      if (j.is_object() && description)
        *description = fmt::format("{} failed at {}:{}: {}", j.value("name", "?"), j.value("file", "?"),
                                   j.contains("line") ? j["line"].dump() : "?", j.value("message", ""));
      target = index + 1;
      break;
    }
    if (std::holds_alternative<SignalEvent>(e->body)) last_signal = index;
    if (auto* x = std::get_if<ExitEvent>(&e->body); x && WaitStatus(x->wait_status).killed_by_signal() && last_signal) {
      if (description) *description = fmt::format("killed by {}", signal_name(WaitStatus(x->wait_status).fatal_signal()));
      target = *last_signal + 1;
      break;
    }
    ++index;
  }
  if (!target) return false;
  goto_position({*target, {}});
  last_stop_ = stop_here(StopEvent::Kind::kSignal);
  return true;
}

std::vector<Tid> ReplayTarget::threads() const { return {Tid{recorded_pid_.value}}; }

RegisterSnapshot ReplayTarget::read_registers(Tid) {
  RegisterSnapshot r;
  if (session_.exited()) return r;
  Task& task = session_.task();
  r.gpr = task.regs().raw;
  r.fp = task.fpregs();
  if (host_xcr0() & 4) {
    // The YMM upper halves live in the XSAVE area at the offset CPUID leaf 0xd.2 gives.
    std::string xsave(4096, '\0');
    struct iovec iov {xsave.data(), xsave.size()};
    if (ptrace(PTRACE_GETREGSET, session_.pid().value, NT_X86_XSTATE, &iov) == 0) {
      const std::uint32_t off = host_cpuid(0xd, 2).ebx;
      if (off + 256 <= iov.iov_len) {
        r.has_avx = true;
        std::memcpy(r.ymm_high.data(), xsave.data() + off, 256);
      }
    }
  }
  return r;
}

void ReplayTarget::write_registers(Tid, const RegisterSnapshot& regs) {
  if (session_.exited()) return;
  Op op;
  op.kind = Op::Kind::kWriteRegisters;
  op.regs = regs;
  apply_write(op);
}

std::string ReplayTarget::read_memory(RemotePtr addr, std::size_t len) {
  if (session_.exited()) return {};
  std::string out(len, '\0');
  out.resize(session_.task().try_read_mem(addr, out.data(), len));
  return out;
}

bool ReplayTarget::write_memory(RemotePtr addr, std::string_view bytes) {
  if (session_.exited()) return false;
  // Probe first: an unwritable address is refused, and is no op of the position.
  if (read_memory(addr, bytes.size()).size() != bytes.size()) return false;
  Op op;
  op.kind = Op::Kind::kWriteMemory;
  op.addr = addr.value();
  op.bytes = std::string(bytes);
  apply_write(op);
  return true;
}

bool ReplayTarget::insert_breakpoint(BreakpointType type, RemotePtr addr, std::size_t kind) {
  return user_.insert(type, addr.value(), kind);
}

bool ReplayTarget::remove_breakpoint(BreakpointType type, RemotePtr addr, std::size_t kind) {
  user_.remove(type, addr.value(), kind);
  return true;
}

siginfo_t ReplayTarget::last_siginfo(Tid) {
  if (last_stop_.kind == StopEvent::Kind::kSignal && last_stop_.signo != SIGTRAP) return last_siginfo_;
  siginfo_t si{};
  si.si_signo = SIGTRAP;
  si.si_code = TRAP_BRKPT;
  return si;
}

std::string ReplayTarget::auxv() { return session_.current_exec().auxv; }

std::string ReplayTarget::exec_file() { return session_.current_exec().exe; }

std::optional<std::string> ReplayTarget::file_contents(const std::string& path) {
  const auto& trace = session_.trace();
  auto id = trace.file_blob(path);
  if (!id) {
    // The program may name a file by a path whose symlinks the recorder resolved
    // (/lib -> /usr/lib): fall back to a unique match of the file name.
    const auto name = std::filesystem::path(path).filename().string();
    const auto files = trace.meta().value("files", nlohmann::json::object());
    for (auto it = files.begin(); it != files.end(); ++it) {
      if (std::filesystem::path(it.key()).filename() != name || !it.value().is_string()) continue;
      if (id) return std::nullopt;  // ambiguous
      id = BlobId::from_hex(it.value().get<std::string>());
    }
  }
  if (!id) return std::nullopt;
  return trace.blobs().get(*id);
}

std::optional<std::string> ReplayTarget::monitor(const std::string& command) {
  std::istringstream in(command);
  std::string word;
  in >> word;
  if (word == "when")
    // The op list is not shown: the same moment can be reached by different ones.
    return fmt::format("Current event: {}{}\n", now_.boundary,
                       now_.ops.empty() || session_.exited()
                           ? ""
                           : fmt::format(" (then stopped at pc {:#x})", session_.task().regs().raw.rip));
  if (word == "goto" || word == "go") {
    std::string arg;
    in >> arg;
    if (arg == "to") in >> arg;
    if (arg == "event") in >> arg;
    std::uint64_t n = 0;
    try {
      n = std::stoull(arg);
    } catch (...) {
      return std::string("usage: monitor goto N\n");
    }
    n = std::max<std::uint64_t>(n, start_.boundary);
    // The last position is just before the exit event.
    const std::uint64_t events = session_.trace().meta().value("events", std::uint64_t{0});
    if (events > 0) n = std::min<std::uint64_t>(n, events - 1);
    try {
      goto_position({n, {}});
    } catch (const Error& e) {
      return fmt::format("cannot go to event {}: {}\n", n, e.what());
    }
    last_stop_ = stop_here(StopEvent::Kind::kSignal);
    return fmt::format("Now at event {} (run `flushregs` to refresh gdb's view)\n", now_.boundary);
  }
  if (word == "checkpoint") {
    take_checkpoint();
    return fmt::format("{} checkpoints; newest at event {}\n", checkpoints_.size(), checkpoints_.back().pos.boundary);
  }
  if (word == "info") {
    std::string out = fmt::format("{} checkpoints:\n", checkpoints_.size());
    for (const auto& c : checkpoints_)
      out += fmt::format("  event {}{}\n", c.pos.boundary, c.pos.ops.empty() ? "" : fmt::format(" +{}", c.pos.ops.size()));
    return out;
  }
  if (word == "help" || word.empty())
    return std::string(
        "rr-test-runner monitor commands:\n"
        "  when            the current event\n"
        "  goto N          go to event N (forwards or backwards)\n"
        "  checkpoint      keep a checkpoint here\n"
        "  info            list checkpoints\n");
  return std::nullopt;
}

void ReplayTarget::restart() {
  goto_position(start_);
  last_stop_ = stop_here(StopEvent::Kind::kSignal);
}

}  // namespace rrtr
