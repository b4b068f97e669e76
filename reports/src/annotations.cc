#include "rrtr/reports/annotations.h"

#include <fmt/format.h>

#include "failure_lookup.h"
#include "utf8.h"

namespace rrtr::reports {
namespace {

// GitHub's workflow-command escaping for the message part.
std::string escape_data(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '%': out += "%25"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      default: out += c;
    }
  }
  return out;
}

// Property values additionally lose ':' and ',', which delimit the properties.
std::string escape_property(std::string_view text) {
  std::string out;
  for (char c : escape_data(text)) {
    switch (c) {
      case ':': out += "%3A"; break;
      case ',': out += "%2C"; break;
      default: out += c;
    }
  }
  return out;
}

std::string annotation(const FailedTest* where, std::string_view title, std::string_view message) {
  std::string props;
  if (where != nullptr && !where->file.empty()) {
    props = "file=" + escape_property(where->file);
    if (where->line && *where->line > 0) props += fmt::format(",line={}", *where->line);
    props += ",";
  }
  props += "title=" + escape_property(title);
  return detail::sanitize_utf8(fmt::format("::error {}::{}", props, escape_data(message)));
}

std::string run_details(const Failure& run) {
  return fmt::format("run {}: {}\ntrace: {}\nreplay: {}", run.run_index,
                     detail::describe_outcome(run), run.trace, run.replay_command);
}

}  // namespace

std::vector<std::string> render_github_annotations(const Report& report) {
  std::vector<std::string> out;
  for (const TestStats* test : detail::failing_tests(report)) {
    std::string title =
        fmt::format("Flaky test {}: {}", test->name, detail::describe_flakiness(*test));
    auto first = detail::first_failure_of(report, test->name);
    if (!first) {
      out.push_back(annotation(nullptr, title, "no trace was kept for this test"));
      continue;
    }
    out.push_back(annotation(
        first->test, title, fmt::format("{}\n{}", first->test->message, run_details(*first->run))));
  }
  if (auto runs = detail::unattributed_failures(report); !runs.empty()) {
    std::string title = fmt::format("{} failing run(s) outside any test in {}", runs.size(),
                                    detail::program_name(report));
    out.push_back(annotation(nullptr, title, run_details(*runs.front())));
  }
  return out;
}

}  // namespace rrtr::reports
