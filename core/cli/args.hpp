// A small command-line parser: --name value, --flag, and positionals.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace cg::cli {

class Args {
 public:
  // `with_value` lists the options that take a value; `flags` those that do not.
  static Result<Args> parse(const std::vector<std::string>& argv, const std::set<std::string>& with_value,
                            const std::set<std::string>& flags);

  [[nodiscard]] std::optional<std::string> get(const std::string& name) const;
  [[nodiscard]] std::string get_or(const std::string& name, const std::string& fallback) const;
  [[nodiscard]] bool flag(const std::string& name) const { return flags_.count(name) > 0; }
  [[nodiscard]] const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::string> values_;
  std::set<std::string> flags_;
  std::vector<std::string> positional_;
};

}  // namespace cg::cli
