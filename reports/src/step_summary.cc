#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <system_error>

#include "rrtr/reports/error.h"
#include "rrtr/reports/markdown.h"

namespace rrtr::reports {
namespace {

[[noreturn]] void fail(const std::string& path, int error) {
  throw ReportError(
      path, "", "cannot append to $GITHUB_STEP_SUMMARY: " + std::generic_category().message(error));
}

}  // namespace

bool append_github_step_summary(const Report& report) {
  const char* env = std::getenv("GITHUB_STEP_SUMMARY");
  if (env == nullptr || *env == '\0') return false;
  const std::string path = env;
  std::FILE* file = std::fopen(path.c_str(), "ae");
  if (file == nullptr) fail(path, errno);
  std::string text = render_markdown_summary(report);
  // Earlier steps may have left the file without a final blank line, which would
  // glue our heading onto their last paragraph.
  struct stat st {};
  if (::fstat(fileno(file), &st) == 0 && st.st_size > 0) text.insert(0, "\n");
  bool written = std::fwrite(text.data(), 1, text.size(), file) == text.size();
  int error = errno;
  if (std::fclose(file) != 0 && written) {
    written = false;
    error = errno;
  }
  if (!written) fail(path, error);
  return true;
}

}  // namespace rrtr::reports
