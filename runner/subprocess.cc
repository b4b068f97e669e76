#include "subprocess.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/error.h"
#include "common/files.h"

namespace rrtr::cli {

namespace {
std::vector<char*> c_argv(const std::vector<std::string>& argv) {
  std::vector<char*> v;
  for (const auto& a : argv) v.push_back(const_cast<char*>(a.c_str()));
  v.push_back(nullptr);
  return v;
}
}  // namespace

Subprocess::Subprocess(const std::vector<std::string>& argv, const std::filesystem::path& log,
                       const std::vector<std::string>& env, const std::filesystem::path& cwd) {
  UniqueFd out(::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (!out.valid()) fail(ExitCode::kBadInput, "cannot create {}: {}", log.string(), std::strerror(errno));
  auto args = c_argv(argv);
  pid_ = fork();
  if (pid_ < 0) fail_errno("fork");
  if (pid_ == 0) {
    setpgid(0, 0);
    int devnull = ::open("/dev/null", O_RDONLY);
    dup2(devnull, 0);
    dup2(out.get(), 1);
    dup2(out.get(), 2);
    for (const auto& e : env) putenv(const_cast<char*>(e.c_str()));
    if (!cwd.empty() && chdir(cwd.c_str()) != 0) _exit(126);
    execv(args[0], args.data());
    _exit(127);
  }
  setpgid(pid_, pid_);  // also here: no race with signal_group before the child ran
  pidfd_.reset(static_cast<int>(syscall(SYS_pidfd_open, pid_, 0)));
  if (!pidfd_.valid()) fail_errno("pidfd_open");
}

Subprocess::~Subprocess() {
  if (pid_ <= 0 || reaped_) return;
  ::kill(-pid_, SIGKILL);
  int status;
  waitpid(pid_, &status, 0);
}

std::optional<int> Subprocess::poll_exit() {
  if (reaped_) return std::nullopt;
  int status = 0;
  pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r != pid_) return std::nullopt;
  reaped_ = true;
  return status;
}

void Subprocess::signal_group(int sig) const {
  if (pid_ > 0 && !reaped_) ::kill(-pid_, sig);
}

std::pair<int, std::string> run_capture(const std::vector<std::string>& argv) {
  int pipefd[2];
  if (pipe2(pipefd, O_CLOEXEC) != 0) fail_errno("pipe");
  UniqueFd rd(pipefd[0]), wr(pipefd[1]);
  auto args = c_argv(argv);
  pid_t pid = fork();
  if (pid < 0) fail_errno("fork");
  if (pid == 0) {
    int devnull = ::open("/dev/null", O_RDONLY);
    dup2(devnull, 0);
    dup2(wr.get(), 1);
    dup2(wr.get(), 2);
    execvp(args[0], args.data());
    _exit(127);
  }
  wr.reset();
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(rd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return {status, out};
}

}  // namespace rrtr::cli
