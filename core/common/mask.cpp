#include "common/mask.hpp"

#include <vector>

namespace cg {

std::string mask_id(std::string_view id) {
  if (id.size() <= 10) return std::string(id.size(), '*');
  std::string out(id.substr(0, 6));
  out.append(id.size() - 10, '*');
  out.append(id.substr(id.size() - 4));
  return out;
}

namespace {

// One character of a digit run: an ASCII or a full-width digit (U+FF10 to
// U+FF19), or an X (ASCII, U+FF38, U+FF58) where a check character may stand.
struct Char {
  size_t at = 0;   // byte offset in the text
  size_t len = 0;  // bytes: 1 or 3
};

// The digit-like character at s[i], if any: its length in bytes, 0 if none.
size_t digit_at(std::string_view s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c >= '0' && c <= '9') return 1;
  if (c == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBC) {
    const auto d = static_cast<unsigned char>(s[i + 2]);
    if (d >= 0x90 && d <= 0x99) return 3;
  }
  return 0;
}

size_t x_at(std::string_view s, size_t i) {
  if (s[i] == 'X' || s[i] == 'x') return 1;
  if (s.substr(i, 3) == "\xEF\xBC\xB8" || s.substr(i, 3) == "\xEF\xBD\x98") return 3;  // Ｘ ｘ
  return 0;
}

// Appends the run with all but its first 6 and last 4 characters starred.
void append_masked(std::string& out, std::string_view text, const std::vector<Char>& run) {
  for (size_t k = 0; k < run.size(); ++k) {
    if (k < 6 || k + 4 >= run.size())
      out.append(text.substr(run[k].at, run[k].len));
    else
      out.push_back('*');
  }
}

bool is_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// The length of the word at s[i] when it is an identifier of the gateway's
// own (a record id, a check or feedback id: 32, 40 or 64 lowercase hex
// characters, one at least a letter, between characters that are not
// letters or digits), else 0. Such a word is no ID number, and masking a
// digit run inside it would garble the id (about one record id in 250).
size_t hex_id_at(std::string_view s, size_t i) {
  if (i > 0 && is_alnum(s[i - 1])) return 0;
  size_t n = 0;
  bool letter = false;
  while (i + n < s.size() && ((s[i + n] >= '0' && s[i + n] <= '9') || (s[i + n] >= 'a' && s[i + n] <= 'f'))) {
    letter = letter || s[i + n] >= 'a';
    ++n;
  }
  if (i + n < s.size() && is_alnum(s[i + n])) return 0;
  return letter && (n == 32 || n == 40 || n == 64) ? n : 0;
}

}  // namespace

// A resident ID number is 17 digits and a check character, or 15 digits
// (first generation). Whatever stands around it (a letter prefix, an escaped
// newline "\n", Chinese text), a run of 15 digits, or of 17 digits or more
// (with a final X), is masked: masking too much is safe, too little is not.
std::string mask_ids_in_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::vector<Char> run;
  size_t i = 0;
  while (i < text.size()) {
    if (const size_t id = hex_id_at(text, i)) {
      out.append(text.substr(i, id));
      i += id;
      continue;
    }
    if (!digit_at(text, i)) {
      out.push_back(text[i++]);
      continue;
    }
    run.clear();
    size_t len = 0;
    while (i < text.size() && (len = digit_at(text, i))) {
      run.push_back({i, len});
      i += len;
    }
    if (run.size() >= 17 && i < text.size() && (len = x_at(text, i))) {
      run.push_back({i, len});
      i += len;
    }
    if (run.size() == 15 || run.size() >= 18)
      append_masked(out, text, run);
    else
      out.append(text.substr(run.front().at, i - run.front().at));
  }
  return out;
}

}  // namespace cg
