#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>

#include "fixtures.h"
#include "rrtr/reports/error.h"
#include "rrtr/reports/json.h"

namespace rrtr::reports {
namespace {

using Json = nlohmann::ordered_json;

// The message parse_report throws for text, or a marker the assertion will show.
std::string error_of(std::string_view text, std::string_view origin = "report.json") {
  try {
    parse_report(text, origin);
  } catch (const ReportError& e) {
    return e.what();
  }
  return "<parsed without error>";
}

std::string document_error(const Json& document) { return error_of(document.dump()); }

Json full_document() { return Json::parse(render_json(testing::full_report())); }

TEST(JsonErrors, NotJson) {
  EXPECT_EQ(error_of("{\"a\": x}"),
            "report.json: not valid JSON: line 1, column 7: syntax error while parsing value - "
            "invalid literal; last read: '\"a\": x'");
}

TEST(JsonErrors, TrailingGarbageIsNotJson) {
  std::string text = render_json(testing::full_report()) + "]";
  EXPECT_EQ(error_of(text).rfind("report.json: not valid JSON: line ", 0), 0u) << error_of(text);
}

TEST(JsonErrors, EmptyDocument) {
  EXPECT_EQ(error_of(""), "report.json: empty document");
  EXPECT_EQ(error_of(" \n\t"), "report.json: empty document");
}

TEST(JsonErrors, TruncatedDocumentNamesWhereItEnds) {
  EXPECT_EQ(error_of("{\n  \"schema_version\": 1,\n  \"to"),
            "report.json: truncated JSON: input ends at line 3, column 6 before the document "
            "is complete");
}

TEST(JsonErrors, EveryPrefixOfAReportIsReportedAsTruncated) {
  std::string text = render_json(testing::full_report());
  // The last two characters are "}\n"; every shorter prefix is incomplete.
  for (std::size_t n = 1; n + 2 <= text.size(); ++n) {
    std::string message = error_of(text.substr(0, n));
    ASSERT_EQ(message.rfind("report.json: truncated JSON: input ends at line ", 0), 0u)
        << "prefix of " << n << " bytes: " << message;
  }
}

TEST(JsonErrors, TopLevelMustBeAnObject) {
  EXPECT_EQ(error_of("[1, 2]"), "report.json: expected a JSON object at the top level");
}

TEST(JsonErrors, UnknownSchemaVersion) {
  Json j = full_document();
  j["schema_version"] = 2;
  EXPECT_EQ(document_error(j),
            "report.json: schema_version: unsupported version 2 (this build reads 1)");
}

TEST(JsonErrors, SchemaVersionIsCheckedBeforeAnythingElse) {
  // A future version may lay out everything differently: say so, not "missing field".
  Json j = Json{{"schema_version", 9}, {"completely", "different"}};
  EXPECT_EQ(document_error(j),
            "report.json: schema_version: unsupported version 9 (this build reads 1)");
}

TEST(JsonErrors, MissingField) {
  Json j = full_document();
  j["host"].erase("kernel");
  EXPECT_EQ(document_error(j), "report.json: host.kernel: missing required field");
}

TEST(JsonErrors, WrongTypeNamesTheIndexedField) {
  Json j = full_document();
  Json failure = j["failures"][0];
  j["failures"] = Json::array({failure, failure, failure});
  j["failures"][2]["run_index"] = "41";
  EXPECT_EQ(document_error(j), "report.json: failures[2].run_index: expected integer");
}

TEST(JsonErrors, NullableFieldSaysNullIsAllowed) {
  Json j = full_document();
  j["failures"][0]["exit_status"] = "1";
  EXPECT_EQ(document_error(j), "report.json: failures[0].exit_status: expected integer or null");
  j = full_document();
  j["merge"] = 5;
  EXPECT_EQ(document_error(j), "report.json: merge: expected object or null");
}

TEST(JsonErrors, NullInANonNullableField) {
  Json j = full_document();
  j["failures"][0]["failed_tests"][0]["file"] = nullptr;
  EXPECT_EQ(document_error(j), "report.json: failures[0].failed_tests[0].file: expected string");
}

TEST(JsonErrors, NegativeCount) {
  Json j = full_document();
  j["runs"]["failed"] = -1;
  EXPECT_EQ(document_error(j), "report.json: runs.failed: expected non-negative integer");
}

TEST(JsonErrors, FractionalCount) {
  Json j = full_document();
  j["tests"][1]["runs"] = 1.5;
  EXPECT_EQ(document_error(j), "report.json: tests[1].runs: expected integer");
}

TEST(JsonErrors, ExitStatusOutOfIntRange) {
  Json j = full_document();
  j["failures"][0]["exit_status"] = 4294967296LL;
  EXPECT_EQ(document_error(j), "report.json: failures[0].exit_status: integer out of range");
}

TEST(JsonErrors, NegativeDuration) {
  Json j = full_document();
  j["duration_s"] = -0.5;
  EXPECT_EQ(document_error(j), "report.json: duration_s: expected non-negative number");
}

TEST(JsonErrors, UnknownTickBackend) {
  Json j = full_document();
  j["host"]["tick_backend"] = "tsc";
  EXPECT_EQ(document_error(j),
            "report.json: host.tick_backend: expected one of \"none\", \"perf\", \"cov\"");
}

TEST(JsonErrors, UnknownMode) {
  Json j = full_document();
  j["options"]["mode"] = "forever";
  EXPECT_EQ(document_error(j),
            "report.json: options.mode: expected one of \"until_fail\", \"repeat\"");
}

TEST(JsonErrors, ForeignTool) {
  Json j = full_document();
  j["tool"]["name"] = "rr";
  EXPECT_EQ(document_error(j), "report.json: tool.name: expected \"rr-test-runner\"");
}

TEST(JsonErrors, StartedAtMustBeUtcRfc3339) {
  Json j = full_document();
  j["started_at"] = "2025-03-01T10:15:30+01:00";
  EXPECT_EQ(document_error(j), "report.json: started_at: expected RFC 3339 UTC timestamp");
}

TEST(JsonErrors, UnknownFieldsAreIgnored) {
  Json j = full_document();
  j["x_future"] = {{"anything", 1}};
  j["host"]["x_note"] = "ignored";
  EXPECT_EQ(document_error(j), "<parsed without error>");
}

TEST(JsonErrors, AdlFromJsonHasNoOrigin) {
  Json j = full_document();
  j["failures"][0]["run_index"] = true;
  try {
    j.get<Report>();
    FAIL() << "accepted a boolean run_index";
  } catch (const ReportError& e) {
    EXPECT_EQ(std::string(e.what()), "failures[0].run_index: expected integer");
    EXPECT_EQ(e.origin(), "");
    EXPECT_EQ(e.field(), "failures[0].run_index");
    EXPECT_EQ(e.problem(), "expected integer");
  }
}

// Calls visit(path, pointer, value) for every value below the root, with paths
// spelled the way ReportError spells them.
void walk(
    const Json& value, const std::string& path, const Json::json_pointer& pointer,
    const std::function<void(const std::string&, const Json::json_pointer&, const Json&)>& visit) {
  if (!path.empty()) visit(path, pointer, value);
  if (value.is_object()) {
    for (const auto& [key, child] : value.items()) {
      walk(child, path.empty() ? key : path + "." + key, pointer / key, visit);
    }
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      walk(value[i], path + "[" + std::to_string(i) + "]", pointer / i, visit);
    }
  }
}

TEST(JsonErrors, EveryFieldIsRequiredAndNamedWhenMissing) {
  const Json document = full_document();
  int checked = 0;
  walk(document, "", Json::json_pointer(),
       [&](const std::string& path, const Json::json_pointer& ptr, const Json&) {
         if (!document.at(ptr.parent_pointer()).is_object()) return;
         Json broken = document;
         broken.at(ptr.parent_pointer()).erase(ptr.back());
         EXPECT_EQ(document_error(broken), "report.json: " + path + ": missing required field");
         ++checked;
       });
  EXPECT_GE(checked, 50);
}

TEST(JsonErrors, EveryFieldIsTypeCheckedAndNamed) {
  const Json document = full_document();
  int checked = 0;
  walk(document, "", Json::json_pointer(),
       [&](const std::string& path, const Json::json_pointer& ptr, const Json& value) {
         Json broken = document;
         // A value of a kind no field accepts in that position.
         broken.at(ptr) = value.is_structured() ? Json(42) : Json::object();
         std::string message = document_error(broken);
         std::string prefix = "report.json: " + path + ": expected ";
         EXPECT_EQ(message.rfind(prefix, 0), 0u) << message;
         EXPECT_EQ(message.find('\n'), std::string::npos) << message;
         ++checked;
       });
  EXPECT_GE(checked, 60);
}

}  // namespace
}  // namespace rrtr::reports
