// ReplayTarget: what gdb sees (registers, memory, breakpoints, monitor commands) and
// positions (checkpoints, going to a position). Runs are in replay_runs.cc, going
// backwards in reverse_search.cc.
#include "replay/replay_target.h"

#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/error.h"
#include "common/stderr.h"
#include "cpu/cpuid.h"
#include "ptrace/syscall_buffer.h"
#include "rrtr/marker_abi.h"
#include "replay/replay_target_detail.h"

namespace rrtr {

using namespace replay_detail;

ReplayTarget::ReplayTarget(const std::filesystem::path& trace_dir)
    : session_(trace_dir, ReplayOptions{.echo_stdio = true, .queue_buffered_calls = false}) {
  if (session_.exited())
    fail(ExitCode::kBadInput, "the program was killed in its start-up, before the recording's first event: there is nothing to debug");
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
    return s->nr == r.syscallno() && s->args == r.args() && s->ip == r.raw.rip &&
           (s->replay != SyscallReplay::kBuffered || buffered_caller(r) == s->regs_hash);
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
  for (; i < target.ops.size() && now_known_; ++i) run_op(target.ops[i]);
  end_reported_ = false;
  if (!now_known_) throw Error(ExitCode::kUnsupported, "interrupted");  // a Ctrl-C on the way
  if (!(now_ == target)) fail(ExitCode::kInternal, "could not return to a replay position at event {}", target.boundary);
}

StopEvent ReplayTarget::forward(ResumeKind kind) {
  // A Ctrl-C that came while no resume ran stops the next one before it starts.
  if (interrupt_requested_.exchange(false)) return stop_here(StopEvent::Kind::kSignal, SIGINT);
  Op op;
  op.kind = kind == ResumeKind::kStep ? Op::Kind::kStep : Op::Kind::kContinue;
  op.set = kind == ResumeKind::kStep ? hardware_only(user_) : user_;
  return run_op(op);
}

StopEvent ReplayTarget::resume(Tid, Direction dir, ResumeKind kind, int) {
  if (debug_positions())
    print_stderr("[{} {} from {} rip {:#x}]\n", dir == Direction::kForward ? "forward" : "reverse",
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
    print_stderr("rr-test-runner: {}\n", e.what());
    if (!before_known) throw;
    try {
      goto_position(before);
      last_stop_ = stop_here(StopEvent::Kind::kSignal);
    } catch (const Error& again) {
      // A second Ctrl-C while going back: stay where that left us, an unknown
      // position (reverse commands refused until the next stop), as after any Ctrl-C.
      if (again.status() != ExitCode::kUnsupported) throw;
      now_known_ = false;
      last_stop_ = stop_here(StopEvent::Kind::kSignal, SIGINT);
    }
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
    const std::string xsave = task.xstate();
    const std::uint32_t off = host_cpuid(0xd, 2).ebx;
    if (off + 256 <= xsave.size()) {
      r.has_avx = true;
      std::memcpy(r.ymm_high.data(), xsave.data() + off, 256);
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
