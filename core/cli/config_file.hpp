// The gateway config a command was given: loaded, its problems printed
// (file:line: error: ...), none when it has any.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "cli/args.hpp"
#include "config/config.hpp"
#include "store/store.hpp"

namespace cg::cli {

std::optional<config::Config> load_config_reporting(const std::string& file);

// The config of --config and its store, opened with its routes; none (the
// problem printed) when either fails.
struct Opened {
  config::Config cfg;
  std::unique_ptr<store::Store> store;
};
std::optional<Opened> open_configured(const Args& args);

}  // namespace cg::cli
