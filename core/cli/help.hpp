// What `credit-gateway <command> --help` prints: one place for every
// command's synopsis and options.
#pragma once

#include <optional>
#include <string>

namespace cg::cli {

// The help of a command ("map", "quarantine", ...), or nullopt for an unknown one.
std::optional<std::string> command_help(const std::string& command);

}  // namespace cg::cli
