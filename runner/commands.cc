#include "commands.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdio>
#include <iostream>

#include "common/error.h"
#include "common/files.h"
#include "common/stderr.h"
#include "rrtr/reports/error.h"
#include "rrtr/reports/json.h"
#include "rrtr/reports/merge.h"
#include "replay_gdb.h"
#include "subprocess.h"
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
  RecordOptions o;
  o.argv = a.command;
  o.cpu = a.cpu;
  o.trace_dir = a.output ? *a.output : fresh_trace_path(a.traces_dir, a.command.front());
  o.blob_store = (a.output ? std::filesystem::absolute(*a.output).parent_path() : std::filesystem::absolute(a.traces_dir)) / ".blobs";
  RecordResult r = rrtr::record(o);
  if (!r.complete) {
    print_stderr("rr-test-runner: {}\nrr-test-runner: incomplete trace written to {}\n", r.problem,
               o.trace_dir.string());
    return r.problem_exit == to_int(ExitCode::kInterrupted) ? r.status : r.problem_exit;
  }
  if (a.keep == "failing" && r.status == 0) {
    std::filesystem::remove_all(o.trace_dir);
  } else {
    print_stderr("rr-test-runner: trace written to {}\n", o.trace_dir.string());
  }
  return r.status;
}

int replay(const ReplayArgs& a) {
  if (!a.autopilot) return replay_under_gdb(a);
  ReplaySession session(a.trace, ReplayOptions{.echo_stdio = !a.quiet});
  if (!a.goto_failure) return session.run_to_end();
  auto stop = session.run_to_failure();
  if (!stop) {
    print_stderr("rr-test-runner: the recording has no failure: it ran to its end\n");
    return 0;
  }
  print_stderr("rr-test-runner: stopped at event {}: {}\n", stop->event, stop->description);
  return 0;
}

int merge_reports(const std::vector<std::filesystem::path>& inputs, const std::filesystem::path& out) {
  std::vector<reports::Report> shards;
  try {
    for (const auto& p : inputs) shards.push_back(reports::load_report(p));
  } catch (const reports::ReportError& e) {
    throw Error(ExitCode::kBadInput, e.what());
  }
  write_private_file(out, reports::render_json(reports::merge_reports(std::move(shards))));
  print_stderr("rr-test-runner: merged {} reports into {}\n", inputs.size(), out.string());
  return 0;
}

int pack(const std::filesystem::path& trace, const std::filesystem::path& out) {
  TraceReader check(trace);  // refuse to pack something that is not a trace
  auto abs = std::filesystem::absolute(trace).lexically_normal();
  if (abs.filename().empty()) abs = abs.parent_path();
  // Hard links to the shared store are packed as plain files: the pack stands alone.
  auto [status, output] = run_capture({"tar", "--zstd", "--hard-dereference", "-cf", std::filesystem::absolute(out).string(), "-C",
                                       abs.parent_path().string(), abs.filename().string()});
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw Error(ExitCode::kBadInput, fmt::format("cannot pack {}: {}", trace.string(), output.substr(0, output.find('\n'))));
  print_stderr("rr-test-runner: packed {} into {} (unpack with: tar --zstd -xf {})\n", trace.string(), out.string(),
             out.string());
  return 0;
}

int dump(const std::filesystem::path& trace_dir) {
  TraceReader trace(trace_dir);
  auto events = trace.open_events();
  std::uint64_t i = 0;
  while (auto e = events.next())  // a path need not be UTF-8: invalid bytes become U+FFFD
    std::cout << event_to_json(*e, i++).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  std::cout.flush();
  const std::uint64_t recorded = trace.meta().value("events", std::uint64_t{0});
  if (events.truncated() || (trace.complete() && i != recorded))
    throw Error(trace.complete() ? ExitCode::kTraceCorrupt : ExitCode::kIncompleteTrace,
                fmt::format("{}: events end after event {} of {} (the trace is {})", trace_dir.string(), i, recorded,
                            trace.complete() ? "damaged" : "incomplete"));
  return 0;
}

int syscalls_doc() {
  fmt::print("# Syscall support\n\nGenerated from `core/syscalls/syscall_table.cc` by `rr-test-runner syscalls`.\n"
             "Do not edit by hand. Syscalls missing from this table stop a recording with their number and name.\n"
             "Calls made through libc's wrappers for the rows marked \"logged by the preload\" are recorded\n"
             "without a ptrace stop (docs/architecture.md, \"Syscall buffer\"). Rows marked \"runs freely in the\n"
             "start-up\" run without a stop before the recording's first event (docs/architecture.md, step 3).\n\n"
             "| nr | syscall | policy | notes |\n|---:|---|---|---|\n");
  for (const auto& row : all_syscalls()) {
    std::string note = row.note;
    if (row.policy == Policy::kSkip)
      note = fmt::format("answered {}{}{}{}", row.skip_result, row.refused_by_filter ? " by the seccomp filter (no stop)" : "",
                         note.empty() ? "" : "; ", note);
    if (row.answer_fn)
      note = fmt::format("{}recorder answers at entry where it can (one stop){}{}", row.buffered ? "otherwise the " : "",
                         note.empty() ? "" : "; ", note);
    if (row.buffered)
      note = fmt::format("through libc, logged by the preload without a stop{}{}", note.empty() ? "" : "; ", note);
    if (row.startup) {
      const std::string bound =
          row.startup_arg < 0 ? "" : fmt::format(" while argument {} is at most {:#x}", row.startup_arg, row.startup_max);
      note = fmt::format("{}{}runs freely in the start-up{}", note, note.empty() ? "" : "; ", bound);
    }
    fmt::print("| {} | `{}` | {} | {} |\n", row.nr, row.name, policy_name(row.policy), note);
  }
  return 0;
}

}  // namespace rrtr::cli
