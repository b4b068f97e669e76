// How ReplayTarget runs the replay: one resume, counted runs of an op, and the runs
// whose breakpoint hits the kernel counts.
#include "replay/replay_target.h"

#include <signal.h>
#include <sys/ptrace.h>

#include <fmt/format.h>

#include "common/error.h"
#include "common/stderr.h"
#include "replay/replay_target_detail.h"
#include "rrtr/marker_abi.h"
#include "ticks/breakpoint_counter.h"

namespace rrtr {

using namespace replay_detail;

namespace {
// The execution breakpoint the kernel counts: the set's last (a search's anchor is
// added last); nullopt if it has none.
std::optional<std::size_t> counted_execution_breakpoint(const BreakpointSet& set) {
  for (std::size_t i = set.hardware.size(); i-- > 0;)
    if (set.hardware[i].type == BreakpointType::kHardware) return i;
  return std::nullopt;
}
}  // namespace

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

WaitStatus ReplayTarget::resume_tracee(Resume how) {
  running_pid_ = session_.pid().value;  // a Ctrl-C meanwhile stops it (request_interrupt)
  WaitStatus st = session_.resume(how);
  running_pid_ = 0;
  return st;
}

std::optional<BreakpointCounter> ReplayTarget::open_counter(std::uint64_t addr, std::uint64_t stop_after,
                                                            std::string_view label) {
  auto counter = BreakpointCounter::open(session_.pid(), addr, stop_after);
  if (debug_positions()) print_stderr("[{} {:#x}: {}]\n", label, addr, counter ? "yes" : strerror(errno));
  if (!counter) kernel_counting_ = false;  // no perf breakpoints here: every trigger is a stop
  return counter;
}

std::optional<StopEvent> ReplayTarget::armed_trigger(const BreakpointSet& set, WaitStatus* other) {
  *other = resume_tracee(Resume::kCont);
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

std::optional<ReplayTarget::KernelCounted> ReplayTarget::run_kernel_counted(const BreakpointSet& set, std::uint64_t wanted) {
  if (!kernel_counting_) return std::nullopt;
  const auto k = counted_execution_breakpoint(set);
  if (!k) return std::nullopt;
  BreakpointSet rest = set;
  rest.hardware.erase(rest.hardware.begin() + static_cast<std::ptrdiff_t>(*k));
  auto counter = open_counter(set.hardware[*k].addr, wanted, fmt::format("kernel counting {} of", wanted));
  if (!counter) return std::nullopt;
  KernelCounted out;
  update_echo();
  {
    ArmedBreakpoints armed(session_.task(), rest);
    out.status = resume_tracee(Resume::kCont);
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
  auto counter = open_counter(anchor, kCheckpointEveryKernelCount, "kernel count of");
  if (!counter) return std::nullopt;
  const Position from = now_;
  for (;;) {
    throw_if_interrupted();
    WaitStatus st;
    {
      ArmedBreakpoints armed(session_.task(), arrival);
      st = resume_tracee(Resume::kCont);
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
  std::uint64_t previous = done;  // the trigger the last round ended at
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
    now_ = base;
    now_.ops.push_back(op.times(j));
    // Searches pass hot loops once per iteration: a checkpoint now and then makes the
    // next trip to a position part-way cheap (also after the kernel counted a long way).
    if (op.kind == Op::Kind::kContinue && (j % kCheckpointEveryTriggers == 0 || j - previous >= kCheckpointEveryTriggers)) {
      armed.reset();
      take_checkpoint(true);
    }
    previous = j;
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
      st = resume_tracee(op.kind == Op::Kind::kStep ? Resume::kSingleStep : Resume::kCont);
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

}  // namespace rrtr
