#include "gdb/gdb_signals.h"

#include <signal.h>

#include <array>
#include <utility>

namespace rrtr::gdb {

namespace {

constexpr int kGdbUnknown = 143;
// gdb keeps realtime signals in three runs: 33..63, then 32, then 64 and up.
constexpr int kGdbRealtime33 = 45;
constexpr int kGdbRealtime32 = 77;
constexpr int kGdbRealtime64 = 78;
constexpr int kHostRealtimeFirst = 32;  // the kernel's, below glibc's SIGRTMIN
constexpr int kHostRealtimeLast = 64;

// {Linux, gdb} for the classic signals.
constexpr std::array<std::pair<int, int>, 30> kClassic{{
    {SIGHUP, 1},    {SIGINT, 2},     {SIGQUIT, 3},   {SIGILL, 4},     {SIGTRAP, 5},
    {SIGABRT, 6},   {SIGFPE, 8},     {SIGKILL, 9},   {SIGBUS, 10},    {SIGSEGV, 11},
    {SIGSYS, 12},   {SIGPIPE, 13},   {SIGALRM, 14},  {SIGTERM, 15},   {SIGURG, 16},
    {SIGSTOP, 17},  {SIGTSTP, 18},   {SIGCONT, 19},  {SIGCHLD, 20},   {SIGTTIN, 21},
    {SIGTTOU, 22},  {SIGIO, 23},     {SIGXCPU, 24},  {SIGXFSZ, 25},   {SIGVTALRM, 26},
    {SIGPROF, 27},  {SIGWINCH, 28},  {SIGUSR1, 30},  {SIGUSR2, 31},   {SIGPWR, 32},
}};

}  // namespace

int gdb_signal_from_host(int host_signo) {
  if (host_signo == 0) return 0;
  for (auto [host, gdb] : kClassic) {
    if (host == host_signo) return gdb;
  }
  if (host_signo == kHostRealtimeFirst) return kGdbRealtime32;
  if (host_signo > kHostRealtimeFirst && host_signo < kHostRealtimeLast) {
    return kGdbRealtime33 + (host_signo - 33);
  }
  if (host_signo == kHostRealtimeLast) return kGdbRealtime64;
  return kGdbUnknown;
}

int host_signal_from_gdb(int gdb_signo) {
  if (gdb_signo == 0) return 0;
  for (auto [host, gdb] : kClassic) {
    if (gdb == gdb_signo) return host;
  }
  if (gdb_signo == kGdbRealtime32) return kHostRealtimeFirst;
  if (gdb_signo >= kGdbRealtime33 && gdb_signo < kGdbRealtime33 + 31) {
    return 33 + (gdb_signo - kGdbRealtime33);
  }
  if (gdb_signo == kGdbRealtime64) return kHostRealtimeLast;
  return 0;
}

}  // namespace rrtr::gdb
