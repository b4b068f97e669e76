#include "rrtr/reports/shell.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "test_support.h"

namespace rrtr::reports {
namespace {

using testing::run_command;

TEST(ShellQuote, PlainWordsStayBare) {
  for (const char* word : {"rr-test-runner", "--seed=5", "/a/b_c.d", "x@y:1,2+%", "-j2"}) {
    EXPECT_EQ(shell_quote(word), word);
  }
}

TEST(ShellQuote, EmptyWordIsAnEmptyQuotedString) { EXPECT_EQ(shell_quote(""), "''"); }

TEST(ShellQuote, SingleQuoteIsClosedEscapedAndReopened) {
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_quote("'"), "''\\'''");
}

TEST(ShellQuote, SpecialCharactersAreQuoted) {
  for (std::string word :
       {"a b", "$HOME", "`id`", "a\\b", "*",   "?",     "[x]",  "~",    "~/t",   "!x", "#c", "a;b",
        "a&b", "a|b",   "<in",  ">out", "(x)", "{a,b}", "a\nb", "a\tb", "\"q\"", "ü",  "^x"}) {
    EXPECT_EQ(shell_quote(word), "'" + word + "'") << word;
  }
}

TEST(ShellQuote, AssignmentLikeWordsAreQuoted) {
  // As a first word, FOO=bar would set a variable instead of naming the program.
  EXPECT_EQ(shell_quote("FOO=bar"), "'FOO=bar'");
  EXPECT_EQ(shell_quote("_x1=y"), "'_x1=y'");
  EXPECT_EQ(shell_quote("--opt=v"), "--opt=v");
  EXPECT_EQ(shell_quote("1A=b"), "1A=b");
}

TEST(ShellJoin, SeparatesQuotedWordsWithSingleSpaces) {
  EXPECT_EQ(shell_join({"rr-test-runner", "replay", "/tmp/my traces/run 1"}),
            "rr-test-runner replay '/tmp/my traces/run 1'");
  EXPECT_EQ(shell_join({}), "");
  EXPECT_EQ(shell_join({"", ""}), "'' ''");
}

// Decodes the "<length>:<bytes>\n" records written by argv_dump.
std::vector<std::string> decode_argv(const std::string& output) {
  std::vector<std::string> args;
  std::size_t pos = 0;
  while (pos < output.size()) {
    std::size_t colon = output.find(':', pos);
    std::size_t length = std::stoul(output.substr(pos, colon - pos));
    args.push_back(output.substr(colon + 1, length));
    pos = colon + 1 + length + 1;
  }
  return args;
}

const std::vector<std::string> kAwkwardArgs = {
    "replay",
    "/tmp/my traces/it's \"quoted\"/trace",
    "$HOME",
    "`id`",
    "$(id)",
    "a\nb",
    "*",
    "",
    "~",
    "FOO=bar",
    "--flag=a b",
    "back\\slash",
    "'",
    "''",
    "Grüße 世界",
    "!!",
    "; echo injected",
};

// Parameterized by the shell that interprets the joined command.
class ShellRoundTrip : public ::testing::TestWithParam<const char*> {};

TEST_P(ShellRoundTrip, ShellPassesEveryArgumentThroughUnchanged) {
  const std::string shell = GetParam();
  if (!testing::have_program(shell)) GTEST_SKIP() << shell << " not installed";
  std::vector<std::string> argv = {RRTR_REPORTS_ARGV_DUMP};
  argv.insert(argv.end(), kAwkwardArgs.begin(), kAwkwardArgs.end());
  // The joined command is itself quoted once more to hand it to `shell -c`.
  auto result = run_command(shell + " -c " + shell_quote(shell_join(argv)));
  ASSERT_EQ(result.exit_status, 0) << result.output;
  EXPECT_EQ(decode_argv(result.output), kAwkwardArgs);
}

INSTANTIATE_TEST_SUITE_P(Shells, ShellRoundTrip, ::testing::Values("sh", "bash", "dash"));

TEST(ShellJoin, ProgramPathWithSpacesRuns) {
  testing::TempDir dir;
  auto copy = dir.path() / "my tools" / "it's dump";
  std::filesystem::create_directories(copy.parent_path());
  std::filesystem::copy_file(RRTR_REPORTS_ARGV_DUMP, copy);
  auto result = run_command(shell_join({copy.string(), "x y"}));
  ASSERT_EQ(result.exit_status, 0);
  EXPECT_EQ(decode_argv(result.output), std::vector<std::string>{"x y"});
}

}  // namespace
}  // namespace rrtr::reports
