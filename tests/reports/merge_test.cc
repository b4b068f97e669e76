#include "rrtr/reports/merge.h"

#include <gtest/gtest.h>

#include "fixtures.h"
#include "rrtr/reports/error.h"
#include "rrtr/reports/json.h"

namespace rrtr::reports {
namespace {

using testing::shard_report;

std::vector<Report> three_shards() {
  return {shard_report("a/report.json", 10, {3, 7}, 100),
          shard_report("b/report.json", 5, {1}, 200), shard_report("c/report.json", 20, {}, 300)};
}

TEST(Merge, SumsRunCountsAndDurations) {
  std::vector<Report> shards = three_shards();
  shards[1].runs.could_not_record = 2;
  shards[0].duration_s = 1.25;
  shards[1].duration_s = 2.5;
  shards[2].duration_s = 4.0;
  Report merged = merge_reports(shards);
  EXPECT_EQ(merged.runs, (RunCounts{35, 32, 3, 2}));
  EXPECT_DOUBLE_EQ(merged.duration_s, 7.75);
}

TEST(Merge, MergesTestsByNameAndRecomputesFlakeRate) {
  Report merged = merge_reports(three_shards());
  ASSERT_EQ(merged.tests.size(), 2u);
  EXPECT_EQ(merged.tests[0], (TestStats{"Net.Connect", 35, 35, 0, 0.0}));
  EXPECT_EQ(merged.tests[1].name, "Net.Reconnect");
  EXPECT_EQ(merged.tests[1].runs, 35u);
  EXPECT_EQ(merged.tests[1].passed, 32u);
  EXPECT_EQ(merged.tests[1].failed, 3u);
  EXPECT_DOUBLE_EQ(merged.tests[1].flake_rate, 3.0 / 35.0);
}

TEST(Merge, TestsSeenInOneShardOnlyAreAppendedInOrderOfFirstAppearance) {
  std::vector<Report> shards = three_shards();
  shards[1].tests.insert(shards[1].tests.begin(), TestStats{"Only.InB", 5, 4, 1, 0.2});
  shards[2].tests.push_back(TestStats{"Only.InC", 0, 0, 0, 0.0});
  Report merged = merge_reports(shards);
  ASSERT_EQ(merged.tests.size(), 4u);
  EXPECT_EQ(merged.tests[2].name, "Only.InB");
  EXPECT_DOUBLE_EQ(merged.tests[2].flake_rate, 0.2);
  EXPECT_EQ(merged.tests[3].name, "Only.InC");
  EXPECT_EQ(merged.tests[3].flake_rate, 0.0);
}

TEST(Merge, OffsetsRunIndexesBySpreadingShardsOneAfterAnother) {
  Report merged = merge_reports(three_shards());
  ASSERT_EQ(merged.failures.size(), 3u);
  // Shard a attempted 10 runs, so shard b's run 1 becomes run 11.
  EXPECT_EQ(merged.failures[0].run_index, 3u);
  EXPECT_EQ(merged.failures[1].run_index, 7u);
  EXPECT_EQ(merged.failures[2].run_index, 11u);
  EXPECT_EQ(merged.failures[0].shard, 0u);
  EXPECT_EQ(merged.failures[1].shard, 0u);
  EXPECT_EQ(merged.failures[2].shard, 1u);
}

TEST(Merge, KeepsTracePathsAndCommandsOfEachFailure) {
  Report merged = merge_reports(three_shards());
  EXPECT_EQ(merged.failures[2].trace, "b/report.json/run-1");
  EXPECT_EQ(merged.failures[2].replay_command, "rr-test-runner replay b/report.json/run-1");
}

TEST(Merge, FailuresRememberTheirShardsSeed) {
  std::vector<Report> shards = three_shards();
  shards[0].failures[1].seed = 42;  // a failure that already knows its seed keeps it
  Report merged = merge_reports(shards);
  EXPECT_EQ(merged.failures[0].seed, 100u);
  EXPECT_EQ(merged.failures[1].seed, 42u);
  EXPECT_EQ(merged.failures[2].seed, 200u);
  EXPECT_FALSE(merged.options.seed.has_value()) << "shards used different seeds";
}

TEST(Merge, SharedSeedIsKept) {
  std::vector<Report> shards = {shard_report("a", 3, {}, 7), shard_report("b", 3, {}, 7)};
  EXPECT_EQ(merge_reports(shards).options.seed, 7u);
}

TEST(Merge, CommandAndOptionsComeFromTheFirstShardWithOriginsListed) {
  std::vector<Report> shards = three_shards();
  shards[0].command = {"rr-test-runner", "--shard", "0", "./t"};
  shards[1].command = {"rr-test-runner", "--shard", "1", "./t"};
  shards[2].origin.clear();
  Report merged = merge_reports(shards);
  EXPECT_EQ(merged.command, shards[0].command);
  ASSERT_TRUE(merged.merge.has_value());
  EXPECT_EQ(merged.merge->merged_from,
            (std::vector<std::string>{"a/report.json", "b/report.json", "reports[2]"}));
  EXPECT_EQ(merged.schema_version, kSchemaVersion);
  EXPECT_EQ(merged.origin, "");
}

TEST(Merge, SameHostsDoNotDiffer) {
  Report merged = merge_reports(three_shards());
  EXPECT_FALSE(merged.merge->hosts_differ);
}

TEST(Merge, DifferentHostsKeepTheFirstAndAreFlagged) {
  std::vector<Report> shards = three_shards();
  shards[0].host.kernel = "6.1.0";
  shards[2].host.kernel = "6.8.0";
  Report merged = merge_reports(shards);
  EXPECT_EQ(merged.host.kernel, "6.1.0");
  EXPECT_TRUE(merged.merge->hosts_differ);
}

TEST(Merge, MergingAMergeKeepsItsHostsDiffer) {
  std::vector<Report> shards = three_shards();
  shards[1].merge = MergeInfo{{"x", "y"}, true};
  EXPECT_TRUE(merge_reports(shards).merge->hosts_differ);
}

TEST(Merge, SingleReportIsMarkedAsMerged) {
  Report merged = merge_reports({shard_report("only.json", 4, {2}, 9)});
  EXPECT_EQ(merged.failures.at(0).run_index, 2u);
  EXPECT_EQ(merged.failures.at(0).shard, 0u);
  EXPECT_EQ(merged.merge->merged_from, std::vector<std::string>{"only.json"});
}

TEST(Merge, NothingToMergeIsAnError) {
  try {
    merge_reports({});
    FAIL() << "merged nothing";
  } catch (const ReportError& e) {
    EXPECT_EQ(std::string(e.what()), "merge_reports: no reports to merge");
  }
}

TEST(Merge, MergedReportRoundTripsThroughJson) {
  Report merged = merge_reports(three_shards());
  Report parsed = parse_report(render_json(merged), "merged.json");
  merged.origin = "merged.json";
  EXPECT_EQ(parsed, merged);
}

}  // namespace
}  // namespace rrtr::reports
