#include "common/json_string.hpp"

#include <cstdint>
#include <cstdio>
#include <cstring>

namespace cg {

size_t next_json_special(std::string_view v, size_t i) {
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  const char* p = v.data();
  auto special = [](char ch) {
    auto c = static_cast<unsigned char>(ch);
    return c < 0x20 || c == '"' || c == '\\';
  };
  while (i + 8 <= v.size()) {
    uint64_t w = 0;
    std::memcpy(&w, p + i, 8);
    uint64_t quote = w ^ (kOnes * '"'), backslash = w ^ (kOnes * '\\');
    uint64_t hit = ((w - kOnes * 0x20) & ~w)              // a byte below 0x20
                   | ((quote - kOnes) & ~quote)           // a '"'
                   | ((backslash - kOnes) & ~backslash);  // a '\\'
    if (!(hit & kHigh)) {
      i += 8;
      continue;
    }
    for (size_t end = i + 8; i < end; ++i)
      if (special(p[i])) return i;
  }
  for (; i < v.size(); ++i)
    if (special(p[i])) return i;
  return i;
}

void append_json_string(std::string& out, std::string_view v) {
  out += '"';
  size_t run = 0;  // bytes copied as they are, in one append
  for (size_t i = 0; i < v.size(); ++i) {
    i = next_json_special(v, i);
    if (i == v.size()) break;
    auto c = static_cast<unsigned char>(v[i]);
    out.append(v, run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default: {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
      }
    }
  }
  out.append(v, run, v.size() - run);
  out += '"';
}

}  // namespace cg
