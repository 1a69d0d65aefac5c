// What a config reload cannot apply to the running gateway.
#pragma once

#include <string>
#include <vector>

#include "config/config.hpp"

namespace cg::gateway {

// The parts of the config, named as in the file, that differ between the
// running config and the next one and that only a restart applies: `store`,
// `node_id`, `data_dir`, `router.endpoint`, `destinations` (each one's
// settings; its `route` a reload applies), `jobs`, `admin`; any other
// difference outside what a reload applies is `other settings`. A reload
// applies `log_level`, `mappings`, `catalog`, `plugins`, `adapters`,
// `max_unit_bytes`, `quarantine_raw_limit` and the destinations' routes.
std::vector<std::string> restart_needed(const config::Config& running, const config::Config& next);

}  // namespace cg::gateway
