#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "fixtures.h"
#include "rrtr/reports/error.h"
#include "rrtr/reports/json.h"
#include "test_support.h"

namespace rrtr::reports {
namespace {

using testing::TempDir;

std::string load_error(const std::filesystem::path& path) {
  try {
    load_report(path);
  } catch (const ReportError& e) {
    return e.what();
  }
  return "<loaded without error>";
}

TEST(LoadReport, ReadsWhatRenderJsonWrote) {
  TempDir dir;
  Report original = testing::full_report();
  auto path = dir.write("report.json", render_json(original));
  Report loaded = load_report(path);
  EXPECT_EQ(loaded.origin, path.string());
  original.origin = path.string();
  EXPECT_EQ(loaded, original);
}

TEST(LoadReport, MissingFileNamesThePath) {
  TempDir dir;
  auto path = dir.path() / "nope.json";
  EXPECT_EQ(load_error(path), path.string() + ": cannot open: No such file or directory");
}

TEST(LoadReport, DirectoryIsUnreadable) {
  TempDir dir;
  EXPECT_EQ(load_error(dir.path()), dir.path().string() + ": cannot read: Is a directory");
}

TEST(LoadReport, FileWithoutReadPermission) {
  if (geteuid() == 0) GTEST_SKIP() << "running as root, which ignores file permissions";
  TempDir dir;
  auto path = dir.write("secret.json", render_json(testing::full_report()));
  std::filesystem::permissions(path, std::filesystem::perms::none);
  EXPECT_EQ(load_error(path), path.string() + ": cannot open: Permission denied");
}

TEST(LoadReport, TruncatedFileNamesThePath) {
  TempDir dir;
  std::string text = render_json(testing::full_report());
  auto path = dir.write("cut.json", text.substr(0, text.size() / 2));
  std::string message = load_error(path);
  EXPECT_EQ(message.rfind(path.string() + ": truncated JSON: input ends at line ", 0), 0u)
      << message;
}

TEST(LoadReport, ValidationErrorsNameThePath) {
  TempDir dir;
  auto path = dir.write("r.json", "{\"schema_version\": \"1\"}");
  EXPECT_EQ(load_error(path), path.string() + ": schema_version: expected integer");
}

}  // namespace
}  // namespace rrtr::reports
