#include "cli/args.hpp"

#include <credit_gateway/support/nearest.hpp>

namespace cg::cli {

Result<Args> Args::parse(const std::vector<std::string>& argv, const std::set<std::string>& with_value,
                         const std::set<std::string>& flags) {
  Args a;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& s = argv[i];
    if (s.rfind("--", 0) != 0 || s == "--") {
      a.positional_.push_back(s);
      continue;
    }
    std::string name = s.substr(2);
    std::string value;
    bool inline_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      inline_value = true;
    }
    if (with_value.count(name)) {
      if (!inline_value) {
        if (i + 1 >= argv.size()) return make_error("usage", "--" + name + " needs a value");
        value = argv[++i];
      }
      a.values_[name] = value;
    } else if (flags.count(name)) {
      a.flags_.insert(name);
    } else {
      std::string best;
      size_t best_d = 99;
      for (const auto* set : {&with_value, &flags})
        for (const auto& o : *set)
          if (auto d = sdk::edit_distance(name, o); d < best_d) {
            best_d = d;
            best = o;
          }
      std::string msg = "unknown option --" + name;
      if (!best.empty() && best_d <= 3) msg += "; did you mean --" + best + "?";
      return make_error("usage", msg);
    }
  }
  return a;
}

std::optional<std::string> Args::get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Args::get_or(const std::string& name, const std::string& fallback) const {
  return get(name).value_or(fallback);
}

}  // namespace cg::cli
