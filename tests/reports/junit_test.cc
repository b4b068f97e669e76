#include "rrtr/reports/junit.h"

#include <gtest/gtest.h>

#include <iostream>

#include "fixtures.h"
#include "rrtr/reports/shell.h"
#include "test_support.h"

namespace rrtr::reports {
namespace {

using testing::run_command;

// Checks the XML with libxml2's xmllint, so escaping is judged by a real parser
// rather than by string comparison.
class Junit : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::have_program("xmllint")) {
      GTEST_SKIP() << "xmllint not found (Debian package libxml2-utils); JUnit output unchecked";
    }
  }

  std::string write(const std::string& xml) {
    return dir_.write("junit-" + std::to_string(files_++) + ".xml", xml).string();
  }

  // Exit status of xmllint; its diagnostics go to the test log.
  int xmllint(const std::string& options, const std::string& file) {
    auto result = run_command("xmllint " + options + " " + shell_quote(file) + " 2>&1");
    if (result.exit_status != 0) std::cerr << result.output;
    return result.exit_status;
  }

  int well_formed(const std::string& file) { return xmllint("--noout", file); }

  int valid(const std::string& file) {
    return xmllint("--noout --schema " + shell_quote(RRTR_REPORTS_JUNIT_XSD), file);
  }

  // The string value of an XPath expression, as a parser decodes it.
  std::string xpath(const std::string& file, const std::string& expression) {
    auto result =
        run_command("xmllint --xpath " + shell_quote(expression) + " " + shell_quote(file));
    EXPECT_EQ(result.exit_status, 0) << expression;
    // xmllint ends the value with a newline of its own.
    if (!result.output.empty() && result.output.back() == '\n') result.output.pop_back();
    return result.output;
  }

  testing::TempDir dir_;
  int files_ = 0;
};

TEST_F(Junit, FullReportIsWellFormedAndMatchesTheSchema) {
  std::string file = write(render_junit(testing::full_report()));
  EXPECT_EQ(well_formed(file), 0);
  EXPECT_EQ(valid(file), 0);
}

TEST_F(Junit, PassingReportIsWellFormedAndMatchesTheSchema) {
  std::string file = write(render_junit(testing::passing_report()));
  EXPECT_EQ(well_formed(file), 0);
  EXPECT_EQ(valid(file), 0);
  EXPECT_EQ(xpath(file, "count(//failure)"), "0");
}

TEST_F(Junit, SchemaRejectsStructuralDrift) {
  // Guards the guard: if the XSD accepted these, the tests above would prove nothing.
  std::string xml = render_junit(testing::full_report());
  std::string wrong_type = xml;
  wrong_type.replace(wrong_type.find("type=\"flaky\""), 12, "type=\"error\"");
  EXPECT_NE(valid(write(wrong_type)), 0);
  std::string no_classname = xml;
  no_classname.replace(no_classname.find("classname="), 9, "clazzname");
  EXPECT_NE(valid(write(no_classname)), 0);
  std::string no_properties = xml;
  std::size_t from = no_properties.find("<properties>");
  std::size_t to = no_properties.find("</properties>") + 13;
  no_properties.erase(from, to - from);
  EXPECT_NE(valid(write(no_properties)), 0);
}

TEST_F(Junit, OneTestcasePerTestSplitOnTheFirstDot) {
  Report r = testing::full_report();
  r.tests.push_back({"Inst/Param.Case/0", 1, 1, 0, 0.0});
  r.tests.push_back({"a.b.c", 1, 1, 0, 0.0});
  std::string file = write(render_junit(r));
  EXPECT_EQ(xpath(file, "count(/testsuites/testsuite/testcase)"), "4");
  EXPECT_EQ(xpath(file, "string(/testsuites/testsuite/@tests)"), "4");
  EXPECT_EQ(xpath(file, "string(/testsuites/@tests)"), "4");
  EXPECT_EQ(xpath(file, "string(//testcase[1]/@classname)"), "Net");
  EXPECT_EQ(xpath(file, "string(//testcase[1]/@name)"), "Connect");
  EXPECT_EQ(xpath(file, "string(//testcase[3]/@classname)"), "Inst/Param");
  EXPECT_EQ(xpath(file, "string(//testcase[3]/@name)"), "Case/0");
  EXPECT_EQ(xpath(file, "string(//testcase[4]/@classname)"), "a");
  EXPECT_EQ(xpath(file, "string(//testcase[4]/@name)"), "b.c");
  EXPECT_EQ(valid(file), 0);
}

TEST_F(Junit, NameWithoutADotUsesTheProgramAsClassname) {
  Report r = testing::passing_report();
  r.program = "/opt/build dir/unit_tests";
  r.tests.push_back({".hidden", 1, 1, 0, 0.0});
  std::string file = write(render_junit(r));
  EXPECT_EQ(xpath(file, "string(//testcase[@name='Solo']/@classname)"), "unit_tests");
  EXPECT_EQ(xpath(file, "string(//testcase[@name='.hidden']/@classname)"), "unit_tests");
}

TEST_F(Junit, FailureCarriesTheFirstFailuresDetailsAndTheCount) {
  Report r = testing::full_report();
  Failure later = r.failures[0];
  later.run_index = 99;
  later.failed_tests[0].message = "second failure";
  later.trace = "rr-traces/run-99";
  r.failures.push_back(later);
  std::string file = write(render_junit(r));
  EXPECT_EQ(xpath(file, "count(//failure)"), "1");
  EXPECT_EQ(xpath(file, "string(/testsuites/@failures)"), "1");
  EXPECT_EQ(xpath(file, "string(//testcase[@name='Reconnect']/failure/@type)"), "flaky");
  EXPECT_EQ(xpath(file, "string(//testcase[@name='Reconnect']/failure/@message)"),
            "2 of 136 runs failed (1.47%): Expected: ok\n  Actual: timeout");
  EXPECT_EQ(xpath(file, "string(//testcase[@name='Reconnect']/failure)"),
            "2 of 136 runs failed (1.47%)\n"
            "tests/net_test.cc:88\n"
            "Expected: ok\n  Actual: timeout\n"
            "first kept failure: run 41, timed out, signal SIGABRT, exit status 1\n"
            "trace: rr-traces/run-41\n"
            "replay: rr-test-runner replay rr-traces/run-41\n"
            "goto failure: rr-test-runner replay --goto-failure rr-traces/run-41\n");
}

TEST_F(Junit, FailingTestWithoutKeptTraceStillFails) {
  Report r = testing::full_report();
  r.failures.clear();
  std::string file = write(render_junit(r));
  EXPECT_EQ(xpath(file, "string(//testcase[@name='Reconnect']/failure/@message)"),
            "2 of 136 runs failed (1.47%); no trace was kept");
  EXPECT_EQ(valid(file), 0);
}

TEST_F(Junit, CrashOutsideAnyTestGetsItsOwnTestcase) {
  Report r = testing::passing_report();
  Failure crash;
  crash.run_index = 2;
  crash.signal = "SIGSEGV";
  crash.trace = "rr-traces/run-2";
  crash.replay_command = "rr-test-runner replay rr-traces/run-2";
  r.failures = {crash, crash};
  std::string file = write(render_junit(r));
  EXPECT_EQ(valid(file), 0);
  EXPECT_EQ(xpath(file, "string(//testcase[2]/@classname)"), "t");
  EXPECT_EQ(xpath(file, "string(//testcase[2]/@name)"), "(outside any test)");
  EXPECT_EQ(xpath(file, "string(//testcase[2]/failure/@message)"),
            "2 kept failing run(s) not attributed to any test; first: signal SIGSEGV");
  EXPECT_EQ(xpath(file, "string(/testsuites/@failures)"), "1");
}

TEST_F(Junit, EscapesMarkupQuotesAndControlCharacters) {
  Report r = testing::full_report();
  const std::string message =
      "a < b && c > \"d\" 'e' ]]> <!-- x -->\nline two\ttab\rcr\x01\x08\x0b\x1f|del\x7f "
      "Grüße 世界 🎉 bad\xff end";
  const std::string expected_message =
      "a < b && c > \"d\" 'e' ]]> <!-- x -->\nline two\ttab\rcr|del\x7f "
      "Grüße 世界 🎉 bad\xEF\xBF\xBD end";
  r.failures[0].failed_tests[0].message = message;
  r.failures[0].failed_tests[0].name = "Tmpl<int>&\"'.Case";
  r.tests[1].name = "Tmpl<int>&\"'.Case";
  r.failures[0].trace = "/tmp/a&b/<trace>";
  std::string xml = render_junit(r);
  std::string file = write(xml);
  ASSERT_EQ(well_formed(file), 0) << xml;
  EXPECT_EQ(valid(file), 0);
  EXPECT_EQ(xpath(file, "string(//testcase[@name='Case']/@classname)"), "Tmpl<int>&\"'");
  EXPECT_EQ(xpath(file, "string(//failure/@message)"),
            "2 of 136 runs failed (1.47%): " + expected_message);
  std::string body = xpath(file, "string(//failure)");
  EXPECT_NE(body.find("\n" + expected_message + "\n"), std::string::npos) << body;
  EXPECT_NE(body.find("trace: /tmp/a&b/<trace>\n"), std::string::npos) << body;
}

TEST_F(Junit, MalformedUtf8NeverReachesTheParser) {
  // An encoded surrogate, overlong 2-, 3- and 4-byte '/', a code point above
  // U+10FFFF, a lone continuation byte and a truncated sequence: each must become
  // U+FFFD per byte.
  const std::string fffd = "\xEF\xBF\xBD";
  Report r = testing::full_report();
  r.failures[0].failed_tests[0].message =
      "s\xED\xA0\x80 o\xC0\xAF o\xE0\x80\xAF o\xF0\x80\x80\xAF h\xF4\x90\x80\x80 c\x80 t\xE2\x82";
  std::string file = write(render_junit(r));
  ASSERT_EQ(well_formed(file), 0);
  EXPECT_EQ(xpath(file, "string(//failure/@message)"),
            "2 of 136 runs failed (1.47%): s" + fffd + fffd + fffd + " o" + fffd + fffd + " o" +
                fffd + fffd + fffd + " o" + fffd + fffd + fffd + fffd + " h" + fffd + fffd + fffd +
                fffd + " c" + fffd + " t" + fffd + fffd);
}

TEST_F(Junit, LineBelowOneIsUnknown) {
  Report r = testing::full_report();
  r.failures[0].failed_tests[0].line = 0;
  std::string body = xpath(write(render_junit(r)), "string(//failure)");
  EXPECT_NE(body.find("\ntests/net_test.cc\n"), std::string::npos) << body;
  r.failures[0].failed_tests[0].file = "";
  body = xpath(write(render_junit(r)), "string(//failure)");
  EXPECT_EQ(body.find("net_test.cc"), std::string::npos) << body;
}

TEST_F(Junit, TimestampIsTheStartTimeAndOmittedWhenInvalid) {
  Report r = testing::full_report();
  std::string file = write(render_junit(r));
  EXPECT_EQ(xpath(file, "string(//testsuite/@timestamp)"), "2025-03-01T10:15:30.250Z");
  EXPECT_EQ(xpath(file, "string(//testsuite/@time)"), "84.250");
  r.started_at = "";
  file = write(render_junit(r));
  EXPECT_EQ(xpath(file, "count(//testsuite/@timestamp)"), "0");
  EXPECT_EQ(valid(file), 0);
}

TEST_F(Junit, PropertiesDescribeTheInvocation) {
  std::string file = write(render_junit(testing::full_report()));
  EXPECT_EQ(xpath(file, "string(//property[@name='host.kernel']/@value)"), "6.1.0-18-amd64");
  EXPECT_EQ(xpath(file, "string(//property[@name='host.tick_backend']/@value)"), "perf");
  EXPECT_EQ(xpath(file, "string(//property[@name='options.seed']/@value)"), "1234");
  EXPECT_EQ(xpath(file, "string(//property[@name='runs.attempted']/@value)"), "137");
}

}  // namespace
}  // namespace rrtr::reports
