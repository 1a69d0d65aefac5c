#include "common/mask.hpp"

#include <cctype>

namespace cg {

std::string mask_id(std::string_view id) {
  if (id.size() <= 10) return std::string(id.size(), '*');
  std::string out(id.substr(0, 6));
  out.append(id.size() - 10, '*');
  out.append(id.substr(id.size() - 4));
  return out;
}

namespace {
bool is_digit(char c) { return c >= '0' && c <= '9'; }
}  // namespace

std::string mask_ids_in_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (!is_digit(text[i]) || (i > 0 && std::isalnum(static_cast<unsigned char>(text[i - 1])))) {
      out.push_back(text[i++]);
      continue;
    }
    size_t j = i;
    while (j < text.size() && is_digit(text[j])) ++j;
    size_t len = j - i;
    if (len == 17 && j < text.size() && (text[j] == 'X' || text[j] == 'x')) {
      ++j;
      len = 18;
    }
    bool boundary = j >= text.size() || !std::isalnum(static_cast<unsigned char>(text[j]));
    if ((len == 18 || len == 15) && boundary) {
      out += mask_id(text.substr(i, len));
    } else {
      out.append(text.substr(i, j - i));
    }
    i = j;
  }
  return out;
}

}  // namespace cg
