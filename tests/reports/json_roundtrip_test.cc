#include <gtest/gtest.h>

#include <limits>
#include <nlohmann/json.hpp>

#include "fixtures.h"
#include "rrtr/reports/json.h"

namespace rrtr::reports {
namespace {

using testing::full_report;
using testing::passing_report;

TEST(JsonRoundTrip, FullReportSurvivesRenderAndParse) {
  Report original = full_report();
  std::string text = render_json(original);
  Report parsed = parse_report(text, "report.json");
  original.origin = "report.json";
  EXPECT_EQ(parsed, original);
  EXPECT_EQ(render_json(parsed), text);
}

TEST(JsonRoundTrip, NullFieldsSurviveRenderAndParse) {
  Report original = passing_report();
  Report parsed = parse_report(render_json(original), "p.json");
  original.origin = "p.json";
  EXPECT_EQ(parsed, original);
  EXPECT_FALSE(parsed.merge.has_value());
  EXPECT_FALSE(parsed.options.seed.has_value());
  EXPECT_FALSE(parsed.options.filter.has_value());
}

TEST(JsonRoundTrip, AbsentOptionalsAreWrittenAsNull) {
  Report r = passing_report();
  Failure f;
  f.failed_tests = {{"A.B", "", std::nullopt, "m"}};
  r.failures = {f};
  auto j = nlohmann::json::parse(render_json(r));
  EXPECT_TRUE(j.at("merge").is_null());
  EXPECT_TRUE(j.at("options").at("seed").is_null());
  EXPECT_TRUE(j.at("options").at("filter").is_null());
  const auto& failure = j.at("failures").at(0);
  for (const char* key : {"exit_status", "signal", "seed", "shard"}) {
    EXPECT_TRUE(failure.at(key).is_null()) << key;
  }
  EXPECT_TRUE(failure.at("failed_tests").at(0).at("line").is_null());
}

TEST(JsonRoundTrip, RenderedJsonHasTheDocumentedShape) {
  auto j = nlohmann::json::parse(render_json(full_report()));
  EXPECT_EQ(j.at("schema_version"), 1);
  EXPECT_EQ(j.at("tool").at("name"), "rr-test-runner");
  EXPECT_EQ(j.at("host").at("tick_backend"), "perf");
  EXPECT_EQ(j.at("options").at("mode"), "until_fail");
  EXPECT_EQ(j.at("runs").at("could_not_record"), 1);
  EXPECT_DOUBLE_EQ(j.at("tests").at(1).at("flake_rate").get<double>(), 2.0 / 136.0);
  EXPECT_EQ(j.at("failures").at(0).at("signal"), "SIGABRT");
  EXPECT_EQ(j.at("failures").at(0).at("failed_tests").at(0).at("line"), 88);
  EXPECT_EQ(j.at("merge").at("hosts_differ"), true);
}

TEST(JsonRoundTrip, IsPrettyPrintedWithTwoSpacesInSchemaOrder) {
  std::string text = render_json(full_report());
  EXPECT_EQ(text.rfind("{\n  \"schema_version\": 1,\n  \"tool\": {\n    \"name\"", 0), 0u)
      << text.substr(0, 80);
  EXPECT_EQ(text.substr(text.size() - 3), "\n}\n");
  EXPECT_LT(text.find("\"started_at\""), text.find("\"host\""));
  EXPECT_LT(text.find("\"failures\""), text.find("\"merge\""));
}

TEST(JsonRoundTrip, NonAsciiTextIsKept) {
  Report r = full_report();
  r.failures[0].failed_tests[0].message = "Grüße, 世界 🎉 <&> \"q\" 'a'\n\ttab";
  r.failures[0].trace = "/tmp/trâces/run 1";
  Report parsed = parse_report(render_json(r), "x");
  EXPECT_EQ(parsed.failures[0].failed_tests[0].message, r.failures[0].failed_tests[0].message);
  EXPECT_EQ(parsed.failures[0].trace, r.failures[0].trace);
}

TEST(JsonRoundTrip, InvalidUtf8IsReplacedInsteadOfFailing) {
  Report r = full_report();
  r.failures[0].failed_tests[0].message = "bad \xff byte";
  Report parsed = parse_report(render_json(r), "x");
  EXPECT_EQ(parsed.failures[0].failed_tests[0].message, "bad \xEF\xBF\xBD byte");
}

TEST(JsonRoundTrip, LargestSeedSurvives) {
  Report r = full_report();
  r.options.seed = std::numeric_limits<std::uint64_t>::max();
  EXPECT_EQ(parse_report(render_json(r), "x").options.seed, r.options.seed);
}

TEST(JsonRoundTrip, NlohmannAdlHooksRoundTrip) {
  Report original = full_report();
  nlohmann::json plain = original;
  nlohmann::ordered_json ordered = original;
  EXPECT_EQ(plain.get<Report>(), original);
  EXPECT_EQ(ordered.get<Report>(), original);
  EXPECT_EQ(ordered.begin().key(), "schema_version");
}

TEST(FlakeRate, IsFailedOverRunsAndZeroWithoutRuns) {
  EXPECT_EQ(flake_rate(0, 0), 0.0);
  EXPECT_EQ(flake_rate(3, 0), 0.0);
  EXPECT_DOUBLE_EQ(flake_rate(1, 4), 0.25);
  EXPECT_EQ(flake_rate(7, 7), 1.0);
}

TEST(EnumNames, RoundTripAndRejectUnknown) {
  for (TickBackend b : {TickBackend::none, TickBackend::perf, TickBackend::cov}) {
    EXPECT_EQ(parse_tick_backend(to_string(b)), b);
  }
  for (RunMode m : {RunMode::until_fail, RunMode::repeat})
    EXPECT_EQ(parse_run_mode(to_string(m)), m);
  EXPECT_FALSE(parse_tick_backend("Perf").has_value());
  EXPECT_FALSE(parse_run_mode("").has_value());
}

}  // namespace
}  // namespace rrtr::reports
