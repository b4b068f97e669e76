#include "replay/replay_session.h"

#include <asm/prctl.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/rseq.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include "common/hash.h"

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "common/interrupt.h"
#include "cpu/cpuid.h"
#include "cpu/trapped_instruction.h"
#include "ptrace/remote_syscalls.h"
#include "ptrace/rrtr_page.h"
#include "ptrace/seccomp_filter.h"
#include "ptrace/syscall_buffer.h"
#include "replay/buffered_queue.h"
#include "replay/address_space_builder.h"
#include "rrtr/marker_abi.h"
#include "syscalls/out_fns.h"
#include "syscalls/syscall_table.h"

namespace rrtr {

namespace {

// The child side of a replay: a process that arms the same traps and filter as a
// recorded one, maps the engine page, and hands itself over. Its own code and data are
// unmapped by the replayer before the recorded program's first instruction runs.
// Nothing of the replayer's own signal state (its Ctrl-C handlers, an ASan replayer's
// alternate stack) is left for the program: the snapshot's is set over a clean one.
void clear_signal_state() {
  for (int sig = 1; sig <= 64; ++sig) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    struct sigaction sa {};
    sa.sa_handler = SIG_DFL;
    sigaction(sig, &sa, nullptr);  // glibc's own (32, 33) refuse: they are never caught by programs
  }
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  stack_t off{};
  off.ss_flags = SS_DISABLE;
  sigaltstack(&off, nullptr);
}

[[noreturn]] void replay_child(const std::vector<sock_filter>& filter, bool cpuid_faulting) {
  setpgid(0, 0);  // terminal signals (Ctrl-C) are for the replayer, not the replayed program
  clear_signal_state();
  struct rlimit no_core {0, 0};
  setrlimit(RLIMIT_CORE, &no_core);  // a replayed crash must not write a core file
  // This child is a fork of the replayer, whose glibc registered an rseq area: the
  // kernel would write to it on every return to user space, after the replayer has
  // unmapped it, and kill the replay with SIGSEGV.
  // glibc registers a 32-byte area (struct rseq) even when __rseq_size says 20.
  if (__rseq_size > 0)
    syscall(SYS_rseq, reinterpret_cast<char*>(__builtin_thread_pointer()) + __rseq_offset, sizeof(struct rseq),
            1 /* RSEQ_FLAG_UNREGISTER */, RSEQ_SIG);
  if (prctl(PR_SET_TSC, PR_TSC_SIGSEGV) != 0) child_setup_failed("prctl(PR_SET_TSC) to trap rdtsc");
  if (cpuid_faulting && syscall(SYS_arch_prctl, ARCH_SET_CPUID, 0) != 0)
    child_setup_failed("arch_prctl(ARCH_SET_CPUID) to trap cpuid");
  using namespace rrtr_page;
  void* page = mmap(reinterpret_cast<void*>(kAddr.value()), kSize, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (page != reinterpret_cast<void*>(kAddr.value())) child_setup_failed("mmap of the engine page");
  std::memcpy(page, kGadgetBytes, sizeof kGadgetBytes);
  mprotect(page, kPageSize, PROT_READ | PROT_EXEC);
  if (!install_seccomp_filter(filter)) child_setup_failed("installing the replay's seccomp filter");
  syscall(kReplayReadySyscall);
  _exit(126);
}

std::string describe_call(std::int64_t nr, const std::array<std::uint64_t, 6>& a, std::uint64_t ip) {
  return fmt::format("{}({:#x}, {:#x}, {:#x}, {:#x}, {:#x}, {:#x}) at rip {:#x}", syscall_name(nr), a[0], a[1], a[2],
                     a[3], a[4], a[5], ip);
}

}  // namespace

ReplaySession::ReplaySession(const std::filesystem::path& trace_dir, ReplayOptions options)
    : trace_(trace_dir), options_(options), events_(trace_.open_events()), blobs_(trace_.blobs()) {
  install_interrupt_handlers();
  check_host();
  start();
}

ReplaySession::~ReplaySession() = default;

void ReplaySession::check_host() const {
  trace_.check_replayable();
  const auto& cpu = trace_.meta().value("cpu", nlohmann::json::object());
  const bool faulting = cpu.value("cpuid_faulting", false);
  if (faulting && !cpuid_faulting_supported())
    fail(ExitCode::kHostMismatch,
         "the trace was recorded with CPUID faulting, which this machine lacks: the recorded CPUID answers cannot be fed back");
  // The recording's start-up ran with the real CPUID: ld.so's choices (string
  // functions) may use any feature the recording's host has.
  auto missing = missing_features(cpu.value("features", nlohmann::json::object()), exposed_feature_registers(false));
  if (!missing.empty()) {
    std::string names;
    for (const auto& m : missing) names += (names.empty() ? "" : ", ") + m;
    fail(ExitCode::kHostMismatch, "this CPU lacks {} which the recording used; replay it on a CPU with {}", names,
         missing.size() == 1 ? "that feature" : "those features");
  }
  const std::uint64_t xcr0 = cpu.value("xcr0", std::uint64_t{0});
  if (xcr0 != host_xcr0())
    fail(ExitCode::kHostMismatch, "this CPU saves a different register state (XCR0 {:#x}, recorded {:#x}): signal frames would differ",
         host_xcr0(), xcr0);
  if (!faulting && cpu.value("signature", std::uint64_t{0}) != cpuid_signature())
    fail(ExitCode::kHostMismatch,
         "this CPU ({}) answers CPUID differently from the recording's ({}); a trace recorded without CPUID faulting "
         "replays only on the same CPU model",
         host_cpu_model(), cpu.value("model", std::string("unknown")));
}

const Event* ReplaySession::peek_event() {
  if (!peeked_) peeked_ = events_.next();
  return peeked_ ? &*peeked_ : nullptr;
}

void ReplaySession::start() {
  const Event* first = peek_event();
  if (!first && trace_.complete()) fail(ExitCode::kTraceCorrupt, "trace corrupted: it holds no event");
  if (!first) take_event();  // throws: an incomplete trace, ended before its first event
  if (const auto* exit = std::get_if<ExitEvent>(&first->body)) {
    // Killed (SIGKILL) in its start-up, before the recording's first event: no process
    // to replay, only its end.
    exit_status_ = WaitStatus(exit->wait_status).shell_status();
    return;
  }
  if (!std::holds_alternative<ExecEvent>(first->body))
    fail(ExitCode::kTraceCorrupt, "trace corrupted: it does not start with the program's exec");
  const auto filter = build_seccomp_filter(BufferedGadget::kTrace);
  const bool faulting = trace_.meta()["cpu"].value("cpuid_faulting", false);
  // The recording's CPU where we may use it: without CPUID faulting the program reads
  // the real CPUID, whose APIC id field names the CPU it runs on.
  int cpu = trace_.meta()["cpu"].value("index", -1);
  if (!cpu_allowed(cpu)) cpu = choose_cpu();
  proc_ = std::make_unique<TraceeProcess>(cpu, [&] { replay_child(filter, faulting); });
  set_interrupt_victim(proc_->pid().value);
  Task& task = proc_->task();
  task.resume(Resume::kCont);
  WaitStatus st = task.wait();
  if (!st.is_seccomp_stop() || task.regs().syscallno() != kReplayReadySyscall) {
    if (auto why = st.is_gone() ? proc_->setup_failure() : std::nullopt)
      fail(ExitCode::kHostRefused, "cannot start the replay process: {}", *why);
    fail(ExitCode::kInternal, "the replay process did not start ({})", st.describe());
  }
  Event exec = std::move(*peeked_);
  peeked_.reset();
  {
    RemoteSyscalls rs(task);
    rebuild_address_space(task, rs, std::get<ExecEvent>(exec.body), blobs_);
  }
  enable_syscall_buffer(task, buffer_flags() | RRTR_BUFFER_REPLAY);
  fill_queue();
  current_exec_ = std::get<ExecEvent>(exec.body);
  if (current_exec_.brk) brk_end_ = current_exec_.brk;
  recorded_tid_ = exec.tid;
  cursor_index_ = 1;
  pending_ = {};
}

WaitStatus ReplaySession::resume(Resume how) {
  Task& task = proc_->task();
  task.resume(how, pending_.sig);
  pending_ = {};
  signal_injected_ = false;
  WaitStatus st = task.wait();
  if (st.is_gone()) proc_->mark_reaped();
  return st;
}

std::string ReplaySession::describe_stop(const WaitStatus& st) {
  if (st.is_gone()) return st.describe();
  Registers r = proc_->task().regs();
  if (st.is_seccomp_stop() || st.is_syscall_stop()) return describe_call(r.syscallno(), r.args(), r.raw.rip);
  if (int sig = st.delivered_signal()) return fmt::format("signal {} at rip {:#x}", signal_name(sig), r.raw.rip);
  return fmt::format("{} at rip {:#x}", st.describe(), r.raw.rip);
}

void ReplaySession::diverged(const std::string& expected, const std::string& got) {
  fail(ExitCode::kDiverged, "replay diverged at event {}: expected {}, got {}", cursor_index_, expected, got);
}

void ReplaySession::expect_syscall_stop(const WaitStatus& st, std::int64_t nr, const std::string& expected) {
  if (!st.is_seccomp_stop() || proc_->task().regs().syscallno() != nr) diverged(expected, describe_stop(st));
}

void ReplaySession::verify_syscall(const Registers& regs, const SyscallEvent& e) {
  const std::string expected = describe_call(e.nr, e.args, e.ip);
  if (regs.args() != e.args || regs.raw.rip != e.ip)
    diverged(expected, describe_call(regs.syscallno(), regs.args(), regs.raw.rip));
  // A buffered call's registers were never seen while recording: its call site was.
  if (e.replay == SyscallReplay::kBuffered) {
    if (buffered_caller(regs) != e.regs_hash)
      diverged(fmt::format("{} called from {:#x}", expected, e.regs_hash),
               fmt::format("a call from {:#x}", buffered_caller(regs)));
  } else if (regs.observable_hash() != e.regs_hash) {
    diverged(expected + " with the recorded registers", "other register values");
  }
}

void ReplaySession::emulate_result(Registers regs, std::int64_t result) {
  regs.set_syscallno(-1);
  regs.set_result(result);
  proc_->task().set_regs(regs);
}

bool ReplaySession::signal_follows() {
  const Event* next = peek_event();
  const auto* s = next ? std::get_if<SignalEvent>(&next->body) : nullptr;
  return s && s->kind == SignalKind::kAfterSyscall;
}

void ReplaySession::inject_following_signal() {
  const Event* next = peek_event();
  if (!next) return;
  if (auto* s = std::get_if<SignalEvent>(&next->body); s && s->kind == SignalKind::kAfterSyscall) {
    proc_->task().tgkill(proc_->pid(), s->signo);
    signal_injected_ = true;
  }
}

void ReplaySession::check_and_echo_written(const SyscallEvent& e, const Registers& regs) {
  const auto* info = find_syscall(e.nr);
  if (!e.data_hash || !info) return;
  check_and_echo(e, written_bytes(*info, proc_->task(), regs, e.result));
}

void ReplaySession::check_and_echo(const SyscallEvent& e, std::string_view bytes) {
  if (!e.data_hash) return;
  if (hash64(bytes) != e.data_hash)
    diverged(fmt::format("{} of the recorded {} bytes", syscall_name(e.nr), e.result), "different bytes");
  if (!options_.echo_stdio || !e.echo_fd) return;
  std::size_t off = 0;
  while (off < bytes.size()) {
    ssize_t n = ::write(e.echo_fd, bytes.data() + off, bytes.size() - off);
    if (n <= 0) return;  // our own stdout is gone (closed pipe): the replay goes on
    off += static_cast<std::size_t>(n);
  }
}

void ReplaySession::remote_brk(const SyscallEvent& e) {
  const auto result = static_cast<std::uint64_t>(e.result);
  const bool moves = brk_end_ && page_up(result) != page_up(*brk_end_);
  if (!moves) {
    brk_end_ = result;
    emulate_result(proc_->task().regs(), e.result);
    return;
  }
  RemoteSyscalls rs(proc_->task());
  {
    const std::uint64_t old_top = page_up(*brk_end_), new_top = page_up(result);
    if (new_top > old_top)
      rs.checked("mmap for brk", SYS_mmap,
                 {old_top, new_top - old_top, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
                  static_cast<std::uint64_t>(-1), 0});
    else if (new_top < old_top)
      rs.checked("munmap for brk", SYS_munmap, {new_top, old_top - new_top});
  }
  brk_end_ = result;
  rs.saved_regs().set_result(e.result);
  rs.saved_regs().set_syscallno(-1);  // the call itself was abandoned
}

void ReplaySession::apply_syscall(const SyscallEvent& e, const WaitStatus& st) {
  Task& task = proc_->task();
  expect_syscall_stop(st, e.nr, describe_call(e.nr, e.args, e.ip));
  Registers regs = task.regs();
  verify_syscall(regs, e);
  // rt_sigreturn "returns" the interrupted code's rax, which may look like an error
  // (a write's -EPIPE before its SIGPIPE's handler): it always runs.
  const bool failed = e.nr != SYS_rt_sigreturn && e.result < 0 && e.result > -4096;
  switch (e.replay) {
    case SyscallReplay::kEmulate:
    case SyscallReplay::kBuffered:
      for (const auto& w : e.writes) task.write_mem(w.addr, w.bytes);
      check_and_echo_written(e, regs);
      emulate_result(regs, e.result);
      if (e.replay == SyscallReplay::kBuffered && signal_follows()) mark_call_recorded(task);
      break;
    case SyscallReplay::kExit:
      break;  // runs for real: the process ends with the recorded status
    case SyscallReplay::kExecute:
    case SyscallReplay::kMremap:
    case SyscallReplay::kMmap: {
      if (failed) {
        emulate_result(regs, e.result);
        break;
      }
      if (e.replay == SyscallReplay::kMmap && !e.mapped_file.is_null()) {
        RemoteSyscalls rs(task);
        // ld.so maps a library in several pieces: its file stays open in the replayed
        // process, where no call of the program's reaches a real descriptor (they are
        // all emulated), so each piece costs one remote call.
        auto [it, fresh] = tracee_blob_fds_.try_emplace(e.mapped_file, 0);
        if (fresh)
          it->second = rs.checked("open of a mapped blob", SYS_open,
                                  {rs.put_string(blobs_.tracee_path(e.mapped_file)).value(), O_RDONLY | O_CLOEXEC});
        const std::int64_t mapped = rs.call(SYS_mmap, {static_cast<std::uint64_t>(e.result), e.args[1], e.args[2],
                                                       MAP_PRIVATE | MAP_FIXED, it->second, e.args[5]});
        if (mapped != e.result)
          diverged(fmt::format("mmap of a recorded file to return {:#x}", e.result), fmt::format("{}", mapped));
        rs.saved_regs().set_result(e.result);
        rs.saved_regs().set_syscallno(-1);
        break;
      }
      const Registers entry = regs;
      if (e.replay == SyscallReplay::kMmap) {
        regs.set_arg(0, static_cast<std::uint64_t>(e.result));
        regs.set_arg(3, (regs.arg(3) & ~static_cast<std::uint64_t>(MAP_FIXED_NOREPLACE)) | MAP_FIXED);
      } else if (e.replay == SyscallReplay::kMremap && static_cast<std::uint64_t>(e.result) != e.args[0]) {
        regs.set_arg(3, regs.arg(3) | MREMAP_MAYMOVE | MREMAP_FIXED);
        regs.set_arg(4, static_cast<std::uint64_t>(e.result));
      }
      task.set_regs(regs);
      inject_following_signal();  // before it runs: rt_sigsuspend only returns on a signal
      task.resume(Resume::kSyscall);
      WaitStatus done = task.wait();
      signal_injected_ = false;  // consumed by the call itself, or about to be delivered
      if (!done.is_syscall_stop()) diverged(fmt::format("the exit of {}", syscall_name(e.nr)), describe_stop(done));
      if (task.regs().result() != e.result)
        diverged(fmt::format("{} to return {}", syscall_name(e.nr), e.result),
                 fmt::format("{}", task.regs().result()));
      if (entry.args() != regs.args()) {  // the program must not see the rewritten arguments
        Registers back = task.regs();
        for (int i = 0; i < 6; ++i) back.set_arg(i, entry.arg(i));
        task.set_regs(back);
      }
      return;  // the signal, if any, is already on its way
    }
    case SyscallReplay::kBrk:
      remote_brk(e);
      break;
  }
  inject_following_signal();
}

void ReplaySession::apply_exec(const ExecEvent& e, const WaitStatus& st) {
  Registers regs = proc_->task().regs();
  if (!st.is_seccomp_stop() || (regs.syscallno() != SYS_execve && regs.syscallno() != SYS_execveat))
    diverged(fmt::format("an exec of {}", e.exe), describe_stop(st));
  RemoteSyscalls rs(proc_->task());
  rebuild_address_space(proc_->task(), rs, e, blobs_);
  enable_syscall_buffer(proc_->task(), buffer_flags() | RRTR_BUFFER_REPLAY);
  log_seen_ = 0;
  queued_ = 0;
  brk_end_.reset();
  current_exec_ = e;
}

void ReplaySession::apply_signal(const SignalEvent& e, const WaitStatus& st) {
  Task& task = proc_->task();
  const std::string expected = fmt::format("signal {} at rip {:#x}", signal_name(e.signo), e.regs.raw.rip);
  if (st.delivered_signal() != e.signo) diverged(expected, describe_stop(st));
  // A fault is the program's own doing: all its registers are the recording's (a stack
  // overflow at another depth faults at the same rip with another rsp).
  if (e.kind == SignalKind::kFault) {
    if (task.regs().raw.rip != e.regs.raw.rip) diverged(expected, describe_stop(st));
    if (task.regs().observable_hash() != e.regs.observable_hash()) diverged(expected + " with the recorded registers", "other register values");
  }
  // For a signal that ended a syscall, these registers carry the syscall number and
  // the -ERESTART* code, so the kernel restarts or fails the call exactly as recorded.
  task.set_regs(e.regs);
  task.set_siginfo(e.info);
  pending_ = {Resume::kCont, e.signo};
}

void ReplaySession::apply_trap(const InstructionTrapEvent& e, const WaitStatus& st) {
  Task& task = proc_->task();
  const std::string expected = fmt::format("a trapped instruction at rip {:#x}", e.ip);
  if (st.delivered_signal() != SIGSEGV || task.regs().raw.rip != e.ip) diverged(expected, describe_stop(st));
  auto insn = decode_trapped_instruction(task, task.siginfo());
  if (insn != e.insn) diverged(expected, "another instruction");
  Registers regs = task.regs();
  apply_trapped_instruction(e, regs);
  task.set_regs(regs);
}

void ReplaySession::apply_marker(const MarkerEvent&, const WaitStatus& st) {
  expect_syscall_stop(st, RRTR_MARKER_SYSCALL, "a test marker");
  emulate_result(proc_->task().regs(), -ENOSYS);
  inject_following_signal();
}

namespace {
bool is_buffered(const Event& e) {
  const auto* s = std::get_if<SyscallEvent>(&e.body);
  return s && s->replay == SyscallReplay::kBuffered;
}

bool killed_from_outside(const Event& e) {
  const auto* x = std::get_if<ExitEvent>(&e.body);
  return x && WaitStatus(x->wait_status).killed_by_signal() && WaitStatus(x->wait_status).fatal_signal() == SIGKILL;
}
}  // namespace

WaitStatus ReplaySession::kill_tracee() {
  ::kill(proc_->pid().value, SIGKILL);
  WaitStatus st = proc_->task().wait();
  while (!st.is_gone()) {
    proc_->task().resume(Resume::kCont);
    st = proc_->task().wait();
  }
  proc_->mark_reaped();
  return st;
}

void ReplaySession::apply_exit(const ExitEvent& e, const WaitStatus& st_in) {
  WaitStatus want(e.wait_status);
  // Killed from outside: the recording saw no more events, so the program dies at the
  // first stop after the last one, as it did then.
  const WaitStatus st = !st_in.is_gone() && killed_from_outside(Event{{}, e}) ? kill_tracee() : st_in;
  if (!st.is_gone() || st.raw() != e.wait_status) diverged(want.describe(), describe_stop(st));
  exit_status_ = st.shell_status();
}

Event ReplaySession::take_event() {
  const Event* next = peek_event();
  if (!next) {
    const std::string reason = trace_.meta().value("incomplete_reason", std::string("no exit event"));
    fail(ExitCode::kIncompleteTrace,
         "the trace is incomplete ({}{}); replayed {} events up to where the recording ends", reason,
         events_.truncated() ? ", events cut short" : "", cursor_index_);
  }
  Event ev = std::move(*peeked_);
  peeked_.reset();
  return ev;
}

std::uint32_t ReplaySession::buffer_flags() const {
  return trace_.meta().value("syscall_buffer_flags", std::uint32_t{0});
}

void ReplaySession::fill_queue() {
  if (!options_.queue_buffered_calls || !(buffer_flags() & RRTR_BUFFER_HOOKS) || exit_status_) return;
  const Event* first = peek_event();
  if (!first || !is_buffered(*first)) return;
  QueueBuilder queue;
  // The run of buffered calls is queued only when an event that stops the program ends
  // it: after the last event of a program killed from outside, or of a partial trace,
  // the calls are answered at the gadget, so that the replay stops where the trace does.
  // A call followed by a signal delivered as it returned is left to the gadget too: the
  // signal is sent at its stop.
  bool ends_at_a_stop = false;
  std::optional<Event> pending = *first;
  const auto back = events_.tell();
  try {
    while (auto ev = events_.next()) {
      if (std::holds_alternative<SignalEvent>(ev->body)) {
        ends_at_a_stop = true;  // `pending` stops at the gadget
        break;
      }
      if (!queue.add(std::get<SyscallEvent>(pending->body))) break;
      if (!is_buffered(*ev)) {
        ends_at_a_stop = !killed_from_outside(*ev);
        break;
      }
      pending = std::move(ev);
    }
  } catch (const Error&) {  // a damaged event further on is reported when the replay gets there
  }
  events_.seek(back);
  if (!ends_at_a_stop || queue.count() == 0) return;
  queue.write_to(proc_->task());
  queued_ = queue.count();
}

void ReplaySession::settle_buffered_calls() {
  if (queued_ == 0) return;
  auto logged = read_log_since(proc_->task(), log_seen_);
  log_seen_ = logged.end;
  for (const auto& c : logged.calls) {
    if (!(c.flags & RRTR_RECORD_QUEUED)) continue;  // made at the gadget: applied at its stop
    const Event* next = peek_event();
    if (queued_ == 0 || !next || !is_buffered(*next))
      diverged("no call answered from the queue", fmt::format("{} answered from it", syscall_name(c.nr)));
    Event ev = take_event();
    const auto& e = std::get<SyscallEvent>(ev.body);
    if (c.nr != e.nr || c.args != e.args || c.result != e.result)
      diverged(describe_call(e.nr, e.args, e.ip), describe_call(c.nr, c.args, e.ip));
    const auto* written = c.region(RRTR_REGION_WRITTEN);
    check_and_echo(e, written ? written->bytes : std::string_view());
    --queued_;
    ++cursor_index_;
  }
}

void ReplaySession::apply_event(const WaitStatus& st) {
  settle_buffered_calls();
  Event ev = take_event();
  // The recorder took the preload's log at the stop of every event but a buffered call
  // (an exec starts a fresh one, an exit has no memory left): so does the replay. After
  // each of them the buffered calls up to the next one are queued.
  const auto* call = std::get_if<SyscallEvent>(&ev.body);
  const bool takes_log = (call && call->replay != SyscallReplay::kBuffered) ||
                         std::holds_alternative<SignalEvent>(ev.body) ||
                         std::holds_alternative<InstructionTrapEvent>(ev.body) ||
                         std::holds_alternative<MarkerEvent>(ev.body);
  if (takes_log) {
    empty_syscall_buffer(proc_->task());
    log_seen_ = 0;
  }
  std::visit(
      [&](const auto& body) {
        using T = std::decay_t<decltype(body)>;
        if constexpr (std::is_same_v<T, SyscallEvent>) apply_syscall(body, st);
        else if constexpr (std::is_same_v<T, ExecEvent>) apply_exec(body, st);
        else if constexpr (std::is_same_v<T, SignalEvent>) apply_signal(body, st);
        else if constexpr (std::is_same_v<T, InstructionTrapEvent>) apply_trap(body, st);
        else if constexpr (std::is_same_v<T, MarkerEvent>) apply_marker(body, st);
        else apply_exit(body, st);
      },
      ev.body);
  ++cursor_index_;
  const bool starts_run = takes_log || std::holds_alternative<ExecEvent>(ev.body);
  last_applied_ = std::move(ev);
  if (starts_run) fill_queue();
}

bool ReplaySession::step_event() {
  if (exit_status_) return false;
  if (!peek_event()) take_event();  // throws: the trace ends here
  // Nothing the program did after its last event was recorded before the kill: it dies
  // now rather than running on (forever, in a loop without syscalls).
  if (killed_from_outside(*peek_event())) {
    apply_event(kill_tracee());
    return false;
  }
  apply_event(resume(Resume::kCont));
  return !exit_status_;
}

ReplaySession::State ReplaySession::save_state() {
  State s;
  s.reader = events_.tell();
  s.peeked = peeked_;
  s.cursor = cursor_index_;
  s.how = pending_.how;
  s.sig = pending_.sig;
  s.brk_end = brk_end_;
  s.exit_status = exit_status_;
  s.signal_injected = signal_injected_;
  s.exec = current_exec_;
  s.log_seen = log_seen_;
  s.queued = queued_;
  s.blob_fds = tracee_blob_fds_;
  if (!exit_status_) s.regs = proc_->task().regs();
  return s;
}

std::unique_ptr<TraceeProcess> ReplaySession::fork_tracee() { return fork_stopped_tracee(proc_->task()); }

void ReplaySession::restore(const State& s, std::unique_ptr<TraceeProcess> proc) {
  proc_ = std::move(proc);
  set_interrupt_victim(proc_->pid().value);
  events_.seek(s.reader);
  peeked_ = s.peeked;
  cursor_index_ = s.cursor;
  pending_ = {s.how, s.sig};
  brk_end_ = s.brk_end;
  exit_status_ = s.exit_status;
  signal_injected_ = false;
  current_exec_ = s.exec;
  log_seen_ = s.log_seen;
  queued_ = s.queued;
  tracee_blob_fds_ = s.blob_fds;
  if (exit_status_) return;
  proc_->task().set_regs(s.regs);
  // A fork does not inherit pending signals: send the one meant for the next event again.
  if (s.signal_injected) inject_following_signal();
}

std::optional<FailureStop> ReplaySession::run_to_failure() {
  for (;;) {
    if (!peek_event()) {
      step_event();  // reports the incomplete trace
      return std::nullopt;
    }
    // A step may answer queued calls first: what matters is the event it stopped at.
    if (!step_event()) return std::nullopt;
    const Event& applied = *last_applied_;
    const std::uint64_t at = cursor_index_ - 1;
    const auto* marker = std::get_if<MarkerEvent>(&applied.body);
    const bool failure_marker = marker && marker->kind == RRTR_MARKER_ASSERTION_FAILED;
    const auto* signal = std::get_if<SignalEvent>(&applied.body);
    std::string description;
    if (failure_marker) {
      auto j = nlohmann::json::parse(marker->payload, nullptr, false);
      if (j.is_object())
        description = fmt::format("{} failed at {}:{}: {}", j.value("name", "?"), j.value("file", "?"),
                                  j.contains("line") ? j["line"].dump() : "?", j.value("message", ""));
    }
    if (signal)
      description = fmt::format("{} at rip {:#x}", signal_name(signal->signo), signal->regs.raw.rip);
    if (failure_marker) return FailureStop{at, description};
    if (signal) {
      const Event* after = peek_event();
      const auto* exit = after ? std::get_if<ExitEvent>(&after->body) : nullptr;
      if (exit && WaitStatus(exit->wait_status).killed_by_signal()) return FailureStop{at, "fatal " + description};
    }
  }
}

int ReplaySession::run_to_end() {
  while (step_event()) {
  }
  return *exit_status_;
}

}  // namespace rrtr
