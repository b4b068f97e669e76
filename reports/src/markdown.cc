#include "rrtr/reports/markdown.h"

#include <fmt/format.h>

#include <algorithm>

#include "failure_lookup.h"
#include "utf8.h"

namespace rrtr::reports {
namespace {

// Inline text that GitHub must show literally: test names like "Foo<int>.Bar" would
// otherwise vanish as HTML, "a|b" would split a table cell, "*" would start emphasis.
// CommonMark lets any ASCII punctuation be backslash-escaped.
std::string md_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '\\':
      case '`':
      case '*':
      case '_':
      case '[':
      case ']':
      case '<':
      case '>':
      case '|':
      case '~':
      case '&':
      case '#':
      case '!':
        out += '\\';
        out += c;
        break;
      case '\n':
      case '\r':
        out += ' ';  // a newline would end the table row
        break;
      default: out += c;
    }
  }
  return out;
}

// A fenced block that shows `text` verbatim: the fence is longer than any backtick
// run inside, so a command containing ``` cannot close it early.
std::string code_block(std::string_view info, std::string_view text) {
  std::size_t longest = 0, run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  std::string fence(std::max<std::size_t>(3, longest + 1), '`');
  std::string body(text);
  if (body.empty() || body.back() != '\n') body += '\n';
  return fmt::format("{}{}\n{}{}\n", fence, info, body, fence);
}

std::string human_size(std::uint64_t bytes) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  std::size_t unit = 0;
  while (value >= 1024.0 && unit + 1 < std::size(kUnits)) {
    value /= 1024.0;
    ++unit;
  }
  return unit == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.1f} {}", value, kUnits[unit]);
}

std::string heading(const Report& report) {
  std::string title =
      report.runs.failed == 0
          ? fmt::format("no failures in {} runs", report.runs.attempted)
          : fmt::format("{} failing of {} runs", report.runs.failed, report.runs.attempted);
  std::string out =
      fmt::format("## {}: {} ({})\n\n", kToolName, title, md_escape(detail::program_name(report)));
  if (report.merge) {
    out += fmt::format("Merged from {} shard reports.", report.merge->merged_from.size());
    if (report.merge->hosts_differ) {
      out += " **The shards ran on different hosts; host details are the first shard's.**";
    }
    out += "\n\n";
  }
  return out;
}

std::string runs_table(const Report& report) {
  return fmt::format(
      "| Attempted | Passed | Failed | Could not record | Duration |\n"
      "|---:|---:|---:|---:|---:|\n"
      "| {} | {} | {} | {} | {:.1f} s |\n\n",
      report.runs.attempted, report.runs.passed, report.runs.failed, report.runs.could_not_record,
      report.duration_s);
}

std::string failing_tests_table(const Report& report) {
  std::vector<const TestStats*> tests = detail::failing_tests(report);
  if (tests.empty()) return "No test failed.\n\n";
  // Most flaky first: that is the one to look at.
  std::stable_sort(tests.begin(), tests.end(), [](const TestStats* a, const TestStats* b) {
    return a->flake_rate > b->flake_rate;
  });
  std::string out =
      "### Failing tests\n\n| Test | Failed | Runs | Flake rate |\n|---|---:|---:|---:|\n";
  for (const TestStats* t : tests) {
    out += fmt::format("| {} | {} | {} | {} |\n", md_escape(t->name), t->failed, t->runs,
                       detail::percent(t->flake_rate));
  }
  return out + "\n";
}

std::string kept_failure(const Failure& f) {
  std::string out = fmt::format("#### Run {}", f.run_index);
  if (f.shard) out += fmt::format(" (shard {})", *f.shard);
  out += fmt::format(": {} after {:.2f} s\n\n", detail::describe_outcome(f), f.duration_s);
  for (const FailedTest& t : f.failed_tests) {
    out += "**" + md_escape(t.name) + "**";
    if (std::string where = detail::describe_location(t); !where.empty()) {
      out += " at " + md_escape(where);
    }
    out += "\n\n";
    if (!t.message.empty()) out += code_block("text", t.message) + "\n";
  }
  out += fmt::format("Trace: {} ({})\n\nReplay:\n\n", md_escape(f.trace),
                     human_size(f.trace_size_bytes));
  out += code_block("sh", f.replay_command);
  if (!f.goto_failure_command.empty()) {
    out += "\nJump to the failure:\n\n" + code_block("sh", f.goto_failure_command);
  }
  return out + "\n";
}

}  // namespace

std::string render_markdown_summary(const Report& report) {
  std::string out = heading(report);
  out += runs_table(report);
  out += failing_tests_table(report);
  if (!report.failures.empty()) {
    out += "### Kept failures\n\n";
    for (const Failure& f : report.failures) out += kept_failure(f);
  }
  // The step summary must be valid UTF-8 or GitHub drops it.
  return detail::sanitize_utf8(out);
}

}  // namespace rrtr::reports
