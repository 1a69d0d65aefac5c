#include "common/json_check.hpp"

#include <algorithm>
#include <credit_gateway/support/nearest.hpp>

namespace cg {

std::string nearest_key(const std::string& key, const std::vector<std::string>& allowed) {
  return sdk::nearest_name(key, allowed);
}

void JsonChecker::problem(const std::string& ptr, const std::string& msg, const std::string& code) {
  problems.push_back(make_error(code, msg, doc_.where(ptr)));
}

bool JsonChecker::keys(const Json& j, const std::string& ptr, const std::vector<std::string>& allowed,
                       const char* what) {
  if (!j.is_object()) {
    problem(ptr, std::string(what) + " must be an object");
    return false;
  }
  for (const auto& [k, _] : j.items()) {
    if (std::find(allowed.begin(), allowed.end(), k) != allowed.end()) continue;
    std::string hint = nearest_key(k, allowed);
    std::string msg = "unknown key '" + k + "' in " + what;
    if (!hint.empty()) {
      msg += "; did you mean '" + hint + "'?";
    } else {
      msg += "; valid keys are:";
      for (const auto& a : allowed) msg += " " + a;
    }
    problem(pointer_append(ptr, k), msg, "unknown_key");
  }
  return true;
}

std::optional<std::string> JsonChecker::str(const Json& j, const std::string& key, const std::string& ptr,
                                            bool required) {
  auto it = j.find(key);
  if (it == j.end()) {
    if (required) problem(ptr, "missing required key '" + key + "'");
    return std::nullopt;
  }
  if (!it->is_string()) {
    problem(pointer_append(ptr, key), "'" + key + "' must be a string");
    return std::nullopt;
  }
  return it->get<std::string>();
}

std::optional<int64_t> JsonChecker::integer(const Json& j, const std::string& key, const std::string& ptr, int64_t min,
                                            int64_t max) {
  auto it = j.find(key);
  if (it == j.end()) return std::nullopt;
  if (!it->is_number_integer() || it->get<int64_t>() < min || it->get<int64_t>() > max) {
    problem(pointer_append(ptr, key),
            "'" + key + "' must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
    return std::nullopt;
  }
  return it->get<int64_t>();
}

std::optional<bool> JsonChecker::boolean(const Json& j, const std::string& key, const std::string& ptr) {
  auto it = j.find(key);
  if (it == j.end()) return std::nullopt;
  if (!it->is_boolean()) {
    problem(pointer_append(ptr, key), "'" + key + "' must be true or false");
    return std::nullopt;
  }
  return it->get<bool>();
}

}  // namespace cg
