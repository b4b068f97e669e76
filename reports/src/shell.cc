#include "rrtr/reports/shell.h"

namespace rrtr::reports {
namespace {

// Characters no POSIX shell treats specially anywhere in a word. '~' (expands at
// the start), '^' (a pipe in the historical Bourne shell) and '!' (history
// expansion in interactive bash) are deliberately absent.
bool is_plain(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '_':
    case '@':
    case '%':
    case '+':
    case '=':
    case ':':
    case ',':
    case '.':
    case '/':
    case '-': return true;
    default: return false;
  }
}

// "NAME=value" as the first word of a command is an environment assignment, not the
// program to run, so such a word must be quoted wherever it appears.
bool looks_like_assignment(std::string_view word) {
  std::size_t eq = word.find('=');
  if (eq == std::string_view::npos || eq == 0) return false;
  char first = word[0];
  if (!(first == '_' || (first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z'))) {
    return false;
  }
  for (char c : word.substr(0, eq)) {
    bool name_char =
        c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!name_char) return false;
  }
  return true;
}

}  // namespace

std::string shell_quote(std::string_view word) {
  bool plain = !word.empty() && !looks_like_assignment(word);
  for (char c : word) plain = plain && is_plain(c);
  if (plain) return std::string(word);
  // Inside single quotes nothing is special, so only the quote itself needs work:
  // close the quoting, emit an escaped quote, reopen.
  std::string out = "'";
  for (char c : word) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  out += '\'';
  return out;
}

std::string shell_join(const std::vector<std::string>& argv) {
  std::string out;
  for (const std::string& arg : argv) {
    if (!out.empty()) out += ' ';
    out += shell_quote(arg);
  }
  return out;
}

}  // namespace rrtr::reports
