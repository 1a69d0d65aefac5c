// Header names and values as HTTP/1.1 reads them (RFC 9110 §5): names are
// compared in lower case, values lose the optional white space around them.
#pragma once

#include <string>
#include <string_view>

namespace cg::sdk::detail {

inline std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

inline std::string trim_ows(std::string_view s) {
  const auto ows = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  size_t b = 0, e = s.size();
  while (b < e && ows(s[b])) ++b;
  while (e > b && ows(s[e - 1])) --e;
  return std::string(s.substr(b, e - b));
}

}  // namespace cg::sdk::detail
