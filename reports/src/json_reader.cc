// Validating reader: the document is checked field by field in the order of
// docs/report-schema.md, and the first problem found is reported.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "json_cursor.h"
#include "rrtr/reports/error.h"
#include "rrtr/reports/json.h"
#include "rrtr/reports/time.h"

namespace rrtr::reports {
namespace {

using detail::JsonCursor;

std::optional<std::string> read_nullable_string(const JsonCursor& c) {
  if (auto v = c.nullable()) return v->string();
  return std::nullopt;
}

std::optional<std::uint64_t> read_nullable_count(const JsonCursor& c) {
  if (auto v = c.nullable()) return v->count();
  return std::nullopt;
}

std::vector<std::string> read_strings(const JsonCursor& c) {
  std::vector<std::string> out;
  std::size_t n = c.array_size();
  for (std::size_t i = 0; i < n; ++i) out.push_back(c.element(i).string());
  return out;
}

template <typename T, typename Read>
std::vector<T> read_array(const JsonCursor& c, Read read) {
  std::vector<T> out;
  std::size_t n = c.array_size();
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) out.push_back(read(c.element(i)));
  return out;
}

int read_schema_version(const JsonCursor& c) {
  int version = c.int32();
  if (version != kSchemaVersion) {
    c.fail(fmt::format("unsupported version {} (this build reads {})", version, kSchemaVersion));
  }
  return version;
}

ToolInfo read_tool(const JsonCursor& c) {
  ToolInfo tool;
  JsonCursor name = c.field("name");
  tool.name = name.string();
  if (tool.name != kToolName) name.fail(fmt::format("expected \"{}\"", kToolName));
  tool.version = c.field("version").string();
  return tool;
}

HostInfo read_host(const JsonCursor& c) {
  HostInfo host;
  host.kernel = c.field("kernel").string();
  host.cpu_model = c.field("cpu_model").string();
  host.pmu_present = c.field("pmu_present").boolean();
  JsonCursor backend = c.field("tick_backend");
  auto parsed = parse_tick_backend(backend.string());
  if (!parsed) backend.fail("expected one of \"none\", \"perf\", \"cov\"");
  host.tick_backend = *parsed;
  return host;
}

RunOptions read_options(const JsonCursor& c) {
  RunOptions options;
  JsonCursor mode = c.field("mode");
  auto parsed = parse_run_mode(mode.string());
  if (!parsed) mode.fail("expected one of \"until_fail\", \"repeat\"");
  options.mode = *parsed;
  options.count = c.field("count").count();
  options.jobs = c.field("jobs").count();
  options.per_test = c.field("per_test").boolean();
  options.filter = read_nullable_string(c.field("filter"));
  options.seed = read_nullable_count(c.field("seed"));
  options.chaos = c.field("chaos").boolean();
  return options;
}

RunCounts read_runs(const JsonCursor& c) {
  RunCounts runs;
  runs.attempted = c.field("attempted").count();
  runs.passed = c.field("passed").count();
  runs.failed = c.field("failed").count();
  runs.could_not_record = c.field("could_not_record").count();
  return runs;
}

TestStats read_test(const JsonCursor& c) {
  TestStats t;
  t.name = c.field("name").string();
  t.runs = c.field("runs").count();
  t.passed = c.field("passed").count();
  t.failed = c.field("failed").count();
  t.flake_rate = c.field("flake_rate").non_negative_number();
  return t;
}

FailedTest read_failed_test(const JsonCursor& c) {
  FailedTest t;
  t.name = c.field("name").string();
  t.file = c.field("file").string();
  if (auto line = c.field("line").nullable()) t.line = line->int64();
  t.message = c.field("message").string();
  return t;
}

Failure read_failure(const JsonCursor& c) {
  Failure f;
  f.run_index = c.field("run_index").count();
  if (auto status = c.field("exit_status").nullable()) f.exit_status = status->int32();
  f.signal = read_nullable_string(c.field("signal"));
  f.timed_out = c.field("timed_out").boolean();
  f.duration_s = c.field("duration_s").non_negative_number();
  f.failed_tests = read_array<FailedTest>(c.field("failed_tests"), read_failed_test);
  f.trace = c.field("trace").string();
  f.trace_size_bytes = c.field("trace_size_bytes").count();
  f.replay_command = c.field("replay_command").string();
  f.goto_failure_command = c.field("goto_failure_command").string();
  f.seed = read_nullable_count(c.field("seed"));
  f.shard = read_nullable_count(c.field("shard"));
  return f;
}

std::optional<MergeInfo> read_merge(const JsonCursor& c) {
  auto merge = c.nullable();
  if (!merge) return std::nullopt;
  MergeInfo info;
  info.merged_from = read_strings(merge->field("merged_from"));
  info.hosts_differ = merge->field("hosts_differ").boolean();
  return info;
}

Report read_report(const nlohmann::ordered_json& document, std::string_view origin) {
  JsonCursor root(document, origin);
  if (!document.is_object()) root.fail("expected a JSON object at the top level");
  Report r;
  // First, because a newer version may have renamed anything below.
  r.schema_version = read_schema_version(root.field("schema_version"));
  r.tool = read_tool(root.field("tool"));
  r.command = read_strings(root.field("command"));
  r.program = root.field("program").string();
  JsonCursor started = root.field("started_at");
  r.started_at = started.string();
  if (!is_rfc3339_utc(r.started_at)) started.fail("expected RFC 3339 UTC timestamp");
  r.duration_s = root.field("duration_s").non_negative_number();
  r.host = read_host(root.field("host"));
  r.options = read_options(root.field("options"));
  r.runs = read_runs(root.field("runs"));
  r.tests = read_array<TestStats>(root.field("tests"), read_test);
  r.failures = read_array<Failure>(root.field("failures"), read_failure);
  r.merge = read_merge(root.field("merge"));
  return r;
}

// Counts lines and columns the way an editor would, for the truncation message.
std::string end_position(std::string_view text) {
  std::size_t line = 1;
  std::size_t column = 1;
  for (char c : text) {
    if (c == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return fmt::format("line {}, column {}", line, column);
}

// nlohmann's messages start with an exception id that means nothing to a user.
std::string describe_parse_error(const nlohmann::ordered_json::parse_error& e) {
  std::string_view what = e.what();
  constexpr std::string_view marker = "parse error at ";
  if (auto pos = what.find(marker); pos != std::string_view::npos) {
    what.remove_prefix(pos + marker.size());
  }
  return std::string(what);
}

}  // namespace

void from_json(const nlohmann::ordered_json& j, Report& report) { report = read_report(j, ""); }

void from_json(const nlohmann::json& j, Report& report) {
  report = read_report(nlohmann::ordered_json(j), "");
}

Report parse_report(std::string_view text, std::string_view origin) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    throw ReportError(std::string(origin), "", "empty document");
  }
  nlohmann::ordered_json document;
  try {
    document = nlohmann::ordered_json::parse(text);
  } catch (const nlohmann::ordered_json::parse_error& e) {
    // nlohmann reports one byte past the end when the input stops mid-document.
    if (e.byte > text.size()) {
      throw ReportError(std::string(origin), "",
                        fmt::format("truncated JSON: input ends at {} before the document "
                                    "is complete",
                                    end_position(text)));
    }
    throw ReportError(std::string(origin), "", "not valid JSON: " + describe_parse_error(e));
  }
  Report report = read_report(document, origin);
  report.origin = std::string(origin);
  return report;
}

}  // namespace rrtr::reports
