// Internal: the parts of Catch2's reporting model that did not change between 2.x and
// 3.x, written once as templates so both listener files describe failures identically.
#ifndef RRTR_CATCH2_ASSERTION_TEXT_H
#define RRTR_CATCH2_ASSERTION_TEXT_H

#include <string>

namespace rrtr::detail {

// What Catch2's console reporter shows for a failure: the macro with its expression,
// the expansion when it adds information, then INFO/CAPTURE context and the message.
template <class AssertionStats>
std::string describe_failure(const AssertionStats& stats) {
  const auto& result = stats.assertionResult;
  std::string text;
  auto add_line = [&text](const std::string& line) {
    if (line.empty()) return;
    if (!text.empty()) text += '\n';
    text += line;
  };
  if (result.hasExpression()) {
    add_line(result.getExpressionInMacro());
    if (result.hasExpandedExpression() &&
        result.getExpandedExpression() != result.getExpression())
      add_line("with expansion: " + result.getExpandedExpression());
  }
  // Both 2.x and 3.x append the assertion's own message (FAIL text, exception
  // message) to infoMessages after the INFO/CAPTURE context, so it is not added twice.
  for (const auto& info : stats.infoMessages) add_line(info.message);
  return text;
}

}  // namespace rrtr::detail

#endif
