// UTF-8 text helpers used by the mapping transforms.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cg::text {

// Offset of the first byte that is not valid UTF-8, or nullopt when valid.
std::optional<size_t> find_invalid_utf8(std::string_view s);

// `s` with each byte that is not part of valid UTF-8 replaced by U+FFFD: for
// messages that quote input (a parser's error text), which must stay valid
// UTF-8 wherever they are written.
std::string valid_utf8(std::string_view s);

// A control character other than tab, line feed and carriage return
// (U+0000 to U+001F), which no text field may hold.
inline bool is_control_character(unsigned char c) {
  return c < 0x20 && c != '\t' && c != '\n' && c != '\r';
}

// Offset of the first such character, or nullopt when there is none.
std::optional<size_t> find_control_character(std::string_view s);

// Characters (code points) of valid UTF-8 text.
inline size_t utf8_length(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// Removes leading and trailing white space, including U+3000 (ideographic
// space) and U+00A0 (no-break space).
std::string trim(std::string_view s);
std::string_view trim_view(std::string_view s);  // the same, as a view into `s`
void trim_in_place(std::string& s);

// Full-width forms (U+FF01..U+FF5E) to ASCII, U+3000 to a space.
std::string fullwidth_to_ascii(std::string_view s);
void fullwidth_to_ascii_in_place(std::string& s);

std::string to_upper_ascii(std::string_view s);
std::string to_lower_ascii(std::string_view s);
void to_upper_ascii_in_place(std::string& s);
void to_lower_ascii_in_place(std::string& s);
// [a-z][a-z0-9_]*: a department id, a scenario code.
bool is_lower_identifier(std::string_view s);

// 1-based line and column of a byte offset.
struct LineCol {
  size_t line = 1;
  size_t column = 1;
};
LineCol line_col(std::string_view text, size_t offset);

// Line numbers of many offsets in one text: one scan, then a binary search each.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);
  [[nodiscard]] size_t line(size_t offset) const;

 private:
  std::vector<size_t> newlines_;
};

}  // namespace cg::text
