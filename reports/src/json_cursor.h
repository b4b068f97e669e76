// Path-tracking access to a parsed JSON document, so every validation failure can
// name the exact field ("failures[2].run_index") in its ReportError.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace rrtr::reports::detail {

// A value inside the document plus its dotted path. Accessors throw ReportError
// ("<origin>: <path>: expected integer") instead of nlohmann's type errors.
class JsonCursor {
 public:
  JsonCursor(const nlohmann::ordered_json& root, std::string_view origin);

  // Throws "missing required field" when the key is absent, "expected object" when
  // this value is not an object.
  JsonCursor field(std::string_view key) const;
  std::size_t array_size() const;
  JsonCursor element(std::size_t index) const;

  // nullopt for JSON null; otherwise this cursor, with type errors reading
  // "expected X or null".
  std::optional<JsonCursor> nullable() const;

  std::string string() const;
  bool boolean() const;
  int int32() const;
  std::int64_t int64() const;
  std::uint64_t count() const;  // non-negative integer
  double non_negative_number() const;

  const std::string& path() const { return path_; }
  [[noreturn]] void fail(std::string problem) const;

 private:
  JsonCursor(const nlohmann::ordered_json& value, std::string_view origin, std::string path,
             bool null_allowed);
  [[noreturn]] void fail_type(std::string_view expected) const;

  const nlohmann::ordered_json* value_;
  std::string_view origin_;
  std::string path_;
  bool null_allowed_ = false;
};

}  // namespace rrtr::reports::detail
