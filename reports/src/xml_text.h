// Escaping for the JUnit writer.
#pragma once

#include <string>
#include <string_view>

namespace rrtr::reports::detail {

// Character data: & < > " ' become entities, invalid UTF-8 becomes U+FFFD, and
// characters XML 1.0 forbids (C0 controls other than tab/newline/CR, U+FFFE,
// U+FFFF) are dropped. A carriage return becomes &#13; so parsers keep it.
std::string xml_text(std::string_view text);

// Like xml_text, but tab, newline and carriage return are also written as
// character references: attribute-value normalization would turn them into spaces.
std::string xml_attribute(std::string_view text);

}  // namespace rrtr::reports::detail
