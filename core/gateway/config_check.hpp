// The one validation of a gateway config, run alike by check-config, by the
// gateway's start and by every reload (SIGHUP or the admin API): the config
// file itself, and what it refers to (mappings and outbound mappings, the
// feeds adapters name, the catalog, the plugin allowlist, the destinations'
// secrets). A config that one of them accepts, all of them accept.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "config/config.hpp"

namespace cg::gateway {

struct CheckedConfig {
  std::optional<config::Config> config;  // set only when there is no problem
  std::vector<Error> problems;           // every one, each with its file and line or key
  std::vector<Error> warnings;           // reported, not refused (a malformed admin tokens line)
  size_t mappings = 0;                   // loaded, when the config is good
};

CheckedConfig check_config(const std::string& file);

// "where: message" lines, for logs and API answers.
std::vector<std::string> describe(const std::vector<Error>& problems);

}  // namespace cg::gateway
