#include "common/tokens_file.hpp"

#include <openssl/crypto.h>

#include <algorithm>
#include <credit_gateway/support/nearest.hpp>
#include <fstream>
#include <sstream>

#include "common/private_file.hpp"

namespace cg {

namespace {

std::string joined(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

}  // namespace

TokensFile read_tokens_file(const std::string& path, const TokensFileKind& kind) {
  TokensFile out;
  if (auto s = check_private_file(path, kind.what); !s) {
    out.problems.push_back(s.error());
    return out;
  }
  std::ifstream in(path);
  std::string line;
  size_t n = 0;
  const std::string shape =
      "expected '<" + (kind.scopes.size() <= 3 ? joined(kind.scopes, "|") : kind.scope_label) + "> <name> <token>'";
  while (std::getline(in, line)) {
    ++n;
    std::istringstream ls(line);
    Token t;
    std::string extra;
    if (!(ls >> t.scope) || t.scope[0] == '#') continue;  // blank or a comment
    const std::string where = path + ":" + std::to_string(n);
    if (!(ls >> t.name >> t.secret) || (ls >> extra)) {
      out.problems.push_back(make_error("tokens", shape, where));
    } else if (std::find(kind.scopes.begin(), kind.scopes.end(), t.scope) == kind.scopes.end()) {
      std::string near = sdk::nearest_name(t.scope, kind.scopes);
      out.problems.push_back(
          make_error("tokens",
                     "unknown " + kind.scope_label + " '" + t.scope + "' (" +
                         (near.empty() ? "one of " + joined(kind.scopes, ", ") : "did you mean '" + near + "'?") + ")",
                     where));
    } else if (t.secret.size() < 16) {
      out.problems.push_back(
          make_error("tokens", "the token of '" + t.name + "' is shorter than 16 characters", where));
    } else {
      out.tokens.push_back(std::move(t));
    }
  }
  return out;
}

const Token* find_token(const TokensFile& file, std::string_view secret) {
  const Token* found = nullptr;
  for (const auto& t : file.tokens)  // every token compared, the match or not
    if (t.secret.size() == secret.size() && CRYPTO_memcmp(t.secret.data(), secret.data(), secret.size()) == 0)
      found = &t;
  return found;
}

TokensFile read_admin_tokens(const std::string& path) {
  return read_tokens_file(path, {"the admin tokens file", "role", {"viewer", "operator"}});
}

TokensFile read_department_tokens(const std::string& path, const std::vector<std::string>& departments) {
  return read_tokens_file(path, {"the department tokens file", "department", departments});
}

}  // namespace cg
