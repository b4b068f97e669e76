#include "syscalls/syscall_table.h"

#include <asm/prctl.h>
#include <linux/futex.h>
#include <errno.h>
#include <linux/capability.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <linux/stat.h>
#include <time.h>

#include <array>
#include <fmt/format.h>

#include "syscalls/answer_fns.h"
#include "syscalls/out_fns.h"

namespace rrtr {

namespace {

constexpr OutParam fixed(int arg, std::uint32_t n) { return {static_cast<std::int8_t>(arg), Size::kFixed, n, 1}; }
constexpr OutParam by_result(int arg, std::uint32_t elem = 1) {
  return {static_cast<std::int8_t>(arg), Size::kResult, 0, elem};
}
constexpr OutParam by_arg(int arg, int size_arg, std::uint32_t elem = 1) {
  return {static_cast<std::int8_t>(arg), Size::kArg, static_cast<std::uint32_t>(size_arg), elem};
}
constexpr OutParam pointee(int arg, int len_arg) {
  return {static_cast<std::int8_t>(arg), Size::kPointee, static_cast<std::uint32_t>(len_arg), 1};
}

// Builder for table rows, so each row reads as one declarative line.
struct Row : SyscallInfo {
  constexpr Row(int nr_, const char* name_, Policy p) {
    nr = nr_;
    name = name_;
    policy = p;
  }
  constexpr Row out(OutParam o) const {
    Row r = *this;
    for (auto& s : r.outs)
      if (s.arg < 0) {
        s = o;
        break;
      }
    return r;
  }
  constexpr Row with(OutFn f) const {
    Row r = *this;
    r.out_fn = f;
    return r;
  }
  constexpr Row fd(FdEffect e, int arg = 0) const {
    Row r = *this;
    r.fd_effect = e;
    r.fd_arg = static_cast<std::int8_t>(arg);
    return r;
  }
  constexpr Row answer(std::int64_t result) const {
    Row r = *this;
    r.skip_result = result;
    return r;
  }
  constexpr Row answered_by(AnswerFn f) const {
    Row r = *this;
    r.answer_fn = f;
    return r;
  }
  constexpr Row refuse_if(RefuseFn f) const {
    Row r = *this;
    r.refuse_fn = f;
    return r;
  }
  constexpr Row buffered_by_preload() const {
    Row r = *this;
    r.buffered = true;
    return r;
  }
  constexpr Row at_startup(int arg = -1, std::uint64_t max = 0) const {
    Row r = *this;
    r.startup = true;
    r.startup_arg = static_cast<std::int8_t>(arg);
    r.startup_max = max;
    return r;
  }
  template <std::size_t N>
  constexpr Row native_when(int arg, const std::uint32_t (&values)[N]) const {
    static_assert(N <= std::size(SyscallInfo{}.native_values));
    Row r = *this;
    r.native_arg = static_cast<std::int8_t>(arg);
    r.native_value_count = static_cast<std::uint8_t>(N);
    for (std::size_t i = 0; i < N; ++i) r.native_values[i] = values[i];
    return r;
  }
  constexpr Row in_filter() const {
    Row r = *this;
    r.refused_by_filter = true;
    return r;
  }
  constexpr Row why(const char* n) const {
    Row r = *this;
    r.note = n;
    return r;
  }
};

constexpr Policy N = Policy::kNative, E = Policy::kEmulate, X = Policy::kExecute, S = Policy::kSkip,
                 U = Policy::kUnsupported;

// The start-up's memory ends up in one snapshot event (capped at 128 MiB): a big
// mapping (a sanitizer's shadow, a buffer for a large input) ends the start-up, and so
// does a growing heap (brk with an address; brk(0) only reads the break). ld.so maps a
// library's whole span at once: libraries over 64 MiB end it too, at a small cost.
constexpr std::uint64_t kStartupMmapMax = 64ULL << 20;

constexpr std::uint32_t kStat = sizeof(struct stat), kTimespec = sizeof(struct timespec),
                        kTimeval = sizeof(struct timeval), kRusage = sizeof(struct rusage),
                        kItimer = sizeof(struct itimerval), kItimerspec = sizeof(struct itimerspec),
                        kSiginfo = sizeof(siginfo_t), kStatfs = sizeof(struct statfs);

// prctl options that would take over the engine's own mechanisms.
std::optional<std::int64_t> refuse_prctl(const Registers& r) {
  switch (r.arg(0)) {
    case PR_SET_TSC:
    case PR_SET_SECCOMP:
    case PR_SET_MM:
    case PR_SET_PTRACER:
      return -EINVAL;
    default:
      return std::nullopt;
  }
}

std::optional<std::int64_t> refuse_arch_prctl(const Registers& r) {
  if (r.arg(0) == ARCH_SET_CPUID) return -EPERM;  // cpuid faulting belongs to the engine
  return std::nullopt;
}

const SyscallInfo kTable[] = {
    Row(SYS_read, "read", E).out(by_result(1)).answered_by(answer_read).buffered_by_preload().at_startup(),
    Row(SYS_write, "write", E).fd(FdEffect::kWrite).buffered_by_preload(),
    Row(SYS_open, "open", E).fd(FdEffect::kNewFd).at_startup(),
    Row(SYS_close, "close", E).fd(FdEffect::kClose).buffered_by_preload().at_startup(),
    Row(SYS_stat, "stat", E).out(fixed(1, kStat)).at_startup(),
    Row(SYS_fstat, "fstat", E).out(fixed(1, kStat)).answered_by(answer_fstat).at_startup(),
    Row(SYS_lstat, "lstat", E).out(fixed(1, kStat)).at_startup(),
    Row(SYS_poll, "poll", E).out(by_arg(0, 1, sizeof(struct pollfd))),
    Row(SYS_lseek, "lseek", E).buffered_by_preload(),
    Row(SYS_mmap, "mmap", Policy::kMmap).at_startup(1, kStartupMmapMax).why("anonymous maps re-made at the recorded address; files mapped from the trace's blob"),
    Row(SYS_mprotect, "mprotect", N),
    Row(SYS_munmap, "munmap", N),
    Row(SYS_brk, "brk", Policy::kBrk).at_startup(0, 0).why("the heap is re-made with anonymous maps"),
    Row(SYS_rt_sigaction, "rt_sigaction", N),
    Row(SYS_rt_sigprocmask, "rt_sigprocmask", X).why("may unblock a pending signal, which is then delivered at this call"),
    Row(SYS_rt_sigreturn, "rt_sigreturn", X),
    Row(SYS_ioctl, "ioctl", E).with(out_ioctl).answered_by(answer_ioctl).buffered_by_preload().why("terminal and FIONREAD requests, plus any _IOC_READ request; an unknown successful request stops recording; the preload buffers isatty's TCGETS"),
    Row(SYS_pread64, "pread64", E).out(by_result(1)).answered_by(answer_pread64).buffered_by_preload().at_startup(),
    Row(SYS_pwrite64, "pwrite64", E),
    Row(SYS_readv, "readv", E).with(out_iovec_result),
    Row(SYS_writev, "writev", E).fd(FdEffect::kWriteV),
    Row(SYS_access, "access", E).buffered_by_preload().at_startup(),
    Row(SYS_pipe, "pipe", E).out(fixed(0, 8)).fd(FdEffect::kNewFdPair, 0),
    Row(SYS_select, "select", E).with(out_select),
    Row(SYS_sched_yield, "sched_yield", N),
    Row(SYS_mremap, "mremap", Policy::kMremap),
    Row(SYS_msync, "msync", E),
    Row(SYS_mincore, "mincore", E).with(out_mincore),
    Row(SYS_madvise, "madvise", N),
    Row(SYS_shmget, "shmget", U).why("System V shared memory"),
    Row(SYS_shmat, "shmat", U).why("System V shared memory"),
    Row(SYS_shmctl, "shmctl", U).why("System V shared memory"),
    Row(SYS_dup, "dup", E).fd(FdEffect::kDup),
    Row(SYS_dup2, "dup2", E).fd(FdEffect::kDupTo),
    Row(SYS_pause, "pause", E),
    Row(SYS_nanosleep, "nanosleep", E).out(fixed(1, kTimespec)),
    Row(SYS_getitimer, "getitimer", E).out(fixed(1, kItimer)),
    Row(SYS_alarm, "alarm", E),
    Row(SYS_setitimer, "setitimer", E).out(fixed(2, kItimer)),
    Row(SYS_getpid, "getpid", E).answered_by(answer_getpid).buffered_by_preload(),
    Row(SYS_sendfile, "sendfile", E).out(fixed(2, 8)),
    Row(SYS_socket, "socket", E).fd(FdEffect::kNewFd),
    Row(SYS_connect, "connect", E),
    Row(SYS_accept, "accept", E).out(pointee(1, 2)).out(fixed(2, 4)).fd(FdEffect::kNewFd),
    Row(SYS_sendto, "sendto", E),
    Row(SYS_recvfrom, "recvfrom", E).out(by_result(1)).out(pointee(4, 5)).out(fixed(5, 4)),
    Row(SYS_sendmsg, "sendmsg", E),
    Row(SYS_recvmsg, "recvmsg", E).with(out_recvmsg),
    Row(SYS_shutdown, "shutdown", E),
    Row(SYS_bind, "bind", E),
    Row(SYS_listen, "listen", E),
    Row(SYS_getsockname, "getsockname", E).out(pointee(1, 2)).out(fixed(2, 4)),
    Row(SYS_getpeername, "getpeername", E).out(pointee(1, 2)).out(fixed(2, 4)),
    Row(SYS_socketpair, "socketpair", E).out(fixed(3, 8)).fd(FdEffect::kNewFdPair, 3),
    Row(SYS_setsockopt, "setsockopt", E),
    Row(SYS_getsockopt, "getsockopt", E).out(pointee(3, 4)).out(fixed(4, 4)),
    Row(SYS_clone, "clone", U).why("threads and processes are not recorded yet"),
    Row(SYS_fork, "fork", U).why("threads and processes are not recorded yet"),
    Row(SYS_vfork, "vfork", U).why("threads and processes are not recorded yet"),
    Row(SYS_execve, "execve", Policy::kExec),
    Row(SYS_exit, "exit", Policy::kExit),
    Row(SYS_wait4, "wait4", E).out(fixed(1, 4)).out(fixed(3, kRusage)),
    Row(SYS_kill, "kill", E),
    Row(SYS_uname, "uname", E).out(fixed(0, sizeof(struct utsname))).at_startup(),
    Row(SYS_fcntl, "fcntl", E).with(out_fcntl).fd(FdEffect::kFcntl).why("F_DUPFD duplicates; F_GETLK and F_GETOWN_EX write a struct"),
    Row(SYS_flock, "flock", E),
    Row(SYS_fsync, "fsync", E).buffered_by_preload(),
    Row(SYS_fdatasync, "fdatasync", E),
    Row(SYS_truncate, "truncate", E).buffered_by_preload(),
    Row(SYS_ftruncate, "ftruncate", E),
    Row(SYS_getdents, "getdents", E).out(by_result(1)),
    Row(SYS_getcwd, "getcwd", E).out(by_result(0)).answered_by(answer_getcwd).buffered_by_preload().at_startup(),
    Row(SYS_chdir, "chdir", E),
    Row(SYS_fchdir, "fchdir", E),
    Row(SYS_rename, "rename", E).buffered_by_preload(),
    Row(SYS_mkdir, "mkdir", E),
    Row(SYS_rmdir, "rmdir", E),
    Row(SYS_creat, "creat", E).fd(FdEffect::kNewFd),
    Row(SYS_link, "link", E),
    Row(SYS_unlink, "unlink", E).buffered_by_preload(),
    Row(SYS_symlink, "symlink", E),
    Row(SYS_readlink, "readlink", E).out(by_result(1)).at_startup(),
    Row(SYS_chmod, "chmod", E),
    Row(SYS_fchmod, "fchmod", E),
    Row(SYS_chown, "chown", E),
    Row(SYS_fchown, "fchown", E),
    Row(SYS_lchown, "lchown", E),
    Row(SYS_umask, "umask", E),
    Row(SYS_gettimeofday, "gettimeofday", E).out(fixed(0, kTimeval)).out(fixed(1, 8)).answered_by(answer_gettimeofday),
    Row(SYS_getrlimit, "getrlimit", E).out(fixed(1, sizeof(struct rlimit))),
    Row(SYS_getrusage, "getrusage", E).out(fixed(1, kRusage)),
    Row(SYS_sysinfo, "sysinfo", E).out(fixed(0, sizeof(struct sysinfo))),
    Row(SYS_times, "times", E).out(fixed(0, sizeof(struct tms))),
    Row(SYS_ptrace, "ptrace", S).answer(-EPERM).why("a traced program cannot trace"),
    Row(SYS_getuid, "getuid", E),
    Row(SYS_syslog, "syslog", E).out(by_result(1)),
    Row(SYS_getgid, "getgid", E),
    Row(SYS_setuid, "setuid", E),
    Row(SYS_setgid, "setgid", E),
    Row(SYS_geteuid, "geteuid", E),
    Row(SYS_getegid, "getegid", E),
    Row(SYS_setpgid, "setpgid", E),
    Row(SYS_getppid, "getppid", E).answered_by(answer_getppid).buffered_by_preload(),
    Row(SYS_getpgrp, "getpgrp", E),
    Row(SYS_setsid, "setsid", E),
    Row(SYS_setreuid, "setreuid", E),
    Row(SYS_setregid, "setregid", E),
    Row(SYS_getgroups, "getgroups", E).out(by_result(1, 4)),
    Row(SYS_setgroups, "setgroups", E),
    Row(SYS_setresuid, "setresuid", E),
    Row(SYS_getresuid, "getresuid", E).out(fixed(0, 4)).out(fixed(1, 4)).out(fixed(2, 4)),
    Row(SYS_setresgid, "setresgid", E),
    Row(SYS_getresgid, "getresgid", E).out(fixed(0, 4)).out(fixed(1, 4)).out(fixed(2, 4)),
    Row(SYS_getpgid, "getpgid", E),
    Row(SYS_setfsuid, "setfsuid", E),
    Row(SYS_setfsgid, "setfsgid", E),
    Row(SYS_getsid, "getsid", E),
    Row(SYS_capget, "capget", E).out(fixed(1, 2 * sizeof(struct __user_cap_data_struct))),
    Row(SYS_capset, "capset", E),
    Row(SYS_rt_sigpending, "rt_sigpending", E).out(by_arg(0, 1)),
    Row(SYS_rt_sigtimedwait, "rt_sigtimedwait", E).out(fixed(1, kSiginfo)),
    Row(SYS_rt_sigqueueinfo, "rt_sigqueueinfo", E),
    Row(SYS_rt_sigsuspend, "rt_sigsuspend", X).why("runs in replay so the temporary mask lets the recorded signal in"),
    Row(SYS_sigaltstack, "sigaltstack", N),
    Row(SYS_utime, "utime", E),
    Row(SYS_mknod, "mknod", E),
    Row(SYS_personality, "personality", E),
    Row(SYS_statfs, "statfs", E).out(fixed(1, kStatfs)),
    Row(SYS_fstatfs, "fstatfs", E).out(fixed(1, kStatfs)),
    Row(SYS_getpriority, "getpriority", E),
    Row(SYS_setpriority, "setpriority", E),
    Row(SYS_sched_setparam, "sched_setparam", E),
    Row(SYS_sched_getparam, "sched_getparam", E).out(fixed(1, 4)),
    Row(SYS_sched_setscheduler, "sched_setscheduler", E),
    Row(SYS_sched_getscheduler, "sched_getscheduler", E),
    Row(SYS_sched_get_priority_max, "sched_get_priority_max", E),
    Row(SYS_sched_get_priority_min, "sched_get_priority_min", E),
    Row(SYS_sched_rr_get_interval, "sched_rr_get_interval", E).out(fixed(1, kTimespec)),
    Row(SYS_mlock, "mlock", E),
    Row(SYS_munlock, "munlock", E),
    Row(SYS_mlockall, "mlockall", E),
    Row(SYS_munlockall, "munlockall", E),
    Row(SYS_prctl, "prctl", E).with(out_prctl).refuse_if(refuse_prctl).why("PR_SET_TSC, PR_SET_SECCOMP, PR_SET_MM and PR_SET_PTRACER refused with EINVAL"),
    Row(SYS_arch_prctl, "arch_prctl", N).native_when(0, {ARCH_SET_GS, ARCH_SET_FS, ARCH_GET_FS, ARCH_GET_GS}).refuse_if(refuse_arch_prctl).with(out_arch_prctl).why("FS/GS codes run natively; ARCH_SET_CPUID refused with EPERM"),
    Row(SYS_setrlimit, "setrlimit", E),
    Row(SYS_chroot, "chroot", E),
    Row(SYS_sync, "sync", E),
    Row(SYS_gettid, "gettid", E).answered_by(answer_getpid),
    Row(SYS_getxattr, "getxattr", E).out(by_result(2)),
    Row(SYS_lgetxattr, "lgetxattr", E).out(by_result(2)),
    Row(SYS_fgetxattr, "fgetxattr", E).out(by_result(2)),
    Row(SYS_listxattr, "listxattr", E).out(by_result(1)),
    Row(SYS_llistxattr, "llistxattr", E).out(by_result(1)),
    Row(SYS_flistxattr, "flistxattr", E).out(by_result(1)),
    Row(SYS_setxattr, "setxattr", E),
    Row(SYS_fsetxattr, "fsetxattr", E),
    Row(SYS_tkill, "tkill", E),
    Row(SYS_time, "time", E).out(fixed(0, 8)).answered_by(answer_time).buffered_by_preload(),
    Row(SYS_futex, "futex", E).native_when(1, {FUTEX_WAKE | FUTEX_PRIVATE_FLAG}).why("single-threaded: a private wake (pthread_once's, call_once's) runs natively, in record and replay alike: nothing can wait on it; other operations are emulated from the recording"),
    Row(SYS_sched_setaffinity, "sched_setaffinity", S).answer(0).why("the engine pins the program to one CPU; the call is answered as successful"),
    Row(SYS_sched_getaffinity, "sched_getaffinity", E).out(by_result(2)),
    Row(SYS_io_setup, "io_setup", S).answer(-ENOSYS).why("kernel AIO writes memory asynchronously"),
    Row(SYS_io_submit, "io_submit", S).answer(-ENOSYS),
    Row(SYS_epoll_create, "epoll_create", E).fd(FdEffect::kNewFd),
    Row(SYS_getdents64, "getdents64", E).out(by_result(1)),
    Row(SYS_set_tid_address, "set_tid_address", E).at_startup(),
    Row(SYS_restart_syscall, "restart_syscall", E),
    Row(SYS_fadvise64, "fadvise64", E),
    Row(SYS_timer_create, "timer_create", E).out(fixed(2, 4)),
    Row(SYS_timer_settime, "timer_settime", E).out(fixed(3, kItimerspec)),
    Row(SYS_timer_gettime, "timer_gettime", E).out(fixed(1, kItimerspec)),
    Row(SYS_timer_getoverrun, "timer_getoverrun", E),
    Row(SYS_timer_delete, "timer_delete", E),
    Row(SYS_clock_settime, "clock_settime", E),
    Row(SYS_clock_gettime, "clock_gettime", E).out(fixed(1, kTimespec)).answered_by(answer_clock_gettime).buffered_by_preload(),
    Row(SYS_clock_getres, "clock_getres", E).out(fixed(1, kTimespec)),
    Row(SYS_clock_nanosleep, "clock_nanosleep", E).out(fixed(3, kTimespec)),
    Row(SYS_exit_group, "exit_group", Policy::kExit),
    Row(SYS_epoll_wait, "epoll_wait", E).out(by_result(1, sizeof(struct epoll_event))),
    Row(SYS_epoll_ctl, "epoll_ctl", E),
    Row(SYS_tgkill, "tgkill", E),
    Row(SYS_utimes, "utimes", E),
    Row(SYS_waitid, "waitid", E).out(fixed(2, kSiginfo)).out(fixed(4, kRusage)),
    Row(SYS_inotify_init, "inotify_init", E).fd(FdEffect::kNewFd),
    Row(SYS_inotify_add_watch, "inotify_add_watch", E),
    Row(SYS_inotify_rm_watch, "inotify_rm_watch", E),
    Row(SYS_openat, "openat", E).fd(FdEffect::kNewFd).buffered_by_preload().at_startup(),
    Row(SYS_mkdirat, "mkdirat", E),
    Row(SYS_mknodat, "mknodat", E),
    Row(SYS_fchownat, "fchownat", E),
    Row(SYS_futimesat, "futimesat", E),
    Row(SYS_newfstatat, "newfstatat", E).out(fixed(2, kStat)).answered_by(answer_newfstatat).buffered_by_preload().at_startup(),
    Row(SYS_unlinkat, "unlinkat", E),
    Row(SYS_renameat, "renameat", E),
    Row(SYS_linkat, "linkat", E),
    Row(SYS_symlinkat, "symlinkat", E),
    Row(SYS_readlinkat, "readlinkat", E).out(by_result(2)).at_startup(),
    Row(SYS_fchmodat, "fchmodat", E),
    Row(SYS_faccessat, "faccessat", E).at_startup(),
    Row(SYS_pselect6, "pselect6", E).with(out_select).why("a signal mask argument is not applied in replay"),
    Row(SYS_ppoll, "ppoll", E).out(by_arg(0, 1, sizeof(struct pollfd))).out(fixed(2, kTimespec)),
    Row(SYS_unshare, "unshare", U).why("namespaces"),
    Row(SYS_set_robust_list, "set_robust_list", N),
    Row(SYS_get_robust_list, "get_robust_list", E).out(fixed(1, 8)).out(fixed(2, 8)),
    Row(SYS_splice, "splice", E).out(fixed(1, 8)).out(fixed(3, 8)),
    Row(SYS_tee, "tee", E),
    Row(SYS_sync_file_range, "sync_file_range", E),
    Row(SYS_utimensat, "utimensat", E),
    Row(SYS_epoll_pwait, "epoll_pwait", E).out(by_result(1, sizeof(struct epoll_event))),
    Row(SYS_signalfd, "signalfd", E).fd(FdEffect::kNewFd),
    Row(SYS_timerfd_create, "timerfd_create", E).fd(FdEffect::kNewFd),
    Row(SYS_eventfd, "eventfd", E).fd(FdEffect::kNewFd),
    Row(SYS_fallocate, "fallocate", E),
    Row(SYS_timerfd_settime, "timerfd_settime", E).out(fixed(3, kItimerspec)),
    Row(SYS_timerfd_gettime, "timerfd_gettime", E).out(fixed(1, kItimerspec)),
    Row(SYS_accept4, "accept4", E).out(pointee(1, 2)).out(fixed(2, 4)).fd(FdEffect::kNewFd),
    Row(SYS_signalfd4, "signalfd4", E).fd(FdEffect::kNewFd),
    Row(SYS_eventfd2, "eventfd2", E).fd(FdEffect::kNewFd),
    Row(SYS_epoll_create1, "epoll_create1", E).fd(FdEffect::kNewFd),
    Row(SYS_dup3, "dup3", E).fd(FdEffect::kDupTo),
    Row(SYS_pipe2, "pipe2", E).out(fixed(0, 8)).fd(FdEffect::kNewFdPair, 0),
    Row(SYS_inotify_init1, "inotify_init1", E).fd(FdEffect::kNewFd),
    Row(SYS_preadv, "preadv", E).with(out_iovec_result),
    Row(SYS_pwritev, "pwritev", E),
    Row(SYS_rt_tgsigqueueinfo, "rt_tgsigqueueinfo", E),
    Row(SYS_perf_event_open, "perf_event_open", S).answer(-ENOENT).why("counters of the program's own would read differently in replay; answered as on a machine without a PMU"),
    Row(SYS_recvmmsg, "recvmmsg", E).with(out_recvmmsg),
    Row(SYS_fanotify_init, "fanotify_init", S).answer(-ENOSYS),
    Row(SYS_prlimit64, "prlimit64", E).out(fixed(3, sizeof(struct rlimit))).at_startup(2, 0),
    Row(SYS_syncfs, "syncfs", E),
    Row(SYS_sendmmsg, "sendmmsg", E).with(out_sendmmsg),
    Row(SYS_getcpu, "getcpu", E).out(fixed(0, 4)).out(fixed(1, 4)),
    Row(SYS_process_vm_readv, "process_vm_readv", S).answer(-EPERM),
    Row(SYS_process_vm_writev, "process_vm_writev", S).answer(-EPERM),
    Row(SYS_sched_getattr, "sched_getattr", E).out(by_arg(1, 2)),
    Row(SYS_renameat2, "renameat2", E),
    Row(SYS_seccomp, "seccomp", S).answer(-EINVAL).why("the engine's own filter must stay in charge"),
    Row(SYS_getrandom, "getrandom", E).out(by_result(0)).at_startup(),
    Row(SYS_memfd_create, "memfd_create", E).fd(FdEffect::kNewFd),
    Row(SYS_bpf, "bpf", S).answer(-EPERM),
    Row(SYS_execveat, "execveat", Policy::kExec),
    Row(SYS_userfaultfd, "userfaultfd", S).answer(-ENOSYS),
    Row(SYS_membarrier, "membarrier", E),
    Row(SYS_mlock2, "mlock2", E),
    Row(SYS_copy_file_range, "copy_file_range", E).out(fixed(1, 8)).out(fixed(3, 8)),
    Row(SYS_preadv2, "preadv2", E).with(out_iovec_result),
    Row(SYS_pwritev2, "pwritev2", E),
    Row(SYS_pkey_mprotect, "pkey_mprotect", N),
    Row(SYS_pkey_alloc, "pkey_alloc", S).answer(-ENOSPC),
    Row(SYS_statx, "statx", E).out(fixed(4, sizeof(struct statx))).at_startup(),
    Row(SYS_io_pgetevents, "io_pgetevents", S).answer(-ENOSYS),
    Row(SYS_rseq, "rseq", S).answer(-ENOSYS).in_filter().why("the kernel would write CPU ids behind the recorder's back; glibc runs without it"),
    Row(SYS_pidfd_send_signal, "pidfd_send_signal", E),
    Row(SYS_io_uring_setup, "io_uring_setup", S).answer(-ENOSYS).why("io_uring completes I/O asynchronously into shared memory"),
    Row(SYS_io_uring_enter, "io_uring_enter", S).answer(-ENOSYS),
    Row(SYS_io_uring_register, "io_uring_register", S).answer(-ENOSYS),
    Row(SYS_pidfd_open, "pidfd_open", E).fd(FdEffect::kNewFd),
    Row(SYS_clone3, "clone3", S).answer(-ENOSYS).why("answered ENOSYS so glibc falls back to clone, which names the thread or process it creates"),
    Row(SYS_close_range, "close_range", E).fd(FdEffect::kCloseRange),
    Row(SYS_openat2, "openat2", E).fd(FdEffect::kNewFd),
    Row(SYS_faccessat2, "faccessat2", E).at_startup(),
    Row(SYS_epoll_pwait2, "epoll_pwait2", E).out(by_result(1, sizeof(struct epoll_event))),
    Row(SYS_landlock_create_ruleset, "landlock_create_ruleset", S).answer(-ENOSYS),
    Row(SYS_futex_waitv, "futex_waitv", E),
};

// Indexed by number for O(1) lookup on the hot path.
struct Index {
  std::array<const SyscallInfo*, 512> by_nr{};
  Index() {
    for (const auto& row : kTable) by_nr[static_cast<std::size_t>(row.nr)] = &row;
  }
};
const Index& index() {
  static const Index idx;
  return idx;
}

struct KernelName {
  int nr;
  const char* name;
};
constexpr KernelName kKernelNames[] = {
#include "syscall_names.inc"
};

}  // namespace

const SyscallInfo* find_syscall(std::int64_t nr) {
  if (nr < 0 || nr >= 512) return nullptr;
  return index().by_nr[static_cast<std::size_t>(nr)];
}

std::span<const SyscallInfo> all_syscalls() { return kTable; }

std::string syscall_name(std::int64_t nr) {
  if (auto* row = find_syscall(nr)) return row->name;
  for (const auto& k : kKernelNames)
    if (k.nr == nr) return k.name;
  return fmt::format("syscall_{}", nr);
}

const char* policy_name(Policy p) {
  switch (p) {
    case Policy::kNative: return "native";
    case Policy::kEmulate: return "emulated";
    case Policy::kExecute: return "executed";
    case Policy::kMmap:
    case Policy::kBrk:
    case Policy::kMremap: return "address space";
    case Policy::kExec: return "exec";
    case Policy::kExit: return "exit";
    case Policy::kSkip: return "refused";
    case Policy::kUnsupported: return "unsupported";
  }
  return "?";
}

}  // namespace rrtr
