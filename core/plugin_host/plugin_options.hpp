// An adapter's options checked against what it declares (its descriptor's
// config_doc, which `plugin info` prints): a key it does not declare is a
// misspelling or a leftover, refused with the nearest declared one before
// the plugin sees its config. A plugin that declares nothing ("{}") is not
// checked.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "common/result.hpp"

namespace cg::plugin_host {

Status check_plugin_options(const nlohmann::json& config, const char* config_doc, const std::string& plugin);

}  // namespace cg::plugin_host
