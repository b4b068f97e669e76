// GitHub Actions workflow commands that put failures next to the code.
#pragma once

#include <string>
#include <vector>

#include "rrtr/reports/report.h"

namespace rrtr::reports {

// One "::error file=F,line=L,title=T::message" line (no trailing newline) per failing
// test, plus one for failing runs that no test claimed. file/line are left out when
// unknown.
std::vector<std::string> render_github_annotations(const Report& report);

}  // namespace rrtr::reports
