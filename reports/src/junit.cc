#include "rrtr/reports/junit.h"

#include <fmt/format.h>

#include "failure_lookup.h"
#include "rrtr/reports/time.h"
#include "xml_text.h"

namespace rrtr::reports {
namespace {

using detail::xml_attribute;
using detail::xml_text;

// A testcase about to be written; failure_* stay empty for a passing test.
struct Case {
  std::string classname;
  std::string name;
  std::string failure_message;
  std::string failure_body;
};

// "Suite.Case" -> {"Suite", "Case"}; CI tools group by classname, and gtest's
// parameterized "Inst/Suite.Case/0" keeps its slashes on both sides.
std::pair<std::string, std::string> split_name(const std::string& name,
                                               const std::string& program) {
  std::size_t dot = name.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == name.size()) return {program, name};
  return {name.substr(0, dot), name.substr(dot + 1)};
}

// The run, trace and commands a developer needs to start debugging.
std::string describe_run(const Failure& run) {
  std::string out =
      fmt::format("first kept failure: run {}, {}\n", run.run_index, detail::describe_outcome(run));
  out += fmt::format("trace: {}\n", run.trace);
  out += fmt::format("replay: {}\n", run.replay_command);
  out += fmt::format("goto failure: {}\n", run.goto_failure_command);
  return out;
}

Case test_case(const TestStats& test, const Report& report, const std::string& program) {
  Case c;
  std::tie(c.classname, c.name) = split_name(test.name, program);
  if (test.failed == 0) return c;
  std::string flakiness = detail::describe_flakiness(test);
  auto first = detail::first_failure_of(report, test.name);
  if (!first) {
    c.failure_message = flakiness + "; no trace was kept";
    c.failure_body = c.failure_message + "\n";
    return c;
  }
  c.failure_message = fmt::format("{}: {}", flakiness, first->test->message);
  c.failure_body = flakiness + "\n";
  if (std::string where = detail::describe_location(*first->test); !where.empty()) {
    c.failure_body += where + "\n";
  }
  c.failure_body += first->test->message + "\n";
  c.failure_body += describe_run(*first->run);
  return c;
}

Case unattributed_case(const std::vector<const Failure*>& runs, const std::string& program) {
  Case c;
  c.classname = program;
  c.name = "(outside any test)";
  c.failure_message = fmt::format("{} kept failing run(s) not attributed to any test; first: {}",
                                  runs.size(), detail::describe_outcome(*runs.front()));
  c.failure_body = c.failure_message + "\n" + describe_run(*runs.front());
  return c;
}

void write_property(std::string& out, std::string_view name, std::string_view value) {
  out += fmt::format("      <property name=\"{}\" value=\"{}\"/>\n", xml_attribute(name),
                     xml_attribute(value));
}

}  // namespace

std::string render_junit(const Report& report) {
  const std::string program = detail::program_name(report);
  std::vector<Case> cases;
  for (const TestStats& test : report.tests) cases.push_back(test_case(test, report, program));
  if (auto runs = detail::unattributed_failures(report); !runs.empty()) {
    cases.push_back(unattributed_case(runs, program));
  }
  std::size_t failures = 0;
  for (const Case& c : cases) failures += c.failure_message.empty() ? 0 : 1;

  const std::string time = fmt::format("{:.3f}", report.duration_s);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format(
      "<testsuites name=\"{0}\" tests=\"{1}\" failures=\"{2}\" errors=\"0\" time=\"{3}\">\n",
      kToolName, cases.size(), failures, time);
  out += fmt::format(
      "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\" "
      "time=\"{}\"",
      kToolName, cases.size(), failures, time);
  // Omitted rather than invalid: xs:dateTime consumers reject a malformed value.
  if (is_rfc3339_utc(report.started_at)) {
    out += fmt::format(" timestamp=\"{}\"", xml_attribute(report.started_at));
  }
  out += ">\n    <properties>\n";
  write_property(out, "tool.version", report.tool.version);
  write_property(out, "program", report.program);
  write_property(out, "host.kernel", report.host.kernel);
  write_property(out, "host.tick_backend", to_string(report.host.tick_backend));
  write_property(out, "runs.attempted", std::to_string(report.runs.attempted));
  write_property(out, "runs.failed", std::to_string(report.runs.failed));
  if (report.options.seed)
    write_property(out, "options.seed", std::to_string(*report.options.seed));
  out += "    </properties>\n";
  for (const Case& c : cases) {
    out += fmt::format("    <testcase classname=\"{}\" name=\"{}\"", xml_attribute(c.classname),
                       xml_attribute(c.name));
    if (c.failure_message.empty()) {
      out += "/>\n";
      continue;
    }
    out += fmt::format(">\n      <failure message=\"{}\" type=\"flaky\">{}</failure>\n",
                       xml_attribute(c.failure_message), xml_text(c.failure_body));
    out += "    </testcase>\n";
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace rrtr::reports
