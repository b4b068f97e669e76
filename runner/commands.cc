#include "commands.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cstdio>
#include <iostream>

#include "common/error.h"
#include "record/recorder.h"
#include "replay/replay_session.h"
#include "syscalls/syscall_table.h"
#include "trace/trace_dir.h"

namespace rrtr::cli {

std::filesystem::path fresh_trace_path(const std::filesystem::path& dir, const std::string& program) {
  const std::string base = std::filesystem::path(program).filename().string();
  for (int n = 0;; ++n) {
    auto p = dir / fmt::format("{}-{}", base, n);
    std::error_code ec;
    if (!std::filesystem::exists(p, ec)) return p;
  }
}

int record(const RecordArgs& a) {
  ::umask(077);  // traces hold the program's environment and data
  RecordOptions o;
  o.argv = a.command;
  o.cpu = a.cpu;
  o.trace_dir = a.output ? *a.output : fresh_trace_path(a.traces_dir, a.command.front());
  o.blob_store = (a.output ? std::filesystem::absolute(*a.output).parent_path() : std::filesystem::absolute(a.traces_dir)) / ".blobs";
  RecordResult r = rrtr::record(o);
  if (!r.complete) {
    fmt::print(stderr, "rr-test-runner: {}\nrr-test-runner: incomplete trace written to {}\n", r.problem,
               o.trace_dir.string());
    return r.problem_exit == to_int(ExitCode::kInterrupted) ? r.status : r.problem_exit;
  }
  if (a.keep == "failing" && r.status == 0) {
    std::filesystem::remove_all(o.trace_dir);
  } else {
    fmt::print(stderr, "rr-test-runner: trace written to {}\n", o.trace_dir.string());
  }
  return r.status;
}

int replay(const ReplayArgs& a) {
  if (!a.autopilot && !a.goto_failure)
    throw Error(ExitCode::kUsage, "replay under gdb is not available in this build yet; use --autopilot");
  ReplaySession session(a.trace, ReplayOptions{.echo_stdio = !a.quiet});
  return session.run_to_end();
}

int dump(const std::filesystem::path& trace_dir) {
  TraceReader trace(trace_dir);
  auto events = trace.open_events();
  std::uint64_t i = 0;
  while (auto e = events.next()) std::cout << event_to_json(*e, i++).dump() << '\n';
  std::cout.flush();
  if (events.truncated())
    throw Error(trace.complete() ? ExitCode::kTraceCorrupt : ExitCode::kIncompleteTrace,
                fmt::format("{}: events end after event {} (the trace is {})", trace_dir.string(), i,
                            trace.complete() ? "damaged" : "incomplete"));
  return 0;
}

int syscalls_doc() {
  fmt::print("# Syscall support\n\nGenerated from `core/syscalls/syscall_table.cc` by `rr-test-runner syscalls`.\n"
             "Do not edit by hand. Syscalls missing from this table stop a recording with their number and name.\n\n"
             "| nr | syscall | policy | notes |\n|---:|---|---|---|\n");
  for (const auto& row : all_syscalls()) {
    std::string note = row.note;
    if (row.policy == Policy::kSkip) note = fmt::format("answered {}{}{}", row.skip_result, note.empty() ? "" : "; ", note);
    fmt::print("| {} | `{}` | {} | {} |\n", row.nr, row.name, policy_name(row.policy), note);
  }
  return 0;
}

}  // namespace rrtr::cli
