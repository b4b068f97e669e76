// Quoting for commands a user will paste into a POSIX shell.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rrtr::reports {

// One shell word that expands to exactly `word`: left bare when that is safe,
// otherwise single-quoted.
std::string shell_quote(std::string_view word);

// shell_quote of each argument, separated by single spaces.
std::string shell_join(const std::vector<std::string>& argv);

}  // namespace rrtr::reports
