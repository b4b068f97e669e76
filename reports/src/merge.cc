#include "rrtr/reports/merge.h"

#include <fmt/format.h>

#include <unordered_map>

#include "rrtr/reports/error.h"

namespace rrtr::reports {

Report merge_reports(std::vector<Report> reports) {
  if (reports.empty()) throw ReportError("merge_reports", "", "no reports to merge");
  const Report& first = reports.front();
  Report merged;
  merged.tool = first.tool;
  merged.command = first.command;
  merged.program = first.program;
  merged.started_at = first.started_at;
  merged.host = first.host;
  merged.options = first.options;
  merged.merge.emplace();
  MergeInfo& info = *merged.merge;

  std::unordered_map<std::string, std::size_t> test_index;
  std::uint64_t run_offset = 0;
  for (std::size_t shard = 0; shard < reports.size(); ++shard) {
    Report& r = reports[shard];
    info.merged_from.push_back(r.origin.empty() ? fmt::format("reports[{}]", shard) : r.origin);
    if (r.host != first.host || (r.merge && r.merge->hosts_differ)) info.hosts_differ = true;
    // Every shard picked its own seed, so no single seed describes the merge; the
    // per-failure seed below keeps each failure reproducible.
    if (r.options.seed != first.options.seed) merged.options.seed.reset();

    merged.duration_s += r.duration_s;
    merged.runs.attempted += r.runs.attempted;
    merged.runs.passed += r.runs.passed;
    merged.runs.failed += r.runs.failed;
    merged.runs.could_not_record += r.runs.could_not_record;

    for (TestStats& t : r.tests) {
      auto [it, inserted] = test_index.try_emplace(t.name, merged.tests.size());
      if (inserted) {
        merged.tests.push_back(std::move(t));
        continue;
      }
      TestStats& into = merged.tests[it->second];
      into.runs += t.runs;
      into.passed += t.passed;
      into.failed += t.failed;
    }
    for (Failure& f : r.failures) {
      f.run_index += run_offset;
      f.shard = shard;
      if (!f.seed) f.seed = r.options.seed;
      merged.failures.push_back(std::move(f));
    }
    run_offset += r.runs.attempted;
  }
  for (TestStats& t : merged.tests) t.flake_rate = flake_rate(t.failed, t.runs);
  return merged;
}

}  // namespace rrtr::reports
