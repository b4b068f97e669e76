// Running system calls inside a stopped tracee.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>

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

  // Returns the raw kernel result (-errno on failure).
  std::int64_t call(long nr, std::initializer_list<std::uint64_t> args);
  // Like call, but a failure is an internal error naming `what`.
  std::uint64_t checked(const char* what, long nr, std::initializer_list<std::uint64_t> args);
  // Copies a NUL-terminated string into the engine's scratch page and returns its address.
  RemotePtr put_string(const std::string& s);

  Registers& saved_regs() { return saved_; }

 private:
  RemoteSyscalls(Task& task, RemotePtr gadget, std::optional<std::string> restore_bytes);

  Task* task_;
  RemotePtr gadget_;
  Registers saved_;
  std::optional<std::string> poked_original_;
  bool used_ = false;
};

}  // namespace rrtr
