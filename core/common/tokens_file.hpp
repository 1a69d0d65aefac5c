// Bearer tokens files: lines "<scope> <name> <token>" (tokens of 16
// characters or more; '#' starts a comment line), where the scope is a role
// of the admin API (viewer, operator) or the department a department API
// token acts for. Read on every request, so that tokens are added and
// removed without a restart.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace cg {

struct Token {
  std::string scope;  // a role (viewer | operator) or a department id
  std::string name;
  std::string secret;
};

struct TokensFile {
  std::vector<Token> tokens;
  std::vector<Error> problems;  // each malformed line (file:line), the token never quoted
};

// What a tokens file holds: "the admin tokens file", scopes called "role",
// one of `scopes`.
struct TokensFileKind {
  std::string what;
  std::string scope_label;
  std::vector<std::string> scopes;
};

// A file that others may read is refused whole (problems, no tokens); one
// that does not exist has neither.
TokensFile read_tokens_file(const std::string& path, const TokensFileKind& kind);

// The token whose secret is `secret`, compared in constant time (the time
// taken says nothing of how much of a secret matched); null when none is.
const Token* find_token(const TokensFile& file, std::string_view secret);

// The admin API's: roles viewer and operator.
TokensFile read_admin_tokens(const std::string& path);
// The department API's: each token acts for one of `departments`.
TokensFile read_department_tokens(const std::string& path, const std::vector<std::string>& departments);

}  // namespace cg
