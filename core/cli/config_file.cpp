#include "cli/config_file.hpp"

#include <iostream>

#include "gateway/wiring.hpp"

namespace cg::cli {

std::optional<config::Config> load_config_reporting(const std::string& file) {
  auto r = config::load_config(file);
  for (const auto& p : r.problems) std::cerr << p.where << ": error: " << p.message << "\n";
  return std::move(r.config);
}

std::optional<Opened> open_configured(const Args& args) {
  auto file = args.get("config");
  if (!file) {
    std::cerr << "--config FILE is required\n";
    return std::nullopt;
  }
  auto cfg = load_config_reporting(*file);
  if (!cfg) return std::nullopt;
  auto st = gateway::open_configured_store(*cfg);
  if (!st.ok()) {
    std::cerr << st.error().to_string() << "\n";
    return std::nullopt;
  }
  return Opened{std::move(*cfg), std::move(st.value())};
}

}  // namespace cg::cli
