#include "record/recorder.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <span>

#include <fmt/chrono.h>

#include "common/cpu_sets.h"
#include "common/error.h"
#include "common/files.h"
#include "common/hash.h"
#include "common/interrupt.h"
#include "common/stderr.h"
#include "common/unique_fd.h"
#include "cpu/cpuid.h"
#include "cpu/trapped_instruction.h"
#include "ptrace/rrtr_page.h"
#include "ptrace/seccomp_filter.h"
#include "ptrace/syscall_buffer.h"
#include "ptrace/tracee_process.h"
#include "rrtr/marker_abi.h"
#include "rrtr/syscall_buffer_abi.h"
#include "record/exec_snapshot.h"
#include "record/trace_opening.h"
#include "record/signal_classifier.h"
#include "record/stdio_tracker.h"
#include "syscalls/out_fns.h"
#include "syscalls/syscall_table.h"
#include "ticks/tick_backend.h"
#include "trace/trace_dir.h"

extern char** environ;

namespace rrtr {

namespace {

// The event of a call the preload made at the buffered gadget: its registers were
// never seen, its call site stands in for them (trace-format.md).
SyscallEvent buffered_event(std::int64_t nr, const std::array<std::uint64_t, 6>& args, std::uint64_t caller,
                            std::int64_t result) {
  SyscallEvent e;
  e.nr = nr;
  e.args = args;
  e.ip = rrtr_page::kBufferedGadgetIp.value();
  e.regs_hash = caller;
  e.result = result;
  e.replay = SyscallReplay::kBuffered;
  return e;
}

// The kernel's "interrupted, restart me" results (include/linux/errno.h, not exported).
bool is_restart_code(std::int64_t r) { return r == -512 || r == -513 || r == -514 || r == -516; }

std::string now_rfc3339() {
  auto t = std::chrono::system_clock::now();
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", std::chrono::floor<std::chrono::seconds>(t));
}

nlohmann::json initial_meta(const RecordOptions& o, const std::filesystem::path& exe, const TickBackendInfo& ticks,
                            bool faulting, const std::vector<std::string>& env) {
  nlohmann::json m;
  m["tool_version"] = RRTR_VERSION;
  m["argv"] = o.argv;
  m["env"] = env;
  std::error_code ec;
  m["cwd"] = std::filesystem::current_path(ec).string();
  m["exe"] = exe.string();
  struct utsname u {};
  uname(&u);
  m["host"] = {{"kernel", u.release}, {"machine", u.machine}};
  m["cpu"] = {{"model", host_cpu_model()},
              {"xcr0", host_xcr0()},
              // The start-up (ld.so choosing string functions) runs with the real CPUID.
              {"features", exposed_feature_registers(false)},
              {"signature", cpuid_signature()},
              {"cpuid_faulting", faulting}};
  m["tick_backend"] = ticks.name;
  m["pmu_present"] = ticks.pmu_present;
  m["started_at"] = now_rfc3339();
  return m;
}

bool is_executable_format(const std::filesystem::path& p) {
  UniqueFd fd(::open(p.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return false;
  char head[4] = {};
  ssize_t n = ::read(fd.get(), head, sizeof head);
  return (n == 4 && std::memcmp(head, "\x7f" "ELF", 4) == 0) || (n >= 2 && head[0] == '#' && head[1] == '!');
}

// execve's NULL-terminated arrays, pointing into `strings`.
std::vector<char*> c_strings(const std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (const auto& s : strings) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

// One recording session of one process.
class Recorder {
 public:
  // `first_buffer`: the syscall buffer the program inherited across its exec.
  Recorder(TraceOpening& trace, TraceeProcess& proc, std::string exe, bool cpuid_faulting, std::uint32_t buffer_flags,
           const std::vector<sock_filter>& startup_filter, const std::vector<sock_filter>& recording_filter,
           std::unique_ptr<SharedSyscallBuffer> first_buffer)
      : trace_opening_(trace),
        proc_(proc),
        task_(proc.task()),
        exe_(std::move(exe)),
        cpuid_faulting_(cpuid_faulting),
        buffer_flags_(buffer_flags),
        startup_filter_(startup_filter),
        recording_filter_(recording_filter),
        buffer_(std::move(first_buffer)) {}

  // From the stop after the program's exec (TraceeProcess::spawn_program) to its end.
  int run();
  std::optional<WaitStatus> exit_status() const { return exit_status_; }
  // The calls the preload logged since the last event become events, before the event
  // of this stop (syscall_buffer.h: only at stops that append one). Also after the
  // end, interrupted or not: committed records are whole, whatever happened since.
  void flush_buffered_calls();

 private:
  // Nothing is appended once an interrupt came: the handler may have killed the
  // tracee while the event was being read, leaving it wrong (a failed memory read, an
  // answer that could not be written). The trace ends at the event before.
  void append(EventBody body) {
    fail_if_interrupted();
    trace().append(Event{task_.tid(), std::move(body)});
  }

  void append_buffered(const BufferedCall& c);
  // A signal stop at the return of a buffered call: see SharedSyscallBuffer.
  void record_buffered_at_stop(const Registers& regs);
  // Outputs, written bytes and descriptor effects of a call that ran, read from the
  // stopped tracee: for an emulated call at its exit stop.
  void describe_outcome(SyscallEvent& e, const SyscallInfo& info, const Registers& after);
  // What a write-family call that returned e.result wrote: where it echoes, its hash.
  void note_written(SyscallEvent& e, std::string_view bytes);
  // The call's effect on the descriptor table and the paths of open files.
  void note_descriptors(const SyscallInfo& info, const Registers& after,
                        std::optional<std::string_view> logged_path = std::nullopt);
  // Returns false when the tracee is gone (its exit was recorded).
  bool on_syscall_entry();
  void on_signal_stop(int sig);
  // The first stop after the program's exec ends the start-up, which ran without stops:
  // the snapshot the trace starts from, and from `resume_at` on the program is recorded.
  bool in_startup() const { return !startup_done_; }
  // Returns the results of `then` (see snapshot_at_startup_end).
  std::vector<std::uint64_t> end_startup(const Registers& resume_at, std::span<const RemoteSyscalls::Call> then = {});
  void end_startup_at_syscall(const Registers& regs);
  // Answers the call without running it; `answered` (a row with an AnswerFn) also
  // records the memory the answer wrote.
  void skip_syscall(Registers regs, std::int64_t result, const SyscallInfo* answered = nullptr);
  std::vector<MemoryWrite> written_memory(const SyscallInfo& info, const Registers& after) const;
  SyscallEvent entry_event(const Registers& regs) const;
  void record_executed(const SyscallInfo& info, const Registers& entry);
  void record_exec(const Registers& entry);
  [[noreturn]] void unsupported(const SyscallInfo* info, const Registers& regs);
  void deliver_deferred_signal();
  // `logged_path`: the path as the preload logged it (memory may have changed since).
  void track_opened_path(const SyscallInfo& info, const Registers& entry, std::int64_t result,
                         std::optional<std::string_view> logged_path = std::nullopt);
  WaitStatus wait() {
    WaitStatus st = task_.wait();
    if (st.is_gone()) {
      proc_.mark_reaped();
      flush_buffered_calls();  // killed (SIGKILL) after calls made without a stop
      append(ExitEvent{st.raw()});
      exit_status_ = st;
    }
    return st;
  }

  // Made beside the exec and the start-up, which need no trace: the first event waits for it.
  TraceOpening& trace_opening_;
  TraceWriter& trace() { return trace_opening_.get(); }
  TraceeProcess& proc_;
  Task& task_;
  std::string exe_;
  StdioTracker stdio_;
  SignalClassifier signals_;
  std::optional<WaitStatus> exit_status_;
  int resume_sig_ = 0;
  bool startup_done_ = false;
  bool cpuid_faulting_;
  std::uint32_t buffer_flags_;
  const std::vector<sock_filter>& startup_filter_;
  const std::vector<sock_filter>& recording_filter_;
  std::unique_ptr<SharedSyscallBuffer> buffer_;  // of the current exec
  std::map<std::uint64_t, std::string> opened_paths_;  // fd -> absolute path it was opened by
};

int Recorder::run() {
  // The trace starts at the start-up's end: nothing of this is an event.
  prepare_program_start(task_, startup_filter_, buffer_->inherited_mapping_calls());
  signals_.note_other_stop();
  // Stopped at the int3 of the last remote syscall; resuming runs the program.
  task_.resume(Resume::kCont);
  for (;;) {
    WaitStatus st = wait();
    if (st.is_gone()) return st.shell_status();
    resume_sig_ = 0;
    if (st.is_seccomp_stop()) {
      if (!on_syscall_entry()) return exit_status_->shell_status();
    } else if (int sig = st.delivered_signal()) {
      on_signal_stop(sig);
    } else {
      signals_.note_other_stop();
    }
    if (exit_status_) return exit_status_->shell_status();
    task_.resume(Resume::kCont, resume_sig_);
  }
}

SyscallEvent Recorder::entry_event(const Registers& regs) const {
  SyscallEvent e;
  e.nr = regs.syscallno();
  e.args = regs.args();
  e.ip = regs.raw.rip;
  e.regs_hash = regs.observable_hash();
  return e;
}

void Recorder::skip_syscall(Registers regs, std::int64_t result, const SyscallInfo* answered) {
  SyscallEvent e = entry_event(regs);
  e.result = result;
  e.replay = SyscallReplay::kEmulate;
  regs.set_syscallno(-1);
  regs.set_result(result);
  task_.set_regs(regs);
  if (answered) e.writes = written_memory(*answered, regs);
  append(std::move(e));
  signals_.note_syscall_exit(regs);
  if (answered) deliver_deferred_signal();
}

std::vector<MemoryWrite> Recorder::written_memory(const SyscallInfo& info, const Registers& after) const {
  std::vector<MemoryWrite> writes;
  for (const auto& r : output_ranges(info, task_, after)) {
    std::string bytes(r.len, '\0');
    bytes.resize(task_.try_read_mem(r.addr, bytes.data(), r.len));
    if (!bytes.empty()) writes.push_back({r.addr, std::move(bytes)});
  }
  return writes;
}

void Recorder::unsupported(const SyscallInfo* info, const Registers& regs) {
  const auto nr = regs.syscallno();
  if (nr == SYS_clone || nr == SYS_fork || nr == SYS_vfork) {
    bool thread = nr == SYS_clone && (regs.arg(0) & CLONE_THREAD);
    fail(ExitCode::kUnsupported, "the program creates a {} ({}) at event {}: threads and processes are not supported yet",
         thread ? "thread" : "process", syscall_name(nr), trace().event_count());
  }
  fail(ExitCode::kUnsupported, "the program made the {} syscall {} ({}) at rip {:#x}, event {}{}{}",
       info ? "unsupported" : "unknown", nr, syscall_name(nr), regs.raw.rip, trace().event_count(),
       info && *info->note ? ": " : "", info ? info->note : "");
}

void Recorder::flush_buffered_calls() {
  if (!buffer_) return;
  if (buffer_->take([this](const BufferedCall& c) { append_buffered(c); }) == 0) return;
  signals_.note_other_stop();  // the last syscall event is a buffered one now
}

void Recorder::append_buffered(const BufferedCall& c) {
  const SyscallInfo* info = find_syscall(c.nr);
  if (!info || !info->buffered)
    fail(ExitCode::kInternal, "the syscall buffer logged {}, which the table does not let the preload make",
         syscall_name(c.nr));
  SyscallEvent e = buffered_event(c.nr, c.args, c.caller, c.result);
  const Registers after = c.exit_regs();
  // The table says where the outputs are; the log has their bytes as the call left them.
  // A failed call of these rows wrote nothing, and logged nothing.
  const auto ranges = e.result < 0 ? std::vector<RemoteRange>{} : output_ranges(*info, task_, after);
  std::size_t next = 0;
  for (const auto& g : c.regions()) {
    if (g.kind != RRTR_REGION_OUT) continue;
    if (next == ranges.size() || ranges[next].addr != g.addr || ranges[next].len != g.bytes.size())
      fail(ExitCode::kInternal, "the syscall buffer's record of {} disagrees with the table about its outputs",
           syscall_name(c.nr));
    ++next;
    e.writes.push_back({g.addr, std::string(g.bytes)});
  }
  if (next != ranges.size())
    fail(ExitCode::kInternal, "the syscall buffer's record of {} lacks an output", syscall_name(c.nr));
  if (info->fd_effect == FdEffect::kWrite && e.result > 0) {
    const auto* written = c.region(RRTR_REGION_WRITTEN);
    if (!written || written->bytes.size() != static_cast<std::uint64_t>(e.result))
      fail(ExitCode::kInternal, "the syscall buffer's record of {} lacks the bytes written", syscall_name(c.nr));
    note_written(e, written->bytes);
  }
  const auto* path = c.region(RRTR_REGION_PATH);
  note_descriptors(*info, after, path ? path->bytes : std::string_view());
  // Not append(): the call completed before any interrupt could touch it.
  trace().append(Event{task_.tid(), std::move(e)});
}

std::vector<std::uint64_t> Recorder::end_startup(const Registers& resume_at,
                                                 std::span<const RemoteSyscalls::Call> then) {
  startup_done_ = true;
  if (buffer_) {
    if (buffer_->take([](const BufferedCall&) {}) != 0)
      fail(ExitCode::kInternal, "the syscall buffer logged calls during the start-up, before the preload announced itself");
    buffer_->clear_flag(RRTR_BUFFER_STARTUP);
  }
  fail_if_interrupted();  // as append() does: the snapshot is an event too
  // Captured on the events' writing thread, from a copy, while the program runs.
  auto snap = std::make_shared<StartupSnapshot>(
      snapshot_at_startup_end(task_, exe_, cpuid_faulting_, recording_filter_, resume_at, then));
  trace().append_later([snap, &trace = trace(), tid = task_.tid()] { return Event{tid, snap->capture(trace)}; });
  stdio_.forget_replaced(task_);
  signals_.note_other_stop();
  return snap->then_results;
}

void Recorder::end_startup_at_syscall(const Registers& regs) {
  Registers resume_at = regs;
  resume_at.set_syscallno(-1);
  if (regs.syscallno() == RRTR_STARTUP_SYSCALL) {
    resume_at.set_result(0);  // the preload's announcement is done: the program goes on after it
    end_startup(resume_at);
    return;
  }
  // Back on the syscall instruction: replay starts there, and runs the call as the first event.
  resume_at.set_ip(regs.ip() - kSyscallInsnLength);
  resume_at.set_result(regs.syscallno());
  if (regs.syscallno() != SYS_brk) {
    end_startup(resume_at);  // the call runs again under the recording's filter, recorded like any other
    return;
  }
  // malloc's first heap growth, which ends most C++ start-ups: made in the snapshot's batch,
  // after its copy, rather than run again under the recording's filter (two stops fewer).
  SyscallEvent e = entry_event(regs);
  e.result = static_cast<std::int64_t>(end_startup(resume_at, {{{"the program's brk", SYS_brk, {regs.arg(0)}}}}).at(0));
  e.replay = SyscallReplay::kBrk;
  Registers after = regs;
  after.set_syscallno(-1);
  after.set_result(e.result);
  task_.set_regs(after);
  append(std::move(e));
  signals_.note_syscall_exit(after);
}

bool Recorder::on_syscall_entry() {
  if (in_startup()) {
    end_startup_at_syscall(task_.regs());
    return true;
  }
  flush_buffered_calls();
  Registers regs = task_.regs();
  const std::int64_t nr = regs.syscallno();
  if (nr == RRTR_MARKER_SYSCALL) {
    std::size_t len = std::min<std::uint64_t>(regs.arg(2), RRTR_MARKER_MAX_PAYLOAD);
    std::string payload(len, '\0');
    payload.resize(task_.try_read_mem(RemotePtr(regs.arg(1)), payload.data(), len));
    append(MarkerEvent{static_cast<std::uint32_t>(regs.arg(0)), std::move(payload), regs.raw.rip});
    regs.set_syscallno(-1);
    regs.set_result(-ENOSYS);
    task_.set_regs(regs);
    return true;
  }
  const SyscallInfo* info = find_syscall(nr);
  if (!info) unsupported(nullptr, regs);
  if (info->refuse_fn) {
    if (auto r = info->refuse_fn(regs)) {
      skip_syscall(regs, *r);
      return true;
    }
  }
  if (info->answer_fn && info->policy == Policy::kEmulate) {
    if (auto r = info->answer_fn(task_, regs)) {
      skip_syscall(regs, *r, info);  // one stop, not two: see syscalls/answer_fns.h
      return true;
    }
  }
  switch (info->policy) {
    case Policy::kSkip:
      skip_syscall(regs, info->skip_result);
      return true;
    case Policy::kUnsupported:
      unsupported(info, regs);
    case Policy::kExec:
      record_exec(regs);
      return !exit_status_;
    case Policy::kExit: {
      SyscallEvent e = entry_event(regs);
      e.replay = SyscallReplay::kExit;
      append(std::move(e));
      trace().hand_over_final_events();
      return true;
    }
    default:
      record_executed(*info, regs);
      return !exit_status_;
  }
}

void Recorder::record_executed(const SyscallInfo& info, const Registers& entry) {
  SyscallEvent e = entry_event(entry);
  task_.resume(Resume::kSyscall);
  WaitStatus st = wait();
  if (st.is_gone()) return;  // killed inside the call (SIGKILL): the exit is the last event
  if (!st.is_syscall_stop())
    fail(ExitCode::kInternal, "expected the exit of {}, got {}", syscall_name(e.nr), st.describe());
  Registers after = task_.regs();
  e.result = after.result();
  switch (info.policy) {
    case Policy::kExecute: e.replay = SyscallReplay::kExecute; break;
    case Policy::kMmap: e.replay = SyscallReplay::kMmap; break;
    case Policy::kBrk: e.replay = SyscallReplay::kBrk; break;
    case Policy::kMremap: e.replay = SyscallReplay::kMremap; break;
    default: e.replay = SyscallReplay::kEmulate; break;
  }
  if (info.policy == Policy::kMmap && e.result >= 0 && !(entry.arg(3) & MAP_ANONYMOUS)) {
    auto path = fmt::format("/proc/{}/fd/{}", task_.tid().value, static_cast<int>(entry.arg(4)));
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    struct stat st_file {};
    if (!fd.valid() || ::fstat(fd.get(), &st_file) != 0)
      fail(ExitCode::kUnsupported, "cannot read the file mapped by mmap at event {}", trace().event_count());
    std::error_code ec;
    const std::string mapped_path = std::filesystem::read_symlink(path, ec).string();
    if (S_ISREG(st_file.st_mode)) {
      e.mapped_file = trace().put_file_blob(fd.get(), mapped_path);
      // Also under the name the program opened it by (ld.so opens /lib/.../libc.so.6,
      // a symlink): that is the name a debugger asks for.
      if (auto it = opened_paths_.find(entry.arg(4)); it != opened_paths_.end() && it->second != mapped_path)
        trace().name_file(it->second, e.mapped_file);
    } else if (!S_ISCHR(st_file.st_mode)) {  // /dev/zero maps like anonymous memory
      fail(ExitCode::kUnsupported, "mmap of a file that is not a regular file ({}) at event {}", mapped_path,
           trace().event_count());
    }
  }
  if (info.policy == Policy::kEmulate || info.policy == Policy::kNative) describe_outcome(e, info, after);
  append(std::move(e));
  signals_.note_syscall_exit(after);
  deliver_deferred_signal();
}

void Recorder::describe_outcome(SyscallEvent& e, const SyscallInfo& info, const Registers& after) {
  e.writes = written_memory(info, after);
  if ((info.fd_effect == FdEffect::kWrite || info.fd_effect == FdEffect::kWriteV) && e.result > 0)
    note_written(e, written_bytes(info, task_, after, e.result));
  note_descriptors(info, after);
}

void Recorder::note_written(SyscallEvent& e, std::string_view bytes) {
  e.echo_fd = stdio_.stream_of(e.args[0]);
  // Replay prints from its own memory: the hash proves it printed the same bytes.
  e.data_hash = hash64(bytes);
}

void Recorder::note_descriptors(const SyscallInfo& info, const Registers& after,
                                std::optional<std::string_view> logged_path) {
  stdio_.after_syscall(info, task_, after);
  track_opened_path(info, after, after.result(), logged_path);
}

void Recorder::record_buffered_at_stop(const Registers& regs) {
  const SyscallInfo* info = find_syscall(regs.syscallno());
  if (!info || !info->buffered)
    fail(ExitCode::kInternal, "a signal stop at the buffered gadget after {}, which the preload does not make",
         syscall_name(regs.syscallno()));
  flush_buffered_calls();
  SyscallEvent e = buffered_event(regs.syscallno(), regs.args(), buffered_caller(regs), regs.result());
  describe_outcome(e, *info, regs);
  append(std::move(e));
  buffer_->mark_call_recorded();
  signals_.note_syscall_exit(regs);  // the signal is delivered as this call returns
}

void Recorder::record_exec(const Registers& entry) {
  std::string path = task_.read_c_string(RemotePtr(entry.arg(entry.syscallno() == SYS_execveat ? 1 : 0)));
  task_.resume(Resume::kSyscall);
  WaitStatus st = wait();
  if (st.is_gone()) return;
  if (st.is_exec_stop()) {
    // Registers set inside execve would be overwritten by its return value: act from
    // the syscall-exit stop.
    task_.resume(Resume::kSyscall);
    st = wait();
    if (st.is_gone()) return;
    if (!st.is_syscall_stop()) fail(ExitCode::kInternal, "expected the exit of execve, got {}", st.describe());
    append(snapshot_after_exec(task_, trace(), path, cpuid_faulting_));
    buffer_ = std::make_unique<SharedSyscallBuffer>(task_, buffer_flags_);
    signals_.note_other_stop();
    return;  // stopped at the int3 of the last remote syscall; resuming continues the program
  }
  if (!st.is_syscall_stop()) fail(ExitCode::kInternal, "expected the exit of execve, got {}", st.describe());
  Registers after = task_.regs();
  SyscallEvent e = entry_event(entry);
  e.result = after.result();
  append(std::move(e));
  signals_.note_syscall_exit(after);
}

void Recorder::on_signal_stop(int sig) {
  auto si = task_.try_siginfo();
  if (!si) {  // a group-stop (SIGSTOP/SIGTSTP took effect): let the program go on
    signals_.note_other_stop();
    return;
  }
  Registers regs = task_.regs();
  if (in_startup()) {
    if (regs.syscallno() >= 0 && is_restart_code(regs.result()))
      fail(ExitCode::kUnsupported, "{} interrupted {} during the program's start-up, before its first recorded call",
           signal_name(sig), syscall_name(regs.syscallno()));
    Registers resume_at = regs;
    resume_at.set_syscallno(-1);  // no call to restart: replay starts right here
    end_startup(resume_at);
    // The snapshot's remote calls left the tracee at a stop of their own: the signal,
    // with its own siginfo, is delivered from there as the snapshot's registers resume.
    task_.set_siginfo(*si);
    regs = resume_at;
  }
  // Natively a signal pending as a call returns (SIGPIPE from a write) is delivered
  // there, before the program goes on: so it is for a buffered call.
  if (buffer_ && regs.ip() == rrtr_page::kBufferedGadgetIp && !is_restart_code(regs.result()) &&
      !buffer_->call_recorded())
    record_buffered_at_stop(regs);
  if (sig == SIGSEGV) {
    if (auto insn = decode_trapped_instruction(task_, *si)) {
      flush_buffered_calls();
      InstructionTrapEvent e = emulate_trapped_instruction(*insn, regs);
      apply_trapped_instruction(e, regs);
      task_.set_regs(regs);
      append(e);
      signals_.note_other_stop();
      return;
    }
  }
  switch (signals_.classify(task_, *si, regs)) {
    case SignalDecision::kRecordAfterSyscall:
    case SignalDecision::kRecordFault: {
      flush_buffered_calls();
      SignalEvent e;
      e.signo = sig;
      e.kind = signals_.last_kind();
      e.info = signals_.original_info(*si);
      if (e.info.si_signo != si->si_signo || e.info.si_code != si->si_code) task_.set_siginfo(e.info);
      e.regs = regs;
      append(e);
      resume_sig_ = sig;
      break;
    }
    case SignalDecision::kDrop:
      break;
    case SignalDecision::kDefer:
      if (regs.ip() == rrtr_page::kBufferedGadgetIp && is_restart_code(regs.result()))
        fail(ExitCode::kUnsupported,
             "{} arrived while the program was blocked in {} (made through libc, without a stop): a signal "
             "that interrupts a blocking call is not supported yet",
             signal_name(sig), syscall_name(regs.syscallno()));
      break;
  }
  signals_.note_other_stop();
}

void Recorder::track_opened_path(const SyscallInfo& info, const Registers& entry, std::int64_t result,
                                 std::optional<std::string_view> logged_path) {
  if (result < 0) return;
  if (info.fd_effect == FdEffect::kClose) opened_paths_.erase(entry.arg(0));
  if (info.nr != SYS_open && info.nr != SYS_openat) return;
  const std::string path =
      logged_path ? std::string(*logged_path) : task_.read_c_string(RemotePtr(entry.arg(info.nr == SYS_open ? 0 : 1)));
  if (!path.empty() && path[0] == '/')
    opened_paths_[static_cast<std::uint64_t>(result)] = path;
  else
    opened_paths_.erase(static_cast<std::uint64_t>(result));
}

void Recorder::deliver_deferred_signal() {
  if (auto sig = signals_.take_deferred_for_injection()) task_.tgkill(proc_.pid(), *sig);
}

// The program's environment: the engine's preload library first in LD_PRELOAD (the
// syscall buffer's hooks). Its start-up always sees the real CPUID (and the whole run
// does without CPUID faulting), RDRAND included, whose results cannot be recorded:
// libstdc++'s std::random_device is pointed at /dev/urandom by the preload, and
// OpenSSL is told not to use RDRAND. (These variables are visible to the program;
// docs/architecture.md says so.)
std::vector<std::string> program_environment() {
  std::vector<std::string> env;
  std::string preload;
  for (char** e = environ; *e; ++e) {
    if (std::strncmp(*e, "LD_PRELOAD=", 11) == 0)
      preload = *e + 11;
    else
      env.emplace_back(*e);
  }
  auto lib = find_preload_library();
  if (lib.empty()) {
    print_stderr("rr-test-runner: warning: librrtr_preload.so not found; every libc call will cost a stop, "
                 "and std::random_device may use RDRAND, which cannot be recorded\n");
  } else {
    preload = preload.empty() ? lib.string() : lib.string() + ":" + preload;
  }
  if (!preload.empty()) env.push_back("LD_PRELOAD=" + preload);
  if (!lib.empty()) {
    // AddressSanitizer aborts unless its runtime comes first in the library list. The
    // preload defines none of the functions a sanitizer intercepts (its hooks are
    // reached through libc's own entries), so that order does not matter here.
    auto asan = std::find_if(env.begin(), env.end(), [](const std::string& e) { return e.starts_with("ASAN_OPTIONS="); });
    if (asan == env.end())
      env.push_back("ASAN_OPTIONS=verify_asan_link_order=0");
    else
      *asan += ":verify_asan_link_order=0";
  }
  // The start-up sees the real CPUID even where faulting hides RDRAND afterwards: what a
  // library's constructor decides there (libcrypto's capability probe) holds later.
  env.push_back("OPENSSL_ia32cap=~0x4000000000000000:~0x40000");  // no RDRAND, no RDSEED
  return env;
}

// What the preload is asked to do (rrtr/syscall_buffer_abi.h). RRTR_NO_SYSCALL_BUFFER=1
// leaves every call to a stop, for comparing the two.
std::uint32_t syscall_buffer_flags() {
  // Also under CPUID faulting: a library's global std::random_device is made in the
  // start-up, which sees RDRAND.
  std::uint32_t flags = RRTR_BUFFER_RANDOM_DEVICE;
  const char* off = std::getenv("RRTR_NO_SYSCALL_BUFFER");
  if (!off || std::strcmp(off, "1") != 0) flags |= RRTR_BUFFER_HOOKS;
  return flags;
}

}  // namespace

std::filesystem::path find_preload_library() {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec).parent_path();
  for (auto cand : {self / "librrtr_preload.so", self / ".." / "lib" / "rr-test-runner" / "librrtr_preload.so"})
    if (std::filesystem::exists(cand, ec)) return std::filesystem::canonical(cand, ec);
  return {};
}

std::filesystem::path resolve_program(const std::string& name) {
  if (name.empty()) fail(ExitCode::kUsage, "no program given");
  std::filesystem::path p;
  if (name.find('/') != std::string::npos) {
    p = name;
  } else {
    if (auto found = find_in_path(name)) p = *found;
    if (p.empty()) fail(ExitCode::kBadInput, "program not found: {} (not in PATH)", name);
  }
  std::error_code ec;
  auto status = std::filesystem::status(p, ec);
  if (ec || !std::filesystem::exists(status)) fail(ExitCode::kBadInput, "program not found: {}", p.string());
  if (!std::filesystem::is_regular_file(status)) fail(ExitCode::kBadInput, "not a regular file: {}", p.string());
  if (::access(p.c_str(), X_OK) != 0) fail(ExitCode::kBadInput, "not executable (permission denied): {}", p.string());
  if (!is_executable_format(p))
    fail(ExitCode::kBadInput, "not an executable: {} (neither ELF nor a #! script)", p.string());
  return std::filesystem::absolute(p);
}

RecordResult record(const RecordOptions& o) {
  const auto exe = resolve_program(o.argv.at(0));
  if (std::filesystem::exists(o.trace_dir))
    fail(ExitCode::kBadInput, "trace directory already exists: {}", o.trace_dir.string());
  const bool faulting = cpuid_faulting_supported();
  const auto env = program_environment();
  install_interrupt_handlers();
  const auto started = std::chrono::steady_clock::now();
  const std::uint32_t buffer_flags = syscall_buffer_flags();
  // The program's start-up runs under the permissive filter; the recording's is added
  // over it at the start-up snapshot.
  const auto startup_filter = build_seccomp_filter(BufferedGadget::kAllow, FilterStage::kStartUp);
  const auto recording_filter = build_seccomp_filter(BufferedGadget::kAllow);
  const int cpu = o.cpu.value_or(choose_cpu());
  const cpu_set_t all_cpus = current_cpus();  // before the tracee's CPU pins us
  RecordResult result;
  auto note_problem = [&result](const Error& e) {
    result.complete = false;
    result.problem = e.what();
    result.problem_exit = to_int(e.status());
    if (e.status() == ExitCode::kInterrupted) result.status = 128 + interrupt_signal();
  };
  cpu_set_t pinned;
  CPU_ZERO(&pinned);
  CPU_SET(cpu, &pinned);
  // Made beside the exec and the start-up, on another CPU.
  TraceOpening opening(
      [&] {
        auto trace = std::make_unique<TraceWriter>(o.trace_dir, o.blob_store,
                                                   initial_meta(o, exe, probe_tick_backends(), faulting, env));
        trace->meta()["syscall_buffer_flags"] = buffer_flags;
        trace->meta()["cpu"]["index"] = cpu;
        return trace;
      },
      cpus_beside(all_cpus, pinned));
  const std::string path = exe.string();
  const auto argv = c_strings(o.argv);
  const auto envp = c_strings(env);
  std::unique_ptr<TraceeProcess> tracee;
  std::unique_ptr<SharedSyscallBuffer> buffer;
  try {
    // Made here and inherited: the tracee need not make it, a stop fewer at its start.
    buffer = std::make_unique<SharedSyscallBuffer>(buffer_flags | RRTR_BUFFER_STARTUP);
    tracee = TraceeProcess::spawn_program(cpu, ProgramLaunch{path.c_str(), argv.data(), envp.data(), buffer->fd()});
  } catch (const Error& e) {
    note_problem(e);  // ptrace refused, the exec failed: the trace says why it holds nothing
  }
  if (tracee) {
    set_interrupt_victim(tracee->pid().value);
    Recorder rec(opening, *tracee, path, faulting, buffer_flags, startup_filter, recording_filter, std::move(buffer));
    try {
      result.status = rec.run();
      if (auto st = rec.exit_status(); st && st->killed_by_signal()) result.fatal_signal = st->fatal_signal();
    } catch (const Error& e) {
      try {
        rec.flush_buffered_calls();
      } catch (const Error&) {  // a damaged log (or no trace at all): the error above is the one to report
      }
      note_problem(e);
    }
    set_interrupt_victim(0);
  }
  tracee.reset();  // the tracee is dead here, whatever happened
  TraceWriter& trace = opening.get();  // no trace directory: that error, nothing to finish
  auto& meta = trace.meta();
  meta["duration_s"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  meta["ended_at"] = now_rfc3339();
  if (result.complete) meta["exit_status"] = result.status;
  if (result.fatal_signal) meta["signal"] = signal_name(result.fatal_signal);
  try {
    trace.finish(result.complete, result.problem);
  } catch (const Error& e) {  // the start-up snapshot too large, a full disk: the trace says so
    note_problem(e);
  }
  return result;
}

}  // namespace rrtr
