// UTF-8 decoding shared by the text renderers: messages come from arbitrary test
// output and may hold bytes that XML and GitHub would reject.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace rrtr::reports::detail {

inline constexpr char32_t kReplacementCharacter = 0xFFFD;

// One decoded code point. Invalid input decodes as U+FFFD with length 1, so a
// decoding loop always makes progress.
struct DecodedCodePoint {
  char32_t code_point;
  std::size_t length;
};

// Decodes the code point starting at text[pos] (pos < text.size()). Overlong forms,
// surrogates and values above U+10FFFF are invalid.
DecodedCodePoint decode_utf8(std::string_view text, std::size_t pos);

void append_utf8(std::string& out, char32_t code_point);

// text with every invalid sequence replaced by U+FFFD.
std::string sanitize_utf8(std::string_view text);

}  // namespace rrtr::reports::detail
