#include "flaky_runner.h"

#include <poll.h>
#include <signal.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sys/stat.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <cstdio>
#include <algorithm>
#include <deque>
#include <fmt/format.h>
#include <iostream>
#include <map>

#include "common/cpu_sets.h"
#include "common/error.h"
#include "common/files.h"
#include "common/interrupt.h"
#include "common/stderr.h"
#include "cpu/cpuid.h"
#include "failure_info.h"
#include "progress.h"
#include "ptrace/wait_status.h"
#include "record/recorder.h"
#include "rrtr/reports/annotations.h"
#include "rrtr/reports/json.h"
#include "rrtr/reports/junit.h"
#include "rrtr/reports/markdown.h"
#include "rrtr/reports/shell.h"
#include "rrtr/reports/time.h"
#include "subprocess.h"
#include "ctest_tests.h"
#include "test_discovery.h"
#include "ticks/tick_backend.h"
#include "trace/trace_dir.h"

namespace rrtr::cli {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kTermGrace = std::chrono::seconds(5);

// A sequence of runs of one command line: the whole binary, or one test case.
struct Lane {
  std::string name;  // test name in --per-test and ctest modes, else empty
  std::vector<std::string> argv;
  std::vector<std::string> env;  // NAME=value added for this test (ctest ENVIRONMENT)
  std::filesystem::path cwd;     // ctest WORKING_DIRECTORY
};

struct Run {
  std::uint64_t index = 0;
  const Lane* lane = nullptr;
  std::filesystem::path trace, log;
  std::unique_ptr<Subprocess> proc;
  int cpu = -1;  // pinned there with --cpu (with --jobs above 1)
  Clock::time_point start;
  bool timed_out = false;
  std::optional<Clock::time_point> term_sent;
};

std::uint64_t dir_size(const std::filesystem::path& p) {
  std::uint64_t total = 0;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(p, ec); it != std::filesystem::recursive_directory_iterator(); it.increment(ec))
    if (it->is_regular_file(ec)) total += it->file_size(ec);
  return total;
}

std::string last_tool_line(const std::filesystem::path& log) {
  auto text = read_file(log).value_or("");
  std::string last;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    auto line = text.substr(pos, end - pos);
    if (line.rfind("rr-test-runner: ", 0) == 0 && line.find("trace written") == std::string::npos) last = line.substr(16);
    pos = end + 1;
  }
  return last;
}

// When the recorder could not even write its message (a full disk takes the log too).
std::string describe_recorder_status(int status) {
  switch (status) {
    case to_int(ExitCode::kBadInput): return "the recorder could not write its trace (is the disk full?) or could not start the program";
    case to_int(ExitCode::kUnsupported): return "the program does something that cannot be recorded yet";
    case to_int(ExitCode::kInternal): return "the recorder failed (internal error)";
    default: return fmt::format("the recorder ended with status {}", status);
  }
}

// Drops blobs that no kept trace links to (the store's own link is the only one).
void collect_unused_blobs(const std::filesystem::path& store) {
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator(store, ec); it != std::filesystem::directory_iterator(); it.increment(ec)) {
    if (it->path().extension() != ".zst") continue;
    if (std::filesystem::hard_link_count(it->path(), ec) == 1) std::filesystem::remove(it->path(), ec);
  }
}

// Run logs live outside the traces directory: when that fills up, the recorder's
// "No space left on device" must still be readable.
struct LogDir {
  std::filesystem::path path;
  LogDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "rrtr-runner-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) fail(ExitCode::kBadInput, "cannot create a temporary directory: {}", std::strerror(errno));
    path = tmpl;
  }
  ~LogDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

void keep_log(const auto& run) {
  std::error_code ec;
  std::filesystem::copy_file(run.log, run.trace / "output.log", std::filesystem::copy_options::overwrite_existing, ec);
  if (!ec) ::chmod((run.trace / "output.log").c_str(), 0600);
}

class FlakyRunner {
 public:
  explicit FlakyRunner(const RunnerOptions& o) : o_(o) {}
  int run();

 private:
  void prepare_traces_dir();
  std::vector<Lane> make_lanes();
  void run_lane(const Lane& lane, std::uint64_t cap, bool stop_at_failure, Progress& progress);
  bool finish(Run& run, int wait_status);  // true when the run failed
  void count_tests(const RunTests& tests, const Lane& lane, bool run_failed);
  void fill_report_header();
  void write_outputs();
  void print_summary();

  const RunnerOptions& o_;
  std::filesystem::path self_;
  std::filesystem::path program_;
  Framework framework_ = Framework::kNone;
  reports::Report report_;
  std::map<std::string, reports::TestStats> stats_;
  std::uint64_t next_index_ = 0;
  std::optional<std::string> fatal_;
  ExitCode fatal_exit_ = ExitCode::kUnsupported;
  Clock::time_point started_ = Clock::now();
  LogDir logs_;
};

void FlakyRunner::prepare_traces_dir() {
  make_private_dir(o_.traces_dir);
  auto probe = o_.traces_dir / ".rrtr-write-probe";
  try {
    write_private_file(probe, "");
  } catch (const Error&) {
    fail(ExitCode::kBadInput, "the traces directory {} is not writable", o_.traces_dir.string());
  }
  std::filesystem::remove(probe);
}

std::vector<Lane> FlakyRunner::make_lanes() {
  if (o_.ctest_args) {
    std::vector<Lane> lanes;
    for (auto& t : list_ctest_tests(*o_.ctest_args)) lanes.push_back(Lane{t.name, t.command, t.env, t.cwd});
    if (lanes.empty()) fail(ExitCode::kUsage, "ctest lists no tests here (run it in a configured build directory)");
    return lanes;
  }
  std::vector<std::string> base = {program_.string()};
  base.insert(base.end(), o_.command.begin() + 1, o_.command.end());
  if (!o_.per_test) {
    Lane lane;
    lane.argv = base;
    if (o_.filter) {
      if (framework_ == Framework::kNone)
        fail(ExitCode::kUsage, "--filter needs a Google Test or Catch2 binary; {} is neither", program_.string());
      auto f = filter_args(framework_, *o_.filter);
      lane.argv.insert(lane.argv.end(), f.begin(), f.end());
    }
    return {lane};
  }
  if (framework_ == Framework::kNone)
    fail(ExitCode::kUsage, "--per-test needs a Google Test or Catch2 binary; {} is neither", program_.string());
  std::vector<Lane> lanes;
  for (const auto& test : list_tests(program_, {o_.command.begin() + 1, o_.command.end()}, framework_, o_.filter)) {
    Lane lane;
    lane.name = test;
    lane.argv = base;
    auto f = filter_args(framework_, test);
    lane.argv.insert(lane.argv.end(), f.begin(), f.end());
    lanes.push_back(std::move(lane));
  }
  if (lanes.empty()) fail(ExitCode::kUsage, "{} lists no test cases{}", program_.string(), o_.filter ? " matching the filter" : "");
  return lanes;
}

void FlakyRunner::count_tests(const RunTests& tests, const Lane& lane, bool run_failed) {
  auto add = [&](const std::string& name, bool passed) {
    auto& s = stats_[name];
    s.name = name;
    ++s.runs;
    ++(passed ? s.passed : s.failed);
  };
  if (!tests.outcome.empty()) {
    for (const auto& [name, passed] : tests.outcome) add(name, passed);
    return;
  }
  if (!lane.name.empty()) add(lane.name, !run_failed);
}

bool FlakyRunner::finish(Run& run, int wait_status) {
  const double duration = std::chrono::duration<double>(Clock::now() - run.start).count();
  ++report_.runs.attempted;
  std::optional<nlohmann::json> meta;
  try {
    meta = TraceReader(run.trace).meta();
  } catch (const Error&) {
  }
  const bool complete = meta && meta->value("complete", false);
  if (!run.timed_out && !complete) {
    // The recorder itself gave up (unsupported program, disk full, bad input).
    ++report_.runs.could_not_record;
    std::string why = last_tool_line(run.log);
    const int recorder_status = WaitStatus(wait_status).shell_status();
    if (why.empty()) why = describe_recorder_status(recorder_status);
    fatal_ = why;
    // A system that refuses tracing refuses every run and every program: say so as the
    // recorder did, not as a program that cannot be recorded yet.
    fatal_exit_ = recorder_status == to_int(ExitCode::kHostRefused) ? ExitCode::kHostRefused : ExitCode::kUnsupported;
    std::filesystem::remove_all(run.trace);
    std::filesystem::remove(run.log);
    return false;
  }
  const int status = complete ? meta->value("exit_status", 0) : 0;
  const bool failed = run.timed_out || status != 0;
  RunTests tests = tests_from_trace(run.trace);
  if (!tests.from_markers) tests = tests_from_output(framework_, read_file(run.log).value_or(""));
  count_tests(tests, *run.lane, failed);
  if (!failed) {
    ++report_.runs.passed;
    if (o_.keep != "all") std::filesystem::remove_all(run.trace);
    std::error_code ec;
    if (o_.keep == "all") keep_log(run);
    std::filesystem::remove(run.log, ec);
    return false;
  }
  ++report_.runs.failed;
  reports::Failure f;
  f.run_index = run.index;
  if (complete) {
    if (auto sig = meta->find("signal"); sig != meta->end() && sig->is_string())
      f.signal = sig->get<std::string>();
    else
      f.exit_status = status;
  }
  f.timed_out = run.timed_out;
  f.duration_s = duration;
  f.failed_tests = tests.failures;
  if (f.failed_tests.empty() && !run.lane->name.empty()) f.failed_tests.push_back({run.lane->name, "", std::nullopt, ""});
  if (f.failed_tests.empty())
    for (const auto& [name, passed] : tests.outcome)
      if (!passed) f.failed_tests.push_back({name, "", std::nullopt, ""});
  f.seed = o_.seed;
  std::error_code ec;
  if (o_.keep == "none") {
    std::filesystem::remove_all(run.trace, ec);
  } else {
    keep_log(run);
    auto abs = std::filesystem::absolute(run.trace);
    f.trace = abs.string();
    f.trace_size_bytes = dir_size(abs);
    f.replay_command = reports::shell_join({self_.string(), "replay", abs.string()});
    f.goto_failure_command = reports::shell_join({self_.string(), "replay", "--goto-failure", abs.string()});
  }
  std::filesystem::remove(run.log, ec);
  report_.failures.push_back(std::move(f));
  return true;
}

void FlakyRunner::run_lane(const Lane& lane, std::uint64_t cap, bool stop_at_failure, Progress& progress) {
  std::deque<Run> running;
  std::uint64_t launched = 0;
  bool stop = false;
  std::string base = o_.ctest_args ? "ctest" : program_.filename().string();
  if (!lane.name.empty()) base += "-" + lane.name;
  for (char& c : base)
    if (c == '/' || c == ' ') c = '_';
  while (!fatal_ && (!running.empty() || (!stop && launched < cap))) {
    if (int sig = interrupt_signal()) fail(ExitCode::kInterrupted, "interrupted by signal {}", sig);
    while (!stop && launched < cap && running.size() < o_.jobs) {
      Run r;
      r.index = next_index_++;
      r.lane = &lane;
      r.trace = o_.traces_dir / fmt::format("{}-run{}", base, r.index);
      std::filesystem::remove_all(r.trace);
      r.log = logs_.path / fmt::format("{}-run{}.log", base, r.index);
      std::vector<std::string> argv = {self_.string(), "record", "-o", r.trace.string()};
      // Each recorder pins itself and its program to one CPU; left to choose (the one it
      // starts on), concurrent ones could take turns on the same.
      if (o_.jobs > 1) {
        std::vector<int> busy;
        for (const auto& other : running) busy.push_back(other.cpu);
        if ((r.cpu = least_used_cpu(current_cpus(), busy)) >= 0) {
          argv.push_back("--cpu");
          argv.push_back(std::to_string(r.cpu));
        }
      }
      argv.push_back("--");
      argv.insert(argv.end(), lane.argv.begin(), lane.argv.end());
      r.start = Clock::now();
      r.proc = std::make_unique<Subprocess>(argv, r.log, lane.env, lane.cwd);
      running.push_back(std::move(r));
      ++launched;
    }
    std::vector<pollfd> fds;
    for (auto& r : running) fds.push_back({r.proc->pidfd(), POLLIN, 0});
    ::poll(fds.data(), fds.size(), 100);
    for (auto it = running.begin(); it != running.end();) {
      if (auto st = it->proc->poll_exit()) {
        bool failed = finish(*it, *st);
        const auto& rec = report_.runs;
        std::string what = failed ? (it->timed_out ? "timed out (trace kept)" : "FAILED (trace kept)") : "passed";
        if (fatal_) what = "could not be recorded";
        progress.run_finished(rec.attempted, rec.failed, lane.name.empty() ? what : lane.name + ": " + what);
        if (failed && stop_at_failure) stop = true;
        it = running.erase(it);
        continue;
      }
      if (o_.timeout_s && !it->timed_out &&
          Clock::now() - it->start > std::chrono::duration<double>(*o_.timeout_s)) {
        it->timed_out = true;
        it->term_sent = Clock::now();
        ::kill(it->proc->pid(), SIGTERM);  // the recorder closes the trace as incomplete
      } else if (it->term_sent && Clock::now() - *it->term_sent > kTermGrace) {
        it->proc->signal_group(SIGKILL);
      }
      ++it;
    }
  }
}

void FlakyRunner::fill_report_header() {
  report_.tool.version = RRTR_VERSION;
  report_.command = o_.self_argv;
  report_.program = o_.command.front();
  report_.started_at = reports::format_rfc3339_utc(std::chrono::system_clock::now());
  struct utsname u {};
  uname(&u);
  auto ticks = probe_tick_backends();
  report_.host = {u.release, host_cpu_model(), ticks.pmu_present, reports::TickBackend::none};
  report_.options.mode = o_.repeat ? reports::RunMode::repeat : reports::RunMode::until_fail;
  report_.options.count = o_.repeat ? *o_.repeat : o_.until_fail.value_or(kDefaultUntilFailCap);
  report_.options.jobs = o_.jobs;
  report_.options.per_test = o_.per_test;
  report_.options.filter = o_.filter;
  report_.options.seed = o_.seed;
  report_.options.chaos = o_.chaos;
}

void FlakyRunner::write_outputs() {
  report_.duration_s = std::chrono::duration<double>(Clock::now() - started_).count();
  for (auto& [name, s] : stats_) {
    s.flake_rate = reports::flake_rate(s.failed, s.runs);
    report_.tests.push_back(s);
  }
  auto report_path = o_.report.value_or(o_.traces_dir / "report.json");
  write_private_file(report_path, reports::render_json(report_));
  if (o_.junit) write_private_file(*o_.junit, reports::render_junit(report_));
  reports::append_github_step_summary(report_);
  if (getenv("GITHUB_ACTIONS"))
    for (const auto& line : reports::render_github_annotations(report_)) std::cout << line << '\n';
  std::cout.flush();
  print_stderr("rr-test-runner: report written to {}\n", report_path.string());
}

void FlakyRunner::print_summary() {
  const auto& r = report_.runs;
  if (r.failed == 0) {
    print_stderr("rr-test-runner: no failure in {} run{}\n", r.attempted, r.attempted == 1 ? "" : "s");
    return;
  }
  print_stderr("rr-test-runner: {} of {} runs failed\n", r.failed, r.attempted);
  for (const auto& f : report_.failures) {
    for (const auto& t : f.failed_tests)
      print_stderr("rr-test-runner:   {}{}{}{}\n", t.name.empty() ? "(outside any test)" : t.name,
                 t.file.empty() ? "" : " at " + t.file, t.line ? fmt::format(":{}", *t.line) : "",
                 t.message.empty() ? "" : ": " + t.message.substr(0, t.message.find('\n')));
    if (!f.trace.empty()) {
      print_stderr("rr-test-runner:   trace {} ({:.1f} MiB)\n", f.trace, static_cast<double>(f.trace_size_bytes) / (1 << 20));
      print_stderr("rr-test-runner:   replay:      {}\n", f.replay_command);
      print_stderr("rr-test-runner:   to failure:  {}\n", f.goto_failure_command);
    }
  }
}

int FlakyRunner::run() {
  install_interrupt_handlers();
  std::error_code ec;
  self_ = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!o_.ctest_args) {
    program_ = resolve_program(o_.command.front());
    framework_ = detect_framework(program_);
  }
  prepare_traces_dir();
  fill_report_header();
  if (o_.chaos)
    print_stderr("rr-test-runner: note: --chaos has no effect yet: single-threaded programs have no schedule to perturb\n");
  const auto lanes = make_lanes();
  const bool until_fail = !o_.repeat;
  const std::uint64_t cap = o_.repeat ? *o_.repeat : o_.until_fail.value_or(kDefaultUntilFailCap);
  Progress progress(cap * lanes.size(), isatty(STDERR_FILENO));
  for (const auto& lane : lanes) {
    run_lane(lane, cap, until_fail, progress);
    if (fatal_) break;
  }
  progress.finish();
  if (o_.keep != "all") collect_unused_blobs(o_.traces_dir / ".blobs");
  std::sort(report_.failures.begin(), report_.failures.end(),
            [](const auto& a, const auto& b) { return a.run_index < b.run_index; });  // runs finish out of order with --jobs
  write_outputs();
  if (fatal_) {
    print_stderr("rr-test-runner: stopped: a run could not be recorded: {}\n", *fatal_);
    print_summary();
    return to_int(fatal_exit_);
  }
  print_summary();
  return report_.runs.failed ? 1 : 0;
}

}  // namespace

int run_flaky(const RunnerOptions& options) {
  FlakyRunner runner(options);
  return runner.run();
}

}  // namespace rrtr::cli
