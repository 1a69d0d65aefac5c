#include "common/text.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

namespace cg::text {

std::optional<size_t> find_invalid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    // ASCII runs eight bytes at a time: most of a feed is tags and digits.
    while (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (w & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= n) break;
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    unsigned int cp = 0;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1Fu;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0Fu;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07u;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3Fu);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return i;
    }
    i += len;
  }
  return std::nullopt;
}

std::string valid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  while (!s.empty()) {
    auto bad = find_invalid_utf8(s);
    if (!bad) {
      out += s;
      break;
    }
    out += s.substr(0, *bad);
    out += "\xEF\xBF\xBD";  // U+FFFD
    s.remove_prefix(*bad + 1);
  }
  return out;
}

std::optional<size_t> find_control_character(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i)
    if (is_control_character(static_cast<unsigned char>(s[i]))) return i;
  return std::nullopt;
}

namespace {
// Length of a white-space sequence at the start (forward) of s, 0 if none.
size_t space_at(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') return 1;
  if (s.substr(i, 3) == "\xE3\x80\x80") return 3;  // U+3000
  if (s.substr(i, 2) == "\xC2\xA0") return 2;      // U+00A0
  return 0;
}
size_t space_before(std::string_view s, size_t end) {
  if (end >= 1) {
    unsigned char c = static_cast<unsigned char>(s[end - 1]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') return 1;
  }
  if (end >= 3 && s.substr(end - 3, 3) == "\xE3\x80\x80") return 3;
  if (end >= 2 && s.substr(end - 2, 2) == "\xC2\xA0") return 2;
  return 0;
}
}  // namespace

namespace {
std::pair<size_t, size_t> trimmed_span(std::string_view s) {
  size_t b = 0;
  while (b < s.size()) {
    size_t k = space_at(s, b);
    if (k == 0) break;
    b += k;
  }
  size_t e = s.size();
  while (e > b) {
    size_t k = space_before(s, e);
    if (k == 0) break;
    e -= k;
  }
  return {b, e};
}
}  // namespace

std::string trim(std::string_view s) {
  auto [b, e] = trimmed_span(s);
  return std::string(s.substr(b, e - b));
}

std::string_view trim_view(std::string_view s) {
  auto [b, e] = trimmed_span(s);
  return s.substr(b, e - b);
}

void trim_in_place(std::string& s) {
  auto [b, e] = trimmed_span(s);
  if (e < s.size()) s.erase(e);
  if (b > 0) s.erase(0, b);
}

void fullwidth_to_ascii_in_place(std::string& s) {
  // Each form shrinks (three bytes to one): written over the text it was read from.
  size_t i = 0;
  while (i < s.size() && s[i] != '\xEF' && s[i] != '\xE3') ++i;
  size_t out = i;
  while (i < s.size()) {
    auto c0 = static_cast<unsigned char>(s[i]);
    if (c0 == 0xEF && i + 2 < s.size()) {
      auto c1 = static_cast<unsigned char>(s[i + 1]);
      auto c2 = static_cast<unsigned char>(s[i + 2]);
      unsigned int cp = ((c0 & 0x0Fu) << 12) | ((c1 & 0x3Fu) << 6) | (c2 & 0x3Fu);
      if (cp >= 0xFF01 && cp <= 0xFF5E) {
        s[out++] = static_cast<char>(cp - 0xFF01 + 0x21);
        i += 3;
        continue;
      }
    }
    if (c0 == 0xE3 && s.compare(i, 3, "\xE3\x80\x80") == 0) {
      s[out++] = ' ';
      i += 3;
      continue;
    }
    s[out++] = s[i++];
  }
  s.resize(out);
}

std::string fullwidth_to_ascii(std::string_view s) {
  std::string out(s);
  fullwidth_to_ascii_in_place(out);
  return out;
}

void to_upper_ascii_in_place(std::string& s) {
  for (auto& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
}

void to_lower_ascii_in_place(std::string& s) {
  for (auto& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
}

std::string to_upper_ascii(std::string_view s) {
  std::string out(s);
  to_upper_ascii_in_place(out);
  return out;
}

std::string to_lower_ascii(std::string_view s) {
  std::string out(s);
  to_lower_ascii_in_place(out);
  return out;
}

LineCol line_col(std::string_view text, size_t offset) {
  LineCol lc;
  offset = std::min(offset, text.size());
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++lc.line;
      lc.column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++lc.column;
    }
  }
  return lc;
}

LineIndex::LineIndex(std::string_view text) {
  const char* base = text.data();
  const char* p = base;
  const char* end = base + text.size();
  while ((p = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)))) != nullptr) {
    newlines_.push_back(static_cast<size_t>(p - base));
    ++p;
  }
}

size_t LineIndex::line(size_t offset) const {
  return static_cast<size_t>(std::upper_bound(newlines_.begin(), newlines_.end(), offset) - newlines_.begin()) + 1;
}

bool is_lower_identifier(std::string_view s) {
  return !s.empty() && s[0] >= 'a' && s[0] <= 'z' &&
         s.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string_view::npos;
}

}  // namespace cg::text
