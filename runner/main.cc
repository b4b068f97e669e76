// rr-test-runner: command-line entry point. Parsing only; the work is in the
// subcommand files.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <set>

#include "commands.h"
#include "common/error.h"
#include "common/stderr.h"
#include "flaky_runner.h"

namespace {

using namespace rrtr;

const std::set<std::string> kSubcommands = {"record", "replay", "dump", "syscalls", "merge-reports", "pack", "ctest"};

// CLI11 would take the token after a bare --until-fail as its value; the cap is
// optional, so the bare flag is spelled out with the default cap first.
std::vector<std::string> expand_until_fail(std::vector<std::string> args) {
  for (auto& a : args) {
    if (a == "--") break;
    if (a == "--until-fail") a = fmt::format("--until-fail={}", cli::kDefaultUntilFailCap);
  }
  return args;
}

// Splits at the first "--": what follows is a command line handed on untouched.
std::pair<std::vector<std::string>, std::vector<std::string>> split_dashes(std::vector<std::string> args) {
  std::vector<std::string> after;
  if (auto dd = std::find(args.begin(), args.end(), "--"); dd != args.end()) {
    after.assign(dd + 1, args.end());
    args.erase(dd, args.end());
  }
  return {args, after};
}

int parse_or_usage(CLI::App& app, std::vector<std::string> args) {
  std::reverse(args.begin(), args.end());  // CLI11 takes the vector reversed
  try {
    app.parse(args);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    throw Error(ExitCode::kUsage, fmt::format("{} (see --help)", e.what()));
  }
  return -1;
}

// With prefix_command, the first word CLI11 does not know becomes the program; a word
// that looks like an option is a typo, not a program.
std::vector<std::string> program_words(CLI::App& app) {
  auto words = app.remaining();
  if (!words.empty() && words.front().size() > 1 && words.front()[0] == '-')
    throw Error(ExitCode::kUsage, fmt::format("unknown option {} (see --help)", words.front()));
  return words;
}

void add_runner_options(CLI::App& app, cli::RunnerOptions& o) {
  app.add_option("--until-fail", o.until_fail, "Re-run until a run fails, at most N times (default 1000)");
  app.add_option("--repeat", o.repeat, "Run exactly N times and report every failure");
  app.add_option("-j,--jobs", o.jobs, "Record J runs at once")->check(CLI::Range(1u, 256u))->capture_default_str();
  app.add_option("--timeout", o.timeout_s, "Kill a run after S seconds and keep it as a failure")->check(CLI::PositiveNumber);
  app.add_option("--seed", o.seed, "Seed recorded in the report (passed to the engine where it supports one)");
  app.add_flag("--chaos", o.chaos, "Chaos scheduling (no effect on single-threaded programs yet)");
  app.add_option("--keep", o.keep, "Which traces to keep")->check(CLI::IsMember({"all", "failing", "none"}))->capture_default_str();
  app.add_option("--traces-dir", o.traces_dir, "Where traces, their blob store and report.json go")->capture_default_str();
  app.add_flag("--per-test", o.per_test, "Run each test case on its own until it fails");
  app.add_option("--filter", o.filter, "Only the test cases this framework filter selects");
  app.add_option("--report", o.report, "JSON report path (default TRACES_DIR/report.json)");
  app.add_option("--junit", o.junit, "Also write a JUnit XML report");
  app.get_option("--until-fail")->excludes(app.get_option("--repeat"));
}

int run_runner(std::vector<std::string> args, const std::vector<std::string>& self_argv) {
  cli::RunnerOptions o;
  CLI::App app{"rr-test-runner [options] PROGRAM [ARGS...]: re-run a test binary under recording until it fails",
               "rr-test-runner"};
  app.set_version_flag("--version", RRTR_VERSION);
  add_runner_options(app, o);
  app.prefix_command();
  auto [before, after] = split_dashes(expand_until_fail(std::move(args)));
  if (int rc = parse_or_usage(app, before); rc >= 0) return rc;
  o.command = program_words(app);
  o.command.insert(o.command.end(), after.begin(), after.end());
  if (o.command.empty()) throw Error(ExitCode::kUsage, "no program given (see --help)");
  o.self_argv = self_argv;
  return cli::run_flaky(o);
}

int run_subcommand(const std::string& name, std::vector<std::string> args, const std::vector<std::string>& self_argv) {
  CLI::App app{"rr-test-runner " + name, "rr-test-runner " + name};
  auto [before, after] = split_dashes(std::move(args));
  if (name == "record") {
    cli::RecordArgs rec;
    app.description("Record PROGRAM into a trace");
    app.add_option("-o,--output", rec.output, "Trace directory to create (default: TRACES_DIR/PROGRAM-N)");
    app.add_option("--traces-dir", rec.traces_dir, "Where traces and their shared blob store go")->capture_default_str();
    app.add_option("--keep", rec.keep, "Keep the trace of every run, or only of failing runs")
        ->check(CLI::IsMember({"all", "failing"}))
        ->capture_default_str();
    app.add_option("--cpu", rec.cpu, "CPU to pin the recording to");
    app.prefix_command();
    if (int rc = parse_or_usage(app, before); rc >= 0) return rc;
    rec.command = program_words(app);
    rec.command.insert(rec.command.end(), after.begin(), after.end());
    if (rec.command.empty()) throw Error(ExitCode::kUsage, "record: no program given (record [options] -- PROGRAM [ARGS...])");
    return cli::record(rec);
  }
  if (name == "replay") {
    cli::ReplayArgs rep;
    app.description("Replay a trace (under gdb, or to the end with --autopilot)");
    app.add_option("trace", rep.trace, "Trace directory")->required();
    app.add_flag("-a,--autopilot", rep.autopilot, "Replay to the end without a debugger");
    app.add_flag("--goto-failure", rep.goto_failure, "Stop at the first failed assertion (or the fatal signal)");
    app.add_flag("-q,--quiet", rep.quiet, "Do not write the program's output");
    app.add_option("--gdb-port", rep.gdb_port, "Serve gdb on 127.0.0.1:PORT instead of starting it");
    if (int rc = parse_or_usage(app, before); rc >= 0) return rc;
    rep.gdb_args = after;
    return cli::replay(rep);
  }
  if (name == "dump") {
    std::filesystem::path trace;
    app.add_option("trace", trace, "Trace directory")->required();
    if (int rc = parse_or_usage(app, before); rc >= 0) return rc;
    return cli::dump(trace);
  }
  if (name == "syscalls") {
    if (int rc = parse_or_usage(app, before); rc >= 0) return rc;
    return cli::syscalls_doc();
  }
  if (name == "merge-reports") {
    std::filesystem::path out;
    std::vector<std::filesystem::path> inputs;
    app.description("Join the JSON reports of CI shards");
    app.add_option("-o,--output", out, "Merged report")->required();
    app.add_option("reports", inputs, "Shard reports")->required();
    if (int rc = parse_or_usage(app, before); rc >= 0) return rc;
    return cli::merge_reports(inputs, out);
  }
  if (name == "pack") {
    std::filesystem::path trace;
    std::optional<std::filesystem::path> out;
    app.description("Pack a trace into one .tar.zst file for a CI artifact");
    app.add_option("trace", trace, "Trace directory")->required();
    app.add_option("-o,--output", out, "Output file (default TRACE.tar.zst)");
    if (int rc = parse_or_usage(app, before); rc >= 0) return rc;
    return cli::pack(trace, out.value_or(trace.string() + ".tar.zst"));
  }
  if (name == "ctest") {
    cli::RunnerOptions o;
    app.description("Loop the tests of a CMake build directory under recording: ctest [options] -- [ctest args]");
    add_runner_options(app, o);
    if (int rc = parse_or_usage(app, expand_until_fail(before)); rc >= 0) return rc;
    if (o.per_test || o.filter) throw Error(ExitCode::kUsage, "ctest: select tests with ctest's own arguments after --");
    o.ctest_args = after;
    o.command = {"ctest"};
    o.self_argv = self_argv;
    return cli::run_flaky(o);
  }
  throw Error(ExitCode::kUsage, fmt::format("unknown subcommand {}", name));
}

int run(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::vector<std::string> self_argv(argv, argv + argc);
  if (!args.empty() && kSubcommands.count(args.front())) {
    std::string name = args.front();
    args.erase(args.begin());
    return run_subcommand(name, std::move(args), self_argv);
  }
  return run_runner(std::move(args), self_argv);
}

}  // namespace

// stderr may be a full disk or a closed pipe: reporting an error must not fail again.
void print_error(const char* prefix, const char* message) {
  std::fprintf(stderr, "rr-test-runner: %s%s\n", prefix, message);
}

int main(int argc, char** argv) {
  rrtr::reserve_standard_descriptors();
  try {
    return run(argc, argv);
  } catch (const rrtr::Error& e) {
    print_error("", e.what());
    return rrtr::to_int(e.status());
  } catch (const std::exception& e) {
    print_error("internal error: ", e.what());
    return rrtr::to_int(rrtr::ExitCode::kInternal);
  }
}
