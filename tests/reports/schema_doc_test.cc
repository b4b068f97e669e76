// Keeps docs/report-schema.md honest: its example must parse, and its field table
// must list exactly the fields the writer emits.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "fixtures.h"
#include "rrtr/reports/json.h"
#include "test_support.h"

namespace rrtr::reports {
namespace {

using Json = nlohmann::ordered_json;

std::string doc() { return testing::read_file(RRTR_REPORTS_SCHEMA_DOC); }

// The first ```json block after the given heading.
std::string json_block_after(const std::string& text, const std::string& heading) {
  std::size_t at = text.find(heading);
  EXPECT_NE(at, std::string::npos) << heading;
  std::size_t open = text.find("```json\n", at);
  std::size_t close = text.find("\n```", open + 8);
  EXPECT_NE(open, std::string::npos);
  return text.substr(open + 8, close - open - 8);
}

// Field paths as the doc's table spells them: "failures[].failed_tests[].line".
void collect_paths(const Json& value, const std::string& prefix, std::set<std::string>& out) {
  if (value.is_object()) {
    for (const auto& [key, child] : value.items()) {
      std::string path = prefix.empty() ? key : prefix + "." + key;
      out.insert(path);
      collect_paths(child, path, out);
    }
  } else if (value.is_array() && !value.empty() && value[0].is_object()) {
    collect_paths(value[0], prefix + "[]", out);
  }
}

TEST(SchemaDoc, ExampleIsAValidReportInTheWritersExactFormat) {
  std::string block = json_block_after(doc(), "## Example");
  Report example = parse_report(block, "report-schema.md");
  EXPECT_FALSE(example.failures.empty());
  EXPECT_EQ(render_json(example), block + "\n");
}

TEST(SchemaDoc, FieldTableListsExactlyTheFieldsTheWriterEmits) {
  std::set<std::string> emitted;
  collect_paths(Json::parse(render_json(testing::full_report())), "", emitted);

  std::set<std::string> documented;
  std::string text = doc();
  // Only the field table: other tables quote error messages in backticks too.
  std::size_t from = text.find("## Fields");
  std::size_t to = text.find("## Example");
  ASSERT_NE(from, std::string::npos);
  ASSERT_NE(to, std::string::npos);
  text = text.substr(from, to - from);
  std::regex row(R"(\n\| `([a-z_\.\[\]]+)` \|)");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), row); it != std::sregex_iterator();
       ++it) {
    documented.insert((*it)[1]);
  }
  for (const std::string& path : emitted)
    EXPECT_TRUE(documented.count(path)) << "undocumented: " << path;
  for (const std::string& path : documented)
    EXPECT_TRUE(emitted.count(path)) << "not emitted: " << path;
}

TEST(SchemaDoc, VersionInTheDocIsTheCurrentOne) {
  EXPECT_NE(doc().find("Current `schema_version`: **" + std::to_string(kSchemaVersion) + "**"),
            std::string::npos);
}

}  // namespace
}  // namespace rrtr::reports
