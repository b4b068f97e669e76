// Reading and setting a real traced child's signal state through the batch stub.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>

#include "child_with_engine_page.h"
#include "ptrace/remote_signal_dispositions.h"
#include "ptrace/signal_state.h"

namespace rrtr {
namespace {

char alternate_stack[64 * 1024];
void on_signal(int) {}

// Every signal back to SIG_DFL: the child starts from the test process's own state,
// which an earlier test in the process may have changed (a thread made: glibc's handler
// for signal 33). Through the raw call, since glibc's sigaction refuses its own signals.
void reset_dispositions() {
  const KernelSigaction dfl{};
  for (int sig = 1; sig <= 64; ++sig)
    if (sig != SIGKILL && sig != SIGSTOP) syscall(SYS_rt_sigaction, sig, &dfl, nullptr, 8);
}

// Catches SIGUSR1 on an alternate stack, ignores SIGHUP, blocks SIGUSR2.
void set_some_state() {
  reset_dispositions();
  stack_t stack{};
  stack.ss_sp = alternate_stack;
  stack.ss_size = sizeof alternate_stack;
  struct sigaction usr1 {};
  usr1.sa_handler = on_signal;
  usr1.sa_flags = SA_ONSTACK;
  sigaddset(&usr1.sa_mask, SIGINT);
  sigset_t usr2;
  sigemptyset(&usr2);
  sigaddset(&usr2, SIGUSR2);
  if (sigaltstack(&stack, nullptr) || sigaction(SIGUSR1, &usr1, nullptr) || signal(SIGHUP, SIG_IGN) == SIG_ERR ||
      sigprocmask(SIG_BLOCK, &usr2, nullptr))
    _exit(4);
}

SignalDispositions read_state(Task& task) {
  RemoteSyscalls rs(task);
  std::vector<RemoteSyscalls::Call> calls;
  const SignalDispositionsQuery query(task, rs, calls);
  rs.checked_batch(calls);
  return query.collect(task);
}

const SignalAction* action_of(const SignalDispositions& d, int signo) {
  auto it = std::find_if(d.actions.begin(), d.actions.end(), [&](const SignalAction& a) { return a.signo == signo; });
  return it == d.actions.end() ? nullptr : &*it;
}

TEST(RemoteSignalDispositions, ReadsWhatTheTaskSet) {
  ChildWithEnginePage c(set_some_state);
  const SignalDispositions d = read_state(c.proc.task());
  EXPECT_EQ(d.blocked, 1ULL << (SIGUSR2 - 1));
  EXPECT_EQ(d.altstack_flags, 0);
  EXPECT_EQ(d.altstack_sp, reinterpret_cast<std::uint64_t>(alternate_stack));
  EXPECT_EQ(d.altstack_size, sizeof alternate_stack);
  ASSERT_EQ(d.actions.size(), 2u);  // by number, the rest SIG_DFL
  const SignalAction* usr1 = action_of(d, SIGUSR1);
  ASSERT_NE(usr1, nullptr);
  EXPECT_EQ(usr1->action.handler, reinterpret_cast<std::uint64_t>(&on_signal));
  EXPECT_TRUE(usr1->action.flags & SA_ONSTACK);
  EXPECT_EQ(usr1->action.mask, 1ULL << (SIGINT - 1));
  ASSERT_NE(action_of(d, SIGHUP), nullptr);
  EXPECT_EQ(action_of(d, SIGHUP)->action.handler, reinterpret_cast<std::uint64_t>(SIG_IGN));
  EXPECT_LT(d.actions[0].signo, d.actions[1].signo);
}

TEST(RemoteSignalDispositions, SettingGivesExactlyTheStateRead) {
  ChildWithEnginePage from(set_some_state);
  const SignalDispositions wanted = read_state(from.proc.task());
  // A task with state of its own: SIGTERM caught, SIGQUIT ignored, SIGINT blocked.
  ChildWithEnginePage to([] {
    reset_dispositions();
    signal(SIGTERM, on_signal);
    signal(SIGQUIT, SIG_IGN);
    sigset_t intr;
    sigemptyset(&intr);
    sigaddset(&intr, SIGINT);
    sigprocmask(SIG_BLOCK, &intr, nullptr);
  });
  Task& task = to.proc.task();
  {
    RemoteSyscalls rs(task);
    std::vector<RemoteSyscalls::Call> calls;
    set_signal_dispositions(task, rs, wanted, calls);
    rs.checked_batch(calls);
  }
  const SignalDispositions got = read_state(task);
  EXPECT_EQ(got.blocked, wanted.blocked);
  EXPECT_EQ(got.altstack_sp, wanted.altstack_sp);
  EXPECT_EQ(got.altstack_size, wanted.altstack_size);
  EXPECT_EQ(got.altstack_flags, wanted.altstack_flags);
  ASSERT_EQ(got.actions.size(), wanted.actions.size()) << "SIGTERM and SIGQUIT back to SIG_DFL";
  for (std::size_t i = 0; i < got.actions.size(); ++i) {
    EXPECT_EQ(got.actions[i].signo, wanted.actions[i].signo);
    EXPECT_EQ(got.actions[i].action.handler, wanted.actions[i].action.handler);
    EXPECT_EQ(got.actions[i].action.flags, wanted.actions[i].action.flags);
    EXPECT_EQ(got.actions[i].action.mask, wanted.actions[i].action.mask);
  }
  const SignalState proc = signal_state(task);  // the kernel's own view agrees
  EXPECT_EQ(proc.caught, 1ULL << (SIGUSR1 - 1));
  EXPECT_EQ(proc.ignored, 1ULL << (SIGHUP - 1));
}

TEST(RemoteSignalDispositions, SettingNoAlternateStackTurnsItOff) {
  ChildWithEnginePage c(set_some_state);
  Task& task = c.proc.task();
  {
    RemoteSyscalls rs(task);
    std::vector<RemoteSyscalls::Call> calls;
    set_signal_dispositions(task, rs, SignalDispositions{}, calls);
    rs.checked_batch(calls);
  }
  const SignalDispositions got = read_state(task);
  EXPECT_EQ(got.altstack_flags, SS_DISABLE);
  EXPECT_EQ(got.actions.size(), 0u);
  EXPECT_EQ(got.blocked, 0u);
}

}  // namespace
}  // namespace rrtr
