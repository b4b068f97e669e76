// Running system calls inside a stopped tracee.
#pragma once

#include <array>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ptrace/task.h"

namespace rrtr {

// Makes a stopped tracee execute system calls of the engine's choosing through a
// `syscall; int3` gadget, then puts its registers back. If the tracee was stopped at
// a syscall entry, that syscall is abandoned (it never runs): the owner sets what it
// returns through saved_regs() before the object goes away.
class RemoteSyscalls {
 public:
  // Uses the gadget of the engine page (rrtr_page.h), which must be mapped.
  explicit RemoteSyscalls(Task& task);
  // Pokes a temporary gadget over the current instruction, for the moment after an
  // exec when the engine page does not exist yet.
  static RemoteSyscalls with_poked_gadget(Task& task);
  RemoteSyscalls(RemoteSyscalls&&) noexcept;
  RemoteSyscalls(const RemoteSyscalls&) = delete;
  ~RemoteSyscalls();

  // One call, named for the error message (of a batch, or alone).
  struct Call {
    const char* what;
    long nr;
    std::array<std::uint64_t, 6> args;
    // In a batch, its failure is the system refusing what the engine needs (a seccomp
    // filter in a sandbox: kHostRefused), not the engine's own error.
    bool host_may_refuse = false;
  };
  // Returns the raw kernel result (-errno on failure).
  std::int64_t call(long nr, std::initializer_list<std::uint64_t> args);
  std::int64_t call(const Call& c);
  // Like call, but a failure is an internal error naming `what`.
  std::uint64_t checked(const char* what, long nr, std::initializer_list<std::uint64_t> args);
  // Copies a NUL-terminated string into the engine's scratch page and returns its address.
  RemotePtr put_string(const std::string& s);
  // Copies `bytes` into the scratch page for calls of this object to point at, below
  // put_string's string and below the bytes of earlier put_data calls; the batches run
  // after it hold fewer calls each. Returns their address.
  RemotePtr put_data(std::string_view bytes);
  // Runs `calls` in order with one stop per kMaxBatch of them (the engine page's batch
  // stub), stopping at the first that fails, which is an internal error naming it;
  // returns their results.
  // Not with a poked gadget. The batch is described in the scratch page, below where
  // put_string puts its string.
  static constexpr std::size_t kMaxBatch = 48;
  std::vector<std::uint64_t> checked_batch(std::span<const Call> calls);

  Registers& saved_regs() { return saved_; }

 private:
  RemoteSyscalls(Task& task, RemotePtr gadget, std::optional<std::string> restore_bytes);
  // Runs the tracee from `r` to the int3 that ends a remote call (`nr` names it in errors).
  void run_to_trap(const Registers& r, long nr);

  Task* task_;
  RemotePtr gadget_;
  Registers saved_;
  std::optional<std::string> poked_original_;
  bool used_ = false;
  std::uint64_t data_floor_;  // offset in the scratch page of put_data's lowest bytes
};

}  // namespace rrtr
