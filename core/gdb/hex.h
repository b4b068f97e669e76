// Hex text as the remote protocol uses it: numbers in big-endian hex digits, byte
// strings as two hex digits per byte. Every parser rejects rather than guesses, because
// its input comes from the network.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rrtr::gdb {

// Value of one hex digit, or -1.
int hex_digit_value(char c);

// A non-empty run of at most 16 hex digits and nothing else.
std::optional<std::uint64_t> parse_hex_u64(std::string_view text);

// Two hex digits per byte; nullopt for an odd length or a non-hex character.
std::optional<std::string> hex_decode(std::string_view text);
std::string hex_encode(std::string_view bytes);

// Splits on every `sep`; "a,,b" gives {"a", "", "b"}, "" gives {""}.
std::vector<std::string_view> split(std::string_view text, char sep);

// The text before the first `sep` and the text after it; nullopt without a `sep`.
std::optional<std::pair<std::string_view, std::string_view>> split_once(std::string_view text,
                                                                         char sep);

}  // namespace rrtr::gdb
