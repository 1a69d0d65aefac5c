#include "admin/tokens_file.hpp"

#include <fstream>
#include <sstream>

#include "common/private_file.hpp"

namespace cg::admin {

TokensFile read_tokens_file(const std::string& path) {
  TokensFile out;
  if (auto s = check_private_file(path, "the admin tokens file"); !s) {
    out.problems.push_back(s.error());
    return out;
  }
  std::ifstream in(path);
  std::string line;
  size_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    std::istringstream ls(line);
    Token t;
    std::string extra;
    if (!(ls >> t.role) || t.role[0] == '#') continue;  // blank or a comment
    const std::string where = path + ":" + std::to_string(n);
    if (!(ls >> t.name >> t.secret) || (ls >> extra)) {
      out.problems.push_back(make_error("tokens", "expected '<viewer|operator> <name> <token>'", where));
    } else if (t.role != "viewer" && t.role != "operator") {
      out.problems.push_back(make_error("tokens", "unknown role '" + t.role + "' (viewer or operator)", where));
    } else if (t.secret.size() < 16) {
      out.problems.push_back(
          make_error("tokens", "the token of '" + t.name + "' is shorter than 16 characters", where));
    } else {
      out.tokens.push_back(std::move(t));
    }
  }
  return out;
}

}  // namespace cg::admin
