#include "ptrace/remote_signal_dispositions.h"

#include <signal.h>
#include <sys/syscall.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "ptrace/signal_state.h"

namespace rrtr {

namespace {

// The kernel's stack_t: what sigaltstack reads and writes.
struct KernelStack {
  std::uint64_t sp;
  std::int32_t flags;
  std::uint64_t size;
};
constexpr std::uint64_t kSigsetSize = 8;  // rt_sigaction's and rt_sigprocmask's last argument

std::vector<int> non_default_signals(const SignalState& s) {
  std::vector<int> signals;
  for (int sig = 1; sig <= 64; ++sig)
    if (((s.caught | s.ignored) >> (sig - 1)) & 1) signals.push_back(sig);
  return signals;
}

template <typename T>
std::string_view bytes_of(const T& v) {
  return {reinterpret_cast<const char*>(&v), sizeof v};
}

}  // namespace

SignalDispositionsQuery::SignalDispositionsQuery(const Task& task, RemoteSyscalls& rs,
                                                 std::vector<RemoteSyscalls::Call>& calls)
    : SignalDispositionsQuery(signal_state(task), rs, calls) {}

SignalDispositionsQuery::SignalDispositionsQuery(const SignalState& now, RemoteSyscalls& rs,
                                                 std::vector<RemoteSyscalls::Call>& calls)
    : blocked_(now.blocked), signals_(non_default_signals(now)) {
  // Answers land after each other: the stack first, then one action per signal.
  answers_ = rs.put_data(std::string(sizeof(KernelStack) + signals_.size() * sizeof(KernelSigaction), '\0'));
  calls.push_back({"sigaltstack (to read it)", SYS_sigaltstack, {0, answers_.value()}});
  RemotePtr at = answers_ + sizeof(KernelStack);
  for (int sig : signals_) {
    calls.push_back({"rt_sigaction (to read it)", SYS_rt_sigaction, {static_cast<std::uint64_t>(sig), 0, at.value(), kSigsetSize}});
    at = at + sizeof(KernelSigaction);
  }
}

SignalDispositions SignalDispositionsQuery::collect(const Task& task) const {
  SignalDispositions d;
  d.blocked = blocked_;
  const std::string answers = task.read_mem(answers_, sizeof(KernelStack) + signals_.size() * sizeof(KernelSigaction));
  KernelStack stack;
  std::memcpy(&stack, answers.data(), sizeof stack);
  // SS_ONSTACK describes where the task runs, not the stack; sigaltstack refuses it.
  d.altstack_flags = stack.flags & ~SS_ONSTACK;
  if (!(d.altstack_flags & SS_DISABLE)) {
    d.altstack_sp = stack.sp;
    d.altstack_size = stack.size;
  }
  for (std::size_t i = 0; i < signals_.size(); ++i) {
    SignalAction a{signals_[i], {}};
    std::memcpy(&a.action, answers.data() + sizeof(KernelStack) + i * sizeof(KernelSigaction), sizeof a.action);
    d.actions.push_back(a);
  }
  return d;
}

void set_signal_dispositions(const Task& task, RemoteSyscalls& rs, const SignalDispositions& wanted,
                             std::vector<RemoteSyscalls::Call>& calls) {
  std::string data;  // all that the calls point at, put in one piece
  const auto add = [&](std::string_view bytes) {
    const std::size_t offset = data.size();
    data.append(bytes);
    return offset;
  };
  const std::size_t dfl = add(bytes_of(KernelSigaction{}));
  std::vector<std::pair<int, std::size_t>> sets;
  for (int sig : non_default_signals(signal_state(task))) {
    const bool kept = std::any_of(wanted.actions.begin(), wanted.actions.end(), [&](const SignalAction& a) { return a.signo == sig; });
    if (!kept) sets.emplace_back(sig, dfl);
  }
  for (const auto& a : wanted.actions) sets.emplace_back(a.signo, add(bytes_of(a.action)));
  KernelStack altstack{};  // its padding zero too
  altstack.sp = wanted.altstack_sp;
  altstack.flags = wanted.altstack_flags;
  altstack.size = wanted.altstack_size;
  const std::size_t stack = add(bytes_of(altstack));
  const std::size_t mask = add(bytes_of(wanted.blocked));
  const RemotePtr base = rs.put_data(data);
  for (const auto& [sig, offset] : sets)
    calls.push_back({"rt_sigaction to the recorded action", SYS_rt_sigaction,
                     {static_cast<std::uint64_t>(sig), (base + offset).value(), 0, kSigsetSize}});
  calls.push_back({"sigaltstack to the recorded stack", SYS_sigaltstack, {(base + stack).value(), 0}});
  calls.push_back({"rt_sigprocmask to the recorded mask", SYS_rt_sigprocmask, {SIG_SETMASK, (base + mask).value(), 0, kSigsetSize}});
}

}  // namespace rrtr
