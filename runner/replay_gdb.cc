#include "replay_gdb.h"

#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cstdio>

#include "common/error.h"
#include "common/files.h"
#include "common/stderr.h"
#include "common/unique_fd.h"
#include "gdb/gdb_server.h"
#include "gdb/listener.h"
#include "replay/replay_target.h"

namespace rrtr::cli {

namespace {

// gdb runs in the foreground with the terminal; Ctrl-C there reaches gdb, which sends
// an interrupt packet. Our copy of SIGINT must not end the replay.
struct IgnoreTerminalSignals {
  struct sigaction old_int {}, old_quit {};
  IgnoreTerminalSignals() {
    struct sigaction ign {};
    ign.sa_handler = SIG_IGN;
    sigaction(SIGINT, &ign, &old_int);
    sigaction(SIGQUIT, &ign, &old_quit);
  }
  ~IgnoreTerminalSignals() {
    sigaction(SIGINT, &old_int, nullptr);
    sigaction(SIGQUIT, &old_quit, nullptr);
  }
};

pid_t spawn_gdb(const std::string& gdb, std::uint16_t port, const std::vector<std::string>& extra) {
  std::vector<std::string> args = {gdb, "-q", "-ex", "set sysroot target:",
                                   "-ex", fmt::format("target extended-remote 127.0.0.1:{}", port)};
  args.insert(args.end(), extra.begin(), extra.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = fork();
  if (pid < 0) fail_errno("fork");
  if (pid == 0) {
    signal(SIGINT, SIG_DFL);
    signal(SIGQUIT, SIG_DFL);
    execv(gdb.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

}  // namespace

int replay_under_gdb(const ReplayArgs& a) {
  std::string gdb;
  if (!a.gdb_port) {
    if (auto found = find_in_path("gdb")) gdb = found->string();
    if (gdb.empty()) throw Error(ExitCode::kBadInput, "gdb not found in PATH: install it (Debian package gdb)");
  }
  ReplayTarget target(a.trace);
  if (a.goto_failure) {
    std::string description;
    if (target.goto_failure(&description))
      print_stderr("rr-test-runner: stopped at the failure: {}\n", description);
    else
      print_stderr("rr-test-runner: the recording has no failure; starting at the beginning\n");
  }
  auto listener = gdb::GdbListener::listen_on_loopback(a.gdb_port.value_or(0));
  gdb::GdbServer server(target);
  // RRTR_GDB_LOG=FILE logs every packet, for debugging the protocol.
  std::FILE* log = nullptr;
  if (const char* path = getenv("RRTR_GDB_LOG")) log = std::fopen(path, "w");
  if (log)
    server.set_packet_log([log](gdb::PacketDirection d, std::string_view p) {
      fmt::print(log, "{} {}\n", d == gdb::PacketDirection::kFromGdb ? "->" : "<-", p.substr(0, 200));
      std::fflush(log);
    });
  if (a.gdb_port) {
    print_stderr("rr-test-runner: gdb server on 127.0.0.1:{}; connect with: gdb -ex 'target extended-remote 127.0.0.1:{}'\n",
               listener.port(), listener.port());
    UniqueFd conn = listener.accept();
    server.serve(conn.get());
    return 0;
  }
  IgnoreTerminalSignals ignore;
  pid_t child = spawn_gdb(gdb, listener.port(), a.gdb_args);
  UniqueFd pidfd(static_cast<int>(syscall(SYS_pidfd_open, child, 0)));
  pollfd fds[2] = {{listener.fd(), POLLIN, 0}, {pidfd.get(), POLLIN, 0}};
  while (::poll(fds, 2, -1) < 0 && errno == EINTR) {
  }
  if (fds[0].revents & POLLIN) {
    UniqueFd conn = listener.accept();
    server.serve(conn.get());
  }
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace rrtr::cli
