#include "json_cursor.h"

#include <fmt/format.h>

#include <limits>

#include "rrtr/reports/error.h"

namespace rrtr::reports::detail {

JsonCursor::JsonCursor(const nlohmann::ordered_json& root, std::string_view origin)
    : JsonCursor(root, origin, std::string(), false) {}

JsonCursor::JsonCursor(const nlohmann::ordered_json& value, std::string_view origin,
                       std::string path, bool null_allowed)
    : value_(&value), origin_(origin), path_(std::move(path)), null_allowed_(null_allowed) {}

void JsonCursor::fail(std::string problem) const {
  throw ReportError(std::string(origin_), path_, std::move(problem));
}

void JsonCursor::fail_type(std::string_view expected) const {
  fail(fmt::format("expected {}{}", expected, null_allowed_ ? " or null" : ""));
}

JsonCursor JsonCursor::field(std::string_view key) const {
  if (!value_->is_object()) fail_type("object");
  std::string child_path = path_.empty() ? std::string(key) : fmt::format("{}.{}", path_, key);
  auto it = value_->find(key);
  if (it == value_->end()) {
    throw ReportError(std::string(origin_), child_path, "missing required field");
  }
  return JsonCursor(*it, origin_, std::move(child_path), false);
}

std::size_t JsonCursor::array_size() const {
  if (!value_->is_array()) fail_type("array");
  return value_->size();
}

JsonCursor JsonCursor::element(std::size_t index) const {
  return JsonCursor(value_->at(index), origin_, fmt::format("{}[{}]", path_, index), false);
}

std::optional<JsonCursor> JsonCursor::nullable() const {
  if (value_->is_null()) return std::nullopt;
  return JsonCursor(*value_, origin_, path_, true);
}

std::string JsonCursor::string() const {
  if (!value_->is_string()) fail_type("string");
  return value_->get<std::string>();
}

bool JsonCursor::boolean() const {
  if (!value_->is_boolean()) fail_type("boolean");
  return value_->get<bool>();
}

std::int64_t JsonCursor::int64() const {
  if (!value_->is_number_integer()) fail_type("integer");
  if (value_->is_number_unsigned() &&
      value_->get<std::uint64_t>() >
          static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    fail("integer out of range");
  }
  return value_->get<std::int64_t>();
}

int JsonCursor::int32() const {
  std::int64_t v = int64();
  if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max()) {
    fail("integer out of range");
  }
  return static_cast<int>(v);
}

std::uint64_t JsonCursor::count() const {
  if (!value_->is_number_integer()) fail_type("integer");
  if (!value_->is_number_unsigned()) fail_type("non-negative integer");
  return value_->get<std::uint64_t>();
}

double JsonCursor::non_negative_number() const {
  if (!value_->is_number()) fail_type("number");
  double v = value_->get<double>();
  if (!(v >= 0.0)) fail_type("non-negative number");
  return v;
}

}  // namespace rrtr::reports::detail
