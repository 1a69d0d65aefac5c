// The admin API's tokens: lines "<viewer|operator> <name> <token>" (tokens of
// 16 characters or more; '#' starts a comment line). Read on every request,
// so that tokens are added and removed without a restart.
#pragma once

#include <string>
#include <vector>

#include "common/result.hpp"

namespace cg::admin {

struct Token {
  std::string role;  // viewer | operator
  std::string name;
  std::string secret;
};

struct TokensFile {
  std::vector<Token> tokens;
  std::vector<Error> problems;  // each malformed line (file:line), the token never quoted
};

// A file that others may read is refused whole (problems, no tokens); one
// that does not exist has neither.
TokensFile read_tokens_file(const std::string& path);

}  // namespace cg::admin
