// The syscalls the recorder answers itself must get the answers the kernel gives the
// tracee: checked against a real traced child.
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include <filesystem>
#include <fmt/format.h>

#include "common/unique_fd.h"
#include "temp_dir.h"

#include "ptrace/tracee_process.h"
#include "syscalls/answer_fns.h"

namespace rrtr {
namespace {

// A buffer in the child: fork copies the parent, so its address is the same there.
alignas(16) char g_child_buffer[256];

struct Child {
  TraceeProcess proc{0, [] {
                       for (;;) pause();
                     }};
  Registers call(std::int64_t nr, std::uint64_t a0 = 0, std::uint64_t a1 = 0, std::uint64_t a2 = 0,
                 std::uint64_t a3 = 0) {
    Registers r = proc.task().regs();
    r.set_syscallno(nr);
    r.set_arg(0, a0);
    r.set_arg(1, a1);
    r.set_arg(2, a2);
    r.set_arg(3, a3);
    return r;
  }
  template <typename T>
  T read(std::uint64_t addr) {
    T v{};
    proc.task().try_read_mem(RemotePtr(addr), &v, sizeof v);
    return v;
  }
};

std::uint64_t buffer() { return reinterpret_cast<std::uint64_t>(g_child_buffer); }

TEST(AnswerFns, IdsAreTheChildsOwn) {
  Child c;
  EXPECT_EQ(answer_getpid(c.proc.task(), c.call(SYS_getpid)), c.proc.pid().value);
  EXPECT_EQ(answer_getppid(c.proc.task(), c.call(SYS_getppid)), getpid());  // we forked it
}

TEST(AnswerFns, ClockGettimeWritesTheSystemClockIntoTheChild) {
  Child c;
  timespec before{}, after{};
  clock_gettime(CLOCK_MONOTONIC, &before);
  EXPECT_EQ(answer_clock_gettime(c.proc.task(), c.call(SYS_clock_gettime, CLOCK_MONOTONIC, buffer())), 0);
  clock_gettime(CLOCK_MONOTONIC, &after);
  const auto got = c.read<timespec>(buffer());
  auto ns = [](const timespec& t) { return t.tv_sec * 1000000000LL + t.tv_nsec; };
  EXPECT_LE(ns(before), ns(got));
  EXPECT_LE(ns(got), ns(after));
}

TEST(AnswerFns, PerProcessClocksAreLeftToTheKernel) {
  Child c;
  EXPECT_EQ(answer_clock_gettime(c.proc.task(), c.call(SYS_clock_gettime, CLOCK_PROCESS_CPUTIME_ID, buffer())),
            std::nullopt);
  EXPECT_EQ(answer_clock_gettime(c.proc.task(), c.call(SYS_clock_gettime, CLOCK_THREAD_CPUTIME_ID, buffer())),
            std::nullopt);
}

TEST(AnswerFns, ABadPointerIsEfaultLikeTheKernelSays) {
  Child c;
  EXPECT_EQ(answer_clock_gettime(c.proc.task(), c.call(SYS_clock_gettime, CLOCK_REALTIME, 8)), -EFAULT);
  EXPECT_EQ(answer_gettimeofday(c.proc.task(), c.call(SYS_gettimeofday, 8)), -EFAULT);
  EXPECT_EQ(answer_time(c.proc.task(), c.call(SYS_time, 8)), -EFAULT);
}

TEST(AnswerFns, AReadOnlyPageIsEfaultToo) {
  // The tracer could write there (/proc/PID/mem can); the kernel would not.
  void* ro = mmap(nullptr, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(ro, MAP_FAILED);
  {
    Child c;  // forked after the mapping: it has it too
    const auto addr = reinterpret_cast<std::uint64_t>(ro);
    EXPECT_EQ(answer_clock_gettime(c.proc.task(), c.call(SYS_clock_gettime, CLOCK_MONOTONIC, addr)), -EFAULT);
    EXPECT_EQ(c.read<std::uint64_t>(addr), 0u);
  }
  munmap(ro, 4096);
}

TEST(AnswerFns, TimeReturnsAndStoresTheSeconds) {
  Child c;
  const auto before = time(nullptr);
  const auto r = answer_time(c.proc.task(), c.call(SYS_time, buffer()));
  ASSERT_TRUE(r.has_value());
  EXPECT_GE(*r, before);
  EXPECT_EQ(c.read<std::int64_t>(buffer()), *r);
  EXPECT_EQ(answer_time(c.proc.task(), c.call(SYS_time, 0)).value_or(-1) >= before, true);
}

TEST(AnswerFns, GettimeofdayWithATimezoneIsLeftToTheKernel) {
  Child c;
  EXPECT_EQ(answer_gettimeofday(c.proc.task(), c.call(SYS_gettimeofday, buffer(), buffer() + 32)), std::nullopt);
  EXPECT_EQ(answer_gettimeofday(c.proc.task(), c.call(SYS_gettimeofday, 0, 0)), 0);
}

// A file the child inherits: the same open file description, so the parent sees the
// offset the child's read leaves.
struct ChildWithFile {
  TempDir dir;
  UniqueFd fd = open_file("0123456789", O_RDONLY);
  Child c;
  UniqueFd open_file(std::string_view content, int flags) {
    const auto path = dir.path / "data";
    UniqueFd w(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    if (::write(w.get(), content.data(), content.size()) != static_cast<ssize_t>(content.size())) std::abort();
    return UniqueFd(::open(path.c_str(), flags));  // inherited by the child: no O_CLOEXEC
  }
  std::uint64_t fd_arg() const { return static_cast<std::uint64_t>(fd.get()); }
  off_t offset() const { return lseek(fd.get(), 0, SEEK_CUR); }
  std::string child_bytes(std::size_t n) {
    std::string s(n, '\0');
    c.proc.task().try_read_mem(RemotePtr(buffer()), s.data(), n);
    return s;
  }
};

TEST(AnswerFns, ReadOfALocalFileFillsTheChildsBufferAndMovesItsOffset) {
  ChildWithFile f;
  EXPECT_EQ(answer_read(f.c.proc.task(), f.c.call(SYS_read, f.fd_arg(), buffer(), 4)), 4);
  EXPECT_EQ(f.child_bytes(4), "0123");
  EXPECT_EQ(f.offset(), 4);
  EXPECT_EQ(answer_read(f.c.proc.task(), f.c.call(SYS_read, f.fd_arg(), buffer(), 100)), 6);
  EXPECT_EQ(f.child_bytes(6), "456789");
  EXPECT_EQ(f.offset(), 10);
  EXPECT_EQ(answer_read(f.c.proc.task(), f.c.call(SYS_read, f.fd_arg(), buffer(), 100)), 0);  // end of file
}

TEST(AnswerFns, PreadLeavesTheOffsetAlone) {
  ChildWithFile f;
  EXPECT_EQ(answer_pread64(f.c.proc.task(), f.c.call(SYS_pread64, f.fd_arg(), buffer(), 3, 5)), 3);
  EXPECT_EQ(f.child_bytes(3), "567");
  EXPECT_EQ(f.offset(), 0);
  EXPECT_EQ(answer_pread64(f.c.proc.task(), f.c.call(SYS_pread64, f.fd_arg(), buffer(), 3, -1)), std::nullopt);
}

TEST(AnswerFns, AReadTheKernelWouldFaultOnIsLeftToItWithTheOffsetUnmoved) {
  void* ro = mmap(nullptr, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(ro, MAP_FAILED);
  {
    ChildWithFile f;
    const auto addr = reinterpret_cast<std::uint64_t>(ro);
    EXPECT_EQ(answer_read(f.c.proc.task(), f.c.call(SYS_read, f.fd_arg(), addr, 4)), std::nullopt);
    EXPECT_EQ(answer_read(f.c.proc.task(), f.c.call(SYS_read, f.fd_arg(), 8, 4)), std::nullopt);
    EXPECT_EQ(f.offset(), 0);
  }
  munmap(ro, 4096);
}

TEST(AnswerFns, PipesProcFilesUnreadableAndClosedDescriptorsAreLeftToTheKernel) {
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  UniqueFd r(p[0]), w(p[1]);
  ASSERT_EQ(write(w.get(), "x", 1), 1);
  UniqueFd proc_file(::open("/proc/self/status", O_RDONLY));
  ChildWithFile f;
  UniqueFd write_only = f.open_file("abc", O_WRONLY);
  for (int fd : {r.get(), proc_file.get(), write_only.get(), 999}) {
    const auto arg = static_cast<std::uint64_t>(fd);
    EXPECT_EQ(answer_read(f.c.proc.task(), f.c.call(SYS_read, arg, buffer(), 1)), std::nullopt) << fd;
    if (fd != write_only.get()) {  // a write-only file can be stat'ed
      EXPECT_EQ(answer_fstat(f.c.proc.task(), f.c.call(SYS_fstat, arg, buffer())), std::nullopt) << fd;
    }
  }
  char c;
  EXPECT_EQ(read(r.get(), &c, 1), 1) << "the pipe's byte was taken";
}

TEST(AnswerFns, FstatGivesTheKernelsBytes) {
  ChildWithFile f;
  struct stat st {};
  ASSERT_EQ(fstat(f.fd.get(), &st), 0);
  EXPECT_EQ(answer_fstat(f.c.proc.task(), f.c.call(SYS_fstat, f.fd_arg(), buffer())), 0);
  EXPECT_EQ(f.child_bytes(sizeof st), std::string(reinterpret_cast<const char*>(&st), sizeof st));
  EXPECT_EQ(answer_fstat(f.c.proc.task(), f.c.call(SYS_fstat, f.fd_arg(), 8)), -EFAULT);
}

const char g_empty_path[] = "";
const char g_some_path[] = "data";

TEST(AnswerFns, NewfstatatOnlyInItsFstatForm) {
  ChildWithFile f;
  struct stat st {};
  ASSERT_EQ(fstat(f.fd.get(), &st), 0);
  auto at = [&](const char* path, std::uint64_t flags) {
    return answer_newfstatat(f.c.proc.task(), f.c.call(SYS_newfstatat, f.fd_arg(), reinterpret_cast<std::uint64_t>(path),
                                                        buffer(), flags));
  };
  EXPECT_EQ(at(g_empty_path, AT_EMPTY_PATH), 0);
  EXPECT_EQ(f.child_bytes(sizeof st), std::string(reinterpret_cast<const char*>(&st), sizeof st));
  EXPECT_EQ(at(g_some_path, AT_EMPTY_PATH), std::nullopt);
  EXPECT_EQ(at(g_empty_path, 0), std::nullopt);
  EXPECT_EQ(at(g_empty_path, AT_EMPTY_PATH | 0x10000), std::nullopt);
  EXPECT_EQ(at(nullptr, AT_EMPTY_PATH), std::nullopt);
}

// Docker's default seccomp profile denies process_vm_readv/writev and pidfd_getfd
// without CAP_SYS_PTRACE (ptrace itself it allows). The recorder must then leave the
// calls to the kernel, never answer EFAULT because its own copy was refused.
void deny_copies_and_descriptor_theft() {
  std::vector<sock_filter> f{BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr))};
  for (std::uint32_t nr : {SYS_process_vm_readv, SYS_process_vm_writev, SYS_pidfd_getfd, SYS_pidfd_open}) {
    f.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1));
    f.push_back(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM));
  }
  f.push_back(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
  sock_fprog prog{static_cast<unsigned short>(f.size()), f.data()};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) _exit(3);
}

TEST(AnswerFns, IsattyOfAFileOrAPipeIsEnottyLikeTheKernelSays) {
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  UniqueFd r(p[0]), w(p[1]);
  UniqueFd null_device(::open("/dev/null", O_RDONLY));
  ChildWithFile f;
  for (int fd : {f.fd.get(), w.get()}) {
    errno = 0;
    EXPECT_EQ(ioctl(fd, TCGETS, g_child_buffer), -1);
    EXPECT_EQ(errno, ENOTTY);
    EXPECT_EQ(answer_ioctl(f.c.proc.task(), f.c.call(SYS_ioctl, static_cast<std::uint64_t>(fd), TCGETS, buffer())), -ENOTTY)
        << fd;
  }
  // A device, a closed descriptor, another request: the kernel's.
  for (int fd : {null_device.get(), 999})
    EXPECT_EQ(answer_ioctl(f.c.proc.task(), f.c.call(SYS_ioctl, static_cast<std::uint64_t>(fd), TCGETS, buffer())),
              std::nullopt)
        << fd;
  EXPECT_EQ(answer_ioctl(f.c.proc.task(), f.c.call(SYS_ioctl, f.fd_arg(), FIONREAD, buffer())), std::nullopt);
}

TEST(AnswerFns, GetcwdGivesTheKernelsPathAndLength) {
  Child c;
  char here[4096];
  ASSERT_NE(getcwd(here, sizeof here), nullptr);  // the child's too: it was forked from us
  const auto len = static_cast<std::int64_t>(std::strlen(here) + 1);
  EXPECT_EQ(answer_getcwd(c.proc.task(), c.call(SYS_getcwd, buffer(), sizeof g_child_buffer)), len);
  std::string got(static_cast<std::size_t>(len), 'x');
  c.proc.task().try_read_mem(RemotePtr(buffer()), got.data(), got.size());
  EXPECT_EQ(got, std::string(here, static_cast<std::size_t>(len)));
  EXPECT_EQ(answer_getcwd(c.proc.task(), c.call(SYS_getcwd, buffer(), static_cast<std::uint64_t>(len - 1))), -ERANGE);
  EXPECT_EQ(syscall(SYS_getcwd, here, static_cast<std::size_t>(len - 1)), -1);
  EXPECT_EQ(errno, ERANGE);
  EXPECT_EQ(answer_getcwd(c.proc.task(), c.call(SYS_getcwd, 8, sizeof g_child_buffer)), -EFAULT);
}

TEST(AnswerFns, GetcwdOfARemovedDirectoryIsLeftToTheKernel) {
  TempDir dir;
  const auto gone = dir.path / "gone";
  std::filesystem::create_directory(gone);
  TraceeProcess proc{0, [&] {
                       if (chdir(gone.c_str()) != 0) _exit(1);
                       for (;;) pause();
                     }};
  // The child chdirs once it runs: let it, then stop it again.
  proc.task().resume(Resume::kCont);
  for (int i = 0; i < 1000 && std::filesystem::read_symlink(fmt::format("/proc/{}/cwd", proc.pid().value)) != gone; ++i)
    usleep(1000);
  ASSERT_EQ(kill(proc.pid().value, SIGSTOP), 0);
  ASSERT_TRUE(proc.task().wait().delivered_signal() == SIGSTOP);
  std::filesystem::remove(gone);
  Registers r = proc.task().regs();
  r.set_syscallno(SYS_getcwd);
  r.set_arg(0, buffer());
  r.set_arg(1, sizeof g_child_buffer);
  EXPECT_EQ(answer_getcwd(proc.task(), r), std::nullopt);
}

TEST(AnswerFnsDeathTest, UnderAProfileThatForbidsTheirCopiesTheKernelAnswers) {
  EXPECT_EXIT(
      {
        deny_copies_and_descriptor_theft();
        ChildWithFile f;
        auto& t = f.c.proc.task();
        const bool left_to_kernel =
            answer_clock_gettime(t, f.c.call(SYS_clock_gettime, CLOCK_MONOTONIC, buffer())) == std::nullopt &&
            answer_time(t, f.c.call(SYS_time, buffer())) == std::nullopt &&
            answer_read(t, f.c.call(SYS_read, f.fd_arg(), buffer(), 4)) == std::nullopt &&
            answer_fstat(t, f.c.call(SYS_fstat, f.fd_arg(), buffer())) == std::nullopt && f.offset() == 0;
        // What needs no copy is still answered.
        const bool still_answered = answer_getpid(t, f.c.call(SYS_getpid)) == f.c.proc.pid().value &&
                                    answer_time(t, f.c.call(SYS_time, 0)).has_value();
        _exit(left_to_kernel && still_answered ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace rrtr
