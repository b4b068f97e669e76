#include "failure_info.h"

#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "common/error.h"
#include "rrtr/marker_abi.h"
#include "trace/trace_dir.h"

namespace rrtr::cli {

RunTests tests_from_trace(const std::filesystem::path& trace_dir) {
  RunTests r;
  try {
    TraceReader trace(trace_dir);
    auto events = trace.open_events();
    while (auto e = events.next()) {
      auto* m = std::get_if<MarkerEvent>(&e->body);
      if (!m) continue;
      r.from_markers = true;
      auto j = nlohmann::json::parse(m->payload, nullptr, false);
      if (!j.is_object()) continue;
      const std::string name = j.value("name", std::string());
      switch (m->kind) {
        case RRTR_MARKER_TEST_STARTED: r.outcome.emplace(name, false); break;
        case RRTR_MARKER_TEST_ENDED: r.outcome[name] = j.value("passed", false); break;
        case RRTR_MARKER_ASSERTION_FAILED: {
          reports::FailedTest f;
          f.name = name;
          f.file = j.value("file", std::string());
          if (j.contains("line") && j["line"].is_number_integer()) f.line = j["line"].get<std::int64_t>();
          f.message = j.value("message", std::string());
          r.failures.push_back(std::move(f));
          break;
        }
        default: break;
      }
    }
  } catch (const Error&) {
    // A damaged or partial trace: what was read so far is still true.
  }
  return r;
}

RunTests tests_from_output(Framework fw, const std::string& output) {
  RunTests r;
  std::istringstream in(output);
  std::string line;
  // gtest: "file:line: Failure" followed by message lines, then "[  FAILED  ] Suite.Case (N ms)".
  static const std::regex gtest_result(R"(^\[\s+(OK|FAILED)\s+\] (\S+) \()");
  static const std::regex gtest_failure(R"(^(.+):(\d+): Failure$)");
  // Catch2: "file:line: FAILED:" after a block naming the test case.
  static const std::regex catch_failure(R"(^(.+):(\d+): FAILED:$)");
  std::vector<reports::FailedTest> pending;
  std::string current;
  std::smatch m;
  while (std::getline(in, line)) {
    if (fw == Framework::kGtest) {
      if (line.rfind("[ RUN      ] ", 0) == 0) current = line.substr(13);
      if (std::regex_search(line, m, gtest_result)) {
        bool passed = m[1] == "OK";
        r.outcome[m[2]] = passed;
      } else if (std::regex_match(line, m, gtest_failure)) {
        reports::FailedTest f;
        f.name = current;
        f.file = m[1];
        f.line = std::stoll(m[2]);
        std::string msg;
        std::streampos pos = in.tellg();
        std::string next;
        while (std::getline(in, next) && next.rfind("[", 0) != 0 && !std::regex_match(next, gtest_failure)) {
          if (!msg.empty()) msg += '\n';
          msg += next;
          pos = in.tellg();
        }
        in.clear();
        in.seekg(pos);
        f.message = msg;
        r.failures.push_back(std::move(f));
      }
    } else if (fw == Framework::kCatch2) {
      if (std::regex_match(line, m, catch_failure)) {
        reports::FailedTest f;
        f.name = current;
        f.file = m[1];
        f.line = std::stoll(m[2]);
        r.failures.push_back(std::move(f));
        r.outcome[current] = false;
      } else if (!line.empty() && line[0] != ' ' && line.find_first_of("-=.:") == std::string::npos) {
        current = line;  // Catch2 prints the test case name on its own line above a failure
      }
    }
  }
  return r;
}

}  // namespace rrtr::cli
