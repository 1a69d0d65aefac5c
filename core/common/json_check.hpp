// Checks of JSON documents that people write (mapping and config files):
// unknown keys with the nearest valid one, types, and file:line for each.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/jsonc.hpp"

namespace cg {

// The allowed key nearest to `key`, or "" when none is close.
std::string nearest_key(const std::string& key, const std::vector<std::string>& allowed);

class JsonChecker {
 public:
  using Json = nlohmann::ordered_json;
  explicit JsonChecker(const JsoncDocument& doc) : doc_(doc) {}

  std::vector<Error> problems;

  void problem(const std::string& ptr, const std::string& msg, const std::string& code = "config");
  // Reports keys of `j` not in `allowed`; false when `j` is not an object.
  bool keys(const Json& j, const std::string& ptr, const std::vector<std::string>& allowed, const char* what);
  std::optional<std::string> str(const Json& j, const std::string& key, const std::string& ptr, bool required);
  std::optional<int64_t> integer(const Json& j, const std::string& key, const std::string& ptr, int64_t min,
                                 int64_t max);
  std::optional<bool> boolean(const Json& j, const std::string& key, const std::string& ptr);
  [[nodiscard]] const JsoncDocument& doc() const { return doc_; }

 private:
  const JsoncDocument& doc_;
};

}  // namespace cg
