#include <nlohmann/json.hpp>

#include "rrtr/reports/json.h"

namespace rrtr::reports {
namespace {

using Json = nlohmann::ordered_json;

template <typename T>
Json nullable(const std::optional<T>& value) {
  return value ? Json(*value) : Json(nullptr);
}

Json write_host(const HostInfo& h) {
  return Json{{"kernel", h.kernel},
              {"cpu_model", h.cpu_model},
              {"pmu_present", h.pmu_present},
              {"tick_backend", to_string(h.tick_backend)}};
}

Json write_options(const RunOptions& o) {
  return Json{{"mode", to_string(o.mode)},
              {"count", o.count},
              {"jobs", o.jobs},
              {"per_test", o.per_test},
              {"filter", nullable(o.filter)},
              {"seed", nullable(o.seed)},
              {"chaos", o.chaos}};
}

Json write_runs(const RunCounts& r) {
  return Json{{"attempted", r.attempted},
              {"passed", r.passed},
              {"failed", r.failed},
              {"could_not_record", r.could_not_record}};
}

Json write_test(const TestStats& t) {
  return Json{{"name", t.name},
              {"runs", t.runs},
              {"passed", t.passed},
              {"failed", t.failed},
              {"flake_rate", t.flake_rate}};
}

Json write_failed_test(const FailedTest& t) {
  return Json{
      {"name", t.name}, {"file", t.file}, {"line", nullable(t.line)}, {"message", t.message}};
}

Json write_failure(const Failure& f) {
  Json failed_tests = Json::array();
  for (const FailedTest& t : f.failed_tests) failed_tests.push_back(write_failed_test(t));
  return Json{{"run_index", f.run_index},
              {"exit_status", nullable(f.exit_status)},
              {"signal", nullable(f.signal)},
              {"timed_out", f.timed_out},
              {"duration_s", f.duration_s},
              {"failed_tests", std::move(failed_tests)},
              {"trace", f.trace},
              {"trace_size_bytes", f.trace_size_bytes},
              {"replay_command", f.replay_command},
              {"goto_failure_command", f.goto_failure_command},
              {"seed", nullable(f.seed)},
              {"shard", nullable(f.shard)}};
}

Json write_merge(const std::optional<MergeInfo>& m) {
  if (!m) return nullptr;
  return Json{{"merged_from", m->merged_from}, {"hosts_differ", m->hosts_differ}};
}

}  // namespace

void to_json(nlohmann::ordered_json& j, const Report& r) {
  Json tests = Json::array();
  for (const TestStats& t : r.tests) tests.push_back(write_test(t));
  Json failures = Json::array();
  for (const Failure& f : r.failures) failures.push_back(write_failure(f));
  // Assigned in schema order: ordered_json keeps insertion order, so the file reads
  // top to bottom like docs/report-schema.md.
  j = Json::object();
  j["schema_version"] = r.schema_version;
  j["tool"] = Json{{"name", r.tool.name}, {"version", r.tool.version}};
  j["command"] = r.command;
  j["program"] = r.program;
  j["started_at"] = r.started_at;
  j["duration_s"] = r.duration_s;
  j["host"] = write_host(r.host);
  j["options"] = write_options(r.options);
  j["runs"] = write_runs(r.runs);
  j["tests"] = std::move(tests);
  j["failures"] = std::move(failures);
  j["merge"] = write_merge(r.merge);
}

void to_json(nlohmann::json& j, const Report& r) {
  Json ordered;
  to_json(ordered, r);
  j = nlohmann::json(ordered);
}

std::string render_json(const Report& r) {
  Json j;
  to_json(j, r);
  return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace rrtr::reports
