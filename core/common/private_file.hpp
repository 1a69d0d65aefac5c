// Files that hold secrets (platform secrets, admin tokens) must be readable
// by their owner only: one that others may read is refused, as ssh refuses
// a private key, with the command that fixes it.
#pragma once

#include <string>

#include "common/result.hpp"

namespace cg {

// `what` names the file in the message ("the secret file"). A file that does
// not exist passes: whether it must exist is the caller's rule.
Status check_private_file(const std::string& path, const std::string& what);

}  // namespace cg
