#include "cli/config_file.hpp"

#include <iostream>

namespace cg::cli {

std::optional<config::Config> load_config_reporting(const std::string& file) {
  auto r = config::load_config(file);
  for (const auto& p : r.problems) std::cerr << p.where << ": error: " << p.message << "\n";
  return std::move(r.config);
}

}  // namespace cg::cli
