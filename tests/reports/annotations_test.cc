#include "rrtr/reports/annotations.h"

#include <gtest/gtest.h>

#include "fixtures.h"

namespace rrtr::reports {
namespace {

TEST(Annotations, OnePerFailingTestWithLocation) {
  std::vector<std::string> lines = render_github_annotations(testing::full_report());
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0],
            "::error file=tests/net_test.cc,line=88,"
            "title=Flaky test Net.Reconnect%3A 2 of 136 runs failed (1.47%25)::"
            "Expected: ok%0A  Actual: timeout%0A"
            "run 41: timed out, signal SIGABRT, exit status 1%0A"
            "trace: rr-traces/run-41%0A"
            "replay: rr-test-runner replay rr-traces/run-41");
}

TEST(Annotations, PassingReportHasNone) {
  EXPECT_TRUE(render_github_annotations(testing::passing_report()).empty());
}

TEST(Annotations, MessageEscapesPercentAndLineBreaksButNotSeparators) {
  Report r = testing::full_report();
  r.failures[0].failed_tests[0].message = "100% sure: a,b\r\nc::d";
  std::string line = render_github_annotations(r).at(0);
  std::string message = line.substr(line.find("::", 2) + 2);
  EXPECT_EQ(message.rfind("100%25 sure: a,b%0D%0Ac::d%0Arun 41", 0), 0u) << message;
}

TEST(Annotations, PropertiesAlsoEscapeColonAndComma) {
  Report r = testing::full_report();
  r.failures[0].failed_tests[0].file = "C:\\src\\a,b%c.cc";
  r.tests[1].name = "Odd,Name:1\n";
  r.failures[0].failed_tests[0].name = r.tests[1].name;
  std::string line = render_github_annotations(r).at(0);
  EXPECT_EQ(line.rfind("::error file=C%3A\\src\\a%2Cb%25c.cc,line=88,"
                       "title=Flaky test Odd%2CName%3A1%0A%3A 2 of 136 runs failed (1.47%25)::",
                       0),
            0u)
      << line;
}

TEST(Annotations, UnknownLineKeepsTheFile) {
  Report r = testing::full_report();
  r.failures[0].failed_tests[0].line = std::nullopt;
  EXPECT_EQ(render_github_annotations(r).at(0).rfind("::error file=tests/net_test.cc,title=", 0),
            0u);
  r.failures[0].failed_tests[0].line = -1;  // gtest's "no line"
  EXPECT_EQ(render_github_annotations(r).at(0).rfind("::error file=tests/net_test.cc,title=", 0),
            0u);
}

TEST(Annotations, UnknownFileOmitsFileAndLine) {
  Report r = testing::full_report();
  r.failures[0].failed_tests[0].file = "";
  EXPECT_EQ(render_github_annotations(r).at(0).rfind("::error title=Flaky test Net.Reconnect", 0),
            0u);
}

TEST(Annotations, FailingTestWithoutKeptTrace) {
  Report r = testing::full_report();
  r.failures.clear();
  EXPECT_EQ(render_github_annotations(r),
            std::vector<std::string>{
                "::error title=Flaky test Net.Reconnect%3A 2 of 136 runs failed (1.47%25)::"
                "no trace was kept for this test"});
}

TEST(Annotations, CrashOutsideAnyTest) {
  Report r = testing::passing_report();
  Failure crash;
  crash.run_index = 2;
  crash.signal = "SIGSEGV";
  crash.trace = "rr-traces/run-2";
  crash.replay_command = "rr-test-runner replay rr-traces/run-2";
  r.failures = {crash};
  EXPECT_EQ(render_github_annotations(r),
            std::vector<std::string>{"::error title=1 failing run(s) outside any test in t::"
                                     "run 2: signal SIGSEGV%0Atrace: rr-traces/run-2%0A"
                                     "replay: rr-test-runner replay rr-traces/run-2"});
}

TEST(Annotations, EveryAnnotationIsOneLine) {
  Report r = testing::full_report();
  r.failures[0].failed_tests[0].message = "a\nb\rc\r\n";
  r.failures[0].trace = "x\ny";
  for (const std::string& line : render_github_annotations(r)) {
    EXPECT_EQ(line.find_first_of("\r\n"), std::string::npos) << line;
  }
}

}  // namespace
}  // namespace rrtr::reports
