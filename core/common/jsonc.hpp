// JSON with comments (// and /* */), as IT admins write mapping and config
// files. Keeps the text so that every error can name a line.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>

#include "common/result.hpp"

namespace cg {

class JsoncDocument {
 public:
  // Parses `text`; `name` is used in error messages (usually the file path).
  static Result<JsoncDocument> parse(std::string name, std::string text);
  static Result<JsoncDocument> load_file(const std::string& path);

  [[nodiscard]] const nlohmann::ordered_json& value() const { return value_; }
  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] const std::string& text() const { return text_; }
  // 1-based line of the value (or of the key, for object members) at a JSON
  // pointer such as "/records/0/fields/subject.name"; 0 when unknown.
  [[nodiscard]] size_t line_of(const std::string& pointer) const;
  // "file:line" for a pointer.
  [[nodiscard]] std::string where(const std::string& pointer) const;

 private:
  std::string name_;
  std::string text_;
  nlohmann::ordered_json value_;
  std::unordered_map<std::string, size_t> offsets_;
};

// Byte offset of every value (and object key) in JSON text, by JSON pointer,
// down to `max_depth` levels. The text must already be valid JSON.
std::unordered_map<std::string, size_t> json_value_offsets(const std::string& text, int max_depth = 200);

// Appends one reference token to a JSON pointer, escaping ~ and /.
std::string pointer_append(const std::string& pointer, const std::string& token);

}  // namespace cg
