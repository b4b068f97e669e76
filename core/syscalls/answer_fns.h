// Syscalls the recorder answers at their entry stop, as the kernel would for the tracee:
// one ptrace stop per call instead of two (entry and exit). Only calls whose result
// the tracer can compute exactly qualify: the tracee's own ids, and the system-wide
// clocks, which read the same in the tracer at that moment. The event recorded is the
// one an executed call gives, so replay does not know the difference. Test binaries
// make these at every start (gtest asks isatty of stdout and the working directory):
// a stop saved on each where the preload does not make the call without one.
#pragma once

#include "syscalls/syscall_table.h"

namespace rrtr {

std::optional<std::int64_t> answer_getpid(Task& task, const Registers& entry);
std::optional<std::int64_t> answer_getppid(Task& task, const Registers& entry);
std::optional<std::int64_t> answer_clock_gettime(Task& task, const Registers& entry);
std::optional<std::int64_t> answer_gettimeofday(Task& task, const Registers& entry);
std::optional<std::int64_t> answer_time(Task& task, const Registers& entry);
std::optional<std::int64_t> answer_read(Task& task, const Registers& entry);
std::optional<std::int64_t> answer_pread64(Task& task, const Registers& entry);
std::optional<std::int64_t> answer_fstat(Task& task, const Registers& entry);
// Only the fstat form: AT_EMPTY_PATH with an empty path.
std::optional<std::int64_t> answer_newfstatat(Task& task, const Registers& entry);
// Only TCGETS (isatty, as test frameworks ask of stdout) on a regular file or a pipe:
// ENOTTY, as their ioctl answers it.
std::optional<std::int64_t> answer_ioctl(Task& task, const Registers& entry);
// The tracee's working directory, where it is reachable from its root (our own).
std::optional<std::int64_t> answer_getcwd(Task& task, const Registers& entry);

}  // namespace rrtr
