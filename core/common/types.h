// Strong types for values that are easy to mix up in a tracer: a thread id is not a
// process id, a tracee address is not a local pointer, an event index is not a count.
#pragma once

#include <compare>
#include <cstdint>
#include <fmt/format.h>
#include <sys/types.h>

namespace rrtr {

// A kernel thread id of a tracee (what ptrace and waitpid operate on).
struct Tid {
  pid_t value = 0;
  auto operator<=>(const Tid&) const = default;
};

// A process (thread group) id of a tracee.
struct Pid {
  pid_t value = 0;
  auto operator<=>(const Pid&) const = default;
};

// An address in a tracee's address space. It is never dereferenced locally; arithmetic
// is allowed only through the explicit helpers, so a local pointer cannot slip in.
class RemotePtr {
 public:
  constexpr RemotePtr() = default;
  constexpr explicit RemotePtr(std::uint64_t addr) : addr_(addr) {}
  constexpr std::uint64_t value() const { return addr_; }
  constexpr bool is_null() const { return addr_ == 0; }
  constexpr RemotePtr operator+(std::uint64_t off) const { return RemotePtr(addr_ + off); }
  constexpr RemotePtr operator-(std::uint64_t off) const { return RemotePtr(addr_ - off); }
  auto operator<=>(const RemotePtr&) const = default;

 private:
  std::uint64_t addr_ = 0;
};

// The position of an event in a trace's event stream (0-based).
struct EventIndex {
  std::uint64_t value = 0;
  auto operator<=>(const EventIndex&) const = default;
};

// A count from a progress counter (tick backend); meaningful only with its backend.
struct Ticks {
  std::uint64_t value = 0;
  auto operator<=>(const Ticks&) const = default;
};

constexpr std::uint64_t kPageSize = 4096;
// The end of x86_64 user space with 4-level paging (the kernel's access_ok bound): the
// kernel places nothing above it without an explicit hint.
constexpr std::uint64_t kUserSpaceEnd = 0x7ffffffff000;
constexpr std::uint64_t page_down(std::uint64_t a) { return a & ~(kPageSize - 1); }
constexpr std::uint64_t page_up(std::uint64_t a) { return (a + kPageSize - 1) & ~(kPageSize - 1); }

}  // namespace rrtr

template <>
struct fmt::formatter<rrtr::RemotePtr> : fmt::formatter<std::string_view> {
  auto format(rrtr::RemotePtr p, format_context& ctx) const {
    return fmt::format_to(ctx.out(), "{:#x}", p.value());
  }
};
template <>
struct fmt::formatter<rrtr::Tid> : fmt::formatter<std::string_view> {
  auto format(rrtr::Tid t, format_context& ctx) const { return fmt::format_to(ctx.out(), "{}", t.value); }
};
