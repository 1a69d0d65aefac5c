// A plugin's options checked against what it declares (its descriptor's
// config_doc, which `plugin info` prints; see credit_gateway/options.hpp)
// before the plugin sees its config: a key it does not declare, with the
// nearest declared one; a value of the wrong type or out of bounds; a
// required option missing. A plugin that declares nothing ("{}") is not
// checked; one that declares its options in the older {"key": "meaning"}
// form has its keys checked, not their values.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "common/result.hpp"

namespace cg::plugin_host {

// `where` names the config's place ("adapters.court-file-drop"); an error's
// where is it and the option's key.
Status check_plugin_options(const nlohmann::json& config, const char* config_doc, const std::string& plugin,
                            const std::string& where);

// The options a config_doc declares as a Markdown table (option, type and
// bounds, default, meaning), as docs/configuration.md shows the shipped
// plugins' and `plugin info --markdown` prints them.
std::string options_markdown(const char* config_doc);

}  // namespace cg::plugin_host
