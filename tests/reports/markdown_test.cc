#include "rrtr/reports/markdown.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>

#include "fixtures.h"
#include "rrtr/reports/error.h"
#include "test_support.h"

namespace rrtr::reports {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(Markdown, HeadingAndRunTable) {
  std::string md = render_markdown_summary(testing::full_report());
  EXPECT_EQ(md.rfind("## rr-test-runner: 2 failing of 137 runs (net\\_test)\n\n", 0), 0u) << md;
  EXPECT_TRUE(contains(md,
                       "| Attempted | Passed | Failed | Could not record | Duration |\n"
                       "|---:|---:|---:|---:|---:|\n"
                       "| 137 | 135 | 2 | 1 | 84.2 s |\n"))
      << md;
}

TEST(Markdown, FailingTestsTableSortedByFlakeRate) {
  Report r = testing::full_report();
  r.tests.push_back({"Disk.Full", 10, 5, 5, 0.5});
  std::string md = render_markdown_summary(r);
  EXPECT_TRUE(contains(md,
                       "### Failing tests\n\n"
                       "| Test | Failed | Runs | Flake rate |\n"
                       "|---|---:|---:|---:|\n"
                       "| Disk.Full | 5 | 10 | 50% |\n"
                       "| Net.Reconnect | 2 | 136 | 1.47% |\n\n"))
      << md;
  EXPECT_FALSE(contains(md, "Net.Connect |")) << "passing tests are not listed";
}

TEST(Markdown, EachKeptFailureShowsItsReplayCommandInACodeBlock) {
  Report r = testing::full_report();
  Failure second = r.failures[0];
  second.run_index = 99;
  second.replay_command = "rr-test-runner replay 'rr-traces/run 99'";
  r.failures.push_back(second);
  std::string md = render_markdown_summary(r);
  EXPECT_TRUE(contains(md,
                       "### Kept failures\n\n#### Run 41 (shard 0): timed out, signal SIGABRT, "
                       "exit status 1 after 0.62 s\n\n"))
      << md;
  EXPECT_TRUE(contains(md,
                       "**Net.Reconnect** at tests/net\\_test.cc:88\n\n"
                       "```text\nExpected: ok\n  Actual: timeout\n```\n"))
      << md;
  EXPECT_TRUE(contains(md,
                       "Trace: rr-traces/run-41 (12.0 MiB)\n\nReplay:\n\n"
                       "```sh\nrr-test-runner replay rr-traces/run-41\n```\n"))
      << md;
  EXPECT_TRUE(contains(md,
                       "Jump to the failure:\n\n"
                       "```sh\nrr-test-runner replay --goto-failure rr-traces/run-41\n```\n"))
      << md;
  EXPECT_TRUE(contains(md, "#### Run 99"));
  EXPECT_TRUE(contains(md, "```sh\nrr-test-runner replay 'rr-traces/run 99'\n```\n")) << md;
}

TEST(Markdown, FenceOutgrowsBackticksInTheCommand) {
  Report r = testing::full_report();
  r.failures[0].replay_command = "echo ```x`````";
  std::string md = render_markdown_summary(r);
  EXPECT_TRUE(contains(md, "\n``````sh\necho ```x`````\n``````\n")) << md;
}

TEST(Markdown, TestNamesCannotBreakTheTableOrBecomeHtml) {
  Report r = testing::full_report();
  r.tests[1].name = "Foo<int>|*x*.Case_1\nnext";
  std::string md = render_markdown_summary(r);
  EXPECT_TRUE(contains(md, "| Foo\\<int\\>\\|\\*x\\*.Case\\_1 next | 2 | 136 | 1.47% |\n")) << md;
}

TEST(Markdown, PassingRunSaysSo) {
  std::string md = render_markdown_summary(testing::passing_report());
  EXPECT_EQ(md.rfind("## rr-test-runner: no failures in 3 runs (t)\n\n", 0), 0u) << md;
  EXPECT_TRUE(contains(md, "No test failed.\n"));
  EXPECT_FALSE(contains(md, "Kept failures"));
  EXPECT_FALSE(contains(md, "```"));
}

TEST(Markdown, MergedReportMentionsShardsAndHostMismatch) {
  std::string md = render_markdown_summary(testing::full_report());
  EXPECT_TRUE(contains(md,
                       "Merged from 1 shard reports. **The shards ran on different hosts; "
                       "host details are the first shard's.**\n\n"))
      << md;
}

TEST(Markdown, InvalidUtf8IsReplaced) {
  Report r = testing::full_report();
  r.failures[0].failed_tests[0].message = "x\xC3(";
  std::string md = render_markdown_summary(r);
  EXPECT_TRUE(contains(md, "x\xEF\xBF\xBD(")) << md;
}

// Sets an environment variable for one test and restores it afterwards.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) {
      setenv(name, value->c_str(), 1);
    } else {
      unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST(StepSummary, ReturnsFalseWithoutTheVariable) {
  ScopedEnv env("GITHUB_STEP_SUMMARY", std::nullopt);
  EXPECT_FALSE(append_github_step_summary(testing::full_report()));
  ScopedEnv empty("GITHUB_STEP_SUMMARY", "");
  EXPECT_FALSE(append_github_step_summary(testing::full_report()));
}

TEST(StepSummary, AppendsAfterEarlierSteps) {
  testing::TempDir dir;
  auto file = dir.write("summary.md", "earlier step");
  ScopedEnv env("GITHUB_STEP_SUMMARY", file.string());
  Report r = testing::full_report();
  EXPECT_TRUE(append_github_step_summary(r));
  EXPECT_EQ(testing::read_file(file), "earlier step\n" + render_markdown_summary(r));
}

TEST(StepSummary, CreatesTheFileWhenAbsent) {
  testing::TempDir dir;
  auto file = dir.path() / "new.md";
  ScopedEnv env("GITHUB_STEP_SUMMARY", file.string());
  Report r = testing::passing_report();
  EXPECT_TRUE(append_github_step_summary(r));
  EXPECT_EQ(testing::read_file(file), render_markdown_summary(r));
}

TEST(StepSummary, UnwritablePathIsAnError) {
  testing::TempDir dir;
  ScopedEnv env("GITHUB_STEP_SUMMARY", dir.path().string());
  try {
    append_github_step_summary(testing::full_report());
    FAIL() << "appended to a directory";
  } catch (const ReportError& e) {
    EXPECT_EQ(std::string(e.what()),
              dir.path().string() + ": cannot append to $GITHUB_STEP_SUMMARY: Is a directory");
  }
}

}  // namespace
}  // namespace rrtr::reports
