// rr-test-runner: command-line entry point. Parsing only; the work is in commands.cc.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "commands.h"
#include "common/error.h"

namespace {

using namespace rrtr;

int run(int argc, char** argv) {
  CLI::App app{"rr-test-runner: record flaky test binaries until they fail, replay the failure exactly",
               "rr-test-runner"};
  app.set_version_flag("--version", RRTR_VERSION);
  app.require_subcommand(1);

  cli::RecordArgs rec;
  auto* record = app.add_subcommand("record", "Record PROGRAM into a trace");
  record->add_option("-o,--output", rec.output, "Trace directory to create (default: TRACES_DIR/PROGRAM-N)");
  record->add_option("--traces-dir", rec.traces_dir, "Where traces and their shared blob store go")
      ->capture_default_str();
  record->add_option("--keep", rec.keep, "Keep the trace of every run, or only of failing runs")
      ->check(CLI::IsMember({"all", "failing"}))
      ->capture_default_str();
  record->add_option("--cpu", rec.cpu, "CPU to pin the recording to");
  record->prefix_command();

  cli::ReplayArgs rep;
  auto* replay = app.add_subcommand("replay", "Replay a trace");
  replay->add_option("trace", rep.trace, "Trace directory")->required();
  replay->add_flag("-a,--autopilot", rep.autopilot, "Replay to the end without a debugger");
  replay->add_flag("--goto-failure", rep.goto_failure, "Stop at the first failed assertion (or fatal signal)");
  replay->add_flag("-q,--quiet", rep.quiet, "Do not write the program's output");

  std::filesystem::path dump_trace;
  auto* dump = app.add_subcommand("dump", "Print the events of a trace as JSON lines");
  dump->add_option("trace", dump_trace, "Trace directory")->required();

  auto* syscalls = app.add_subcommand("syscalls", "Print the syscall support table (docs/syscalls.md)");

  // Everything after the first "--" is the program's command line, untouched.
  std::vector<std::string> args(argv + 1, argv + argc), after_dashes;
  if (auto dd = std::find(args.begin(), args.end(), "--"); dd != args.end()) {
    after_dashes.assign(dd + 1, args.end());
    args.erase(dd, args.end());
  }
  std::reverse(args.begin(), args.end());  // CLI11 takes the vector reversed
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : to_int(ExitCode::kUsage);
  }
  if (*record) {
    rec.command = record->remaining();
    rec.command.insert(rec.command.end(), after_dashes.begin(), after_dashes.end());
    if (rec.command.empty()) throw Error(ExitCode::kUsage, "record: no program given (record [options] -- PROGRAM [ARGS...])");
    return cli::record(rec);
  }
  if (*replay) return cli::replay(rep);
  if (*dump) return cli::dump(dump_trace);
  if (*syscalls) return cli::syscalls_doc();
  return to_int(ExitCode::kUsage);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const rrtr::Error& e) {
    fmt::print(stderr, "rr-test-runner: {}\n", e.what());
    return rrtr::to_int(e.status());
  } catch (const std::exception& e) {
    fmt::print(stderr, "rr-test-runner: internal error: {}\n", e.what());
    return rrtr::to_int(rrtr::ExitCode::kInternal);
  }
}
