// The gateway config a command was given: loaded, its problems printed
// (file:line: error: ...), none when it has any.
#pragma once

#include <optional>
#include <string>

#include "config/config.hpp"

namespace cg::cli {

std::optional<config::Config> load_config_reporting(const std::string& file);

}  // namespace cg::cli
