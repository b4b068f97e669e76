// Reading and setting a stopped task's signal dispositions (signal_dispositions.h)
// through the engine page's batches: its rt_sigaction and sigaltstack answer only to
// the task itself.
#pragma once

#include <vector>

#include "ptrace/remote_syscalls.h"
#include "ptrace/signal_dispositions.h"
#include "ptrace/signal_state.h"

namespace rrtr {

// Adds to `calls` the queries that read `task`'s dispositions into the scratch page
// (rt_sigaction of each signal /proc shows caught or ignored, sigaltstack); collect()
// reads the answers once the batch ran, before `rs` puts anything else.
class SignalDispositionsQuery {
 public:
  SignalDispositionsQuery(const Task& task, RemoteSyscalls& rs, std::vector<RemoteSyscalls::Call>& calls);
  SignalDispositions collect(const Task& task) const;

 private:
  SignalDispositionsQuery(const SignalState& now, RemoteSyscalls& rs, std::vector<RemoteSyscalls::Call>& calls);

  std::uint64_t blocked_;
  std::vector<int> signals_;
  RemotePtr answers_;
};

// Adds to `calls` what gives `task` exactly `wanted`: actions /proc shows caught or
// ignored now but `wanted` lacks back to SIG_DFL, `wanted`'s set, the alternate stack
// and the mask. Also what an exec does to the state, given the state it left.
void set_signal_dispositions(const Task& task, RemoteSyscalls& rs, const SignalDispositions& wanted,
                             std::vector<RemoteSyscalls::Call>& calls);

}  // namespace rrtr
