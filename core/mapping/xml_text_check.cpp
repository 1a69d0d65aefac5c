#include "mapping/xml_text_check.hpp"

#include <array>
#include <cstdint>
#include <cstdio>

#include "common/text.hpp"

namespace cg::mapping {

namespace {

// XML 1.0 production [2] Char.
bool is_xml_char(uint32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
         (c >= 0x10000 && c <= 0x10FFFF);
}

std::string code_point(uint32_t c) {
  std::array<char, 16> buf{};
  std::snprintf(buf.data(), buf.size(), "U+%04X", c);
  return buf.data();
}

XmlTextProblem control_at(std::string_view s, size_t i) {
  return {i, "control character " + code_point(static_cast<unsigned char>(s[i])) + " in the document"};
}

// The first control character in s[from, to).
std::optional<XmlTextProblem> control_in(std::string_view s, size_t from, size_t to) {
  if (auto at = text::find_control_character(s.substr(from, to - from))) return control_at(s, from + *at);
  return std::nullopt;
}

// The reference that starts with the '&' at s[at]; its end in `next`.
std::optional<XmlTextProblem> check_reference(std::string_view s, size_t at, size_t& next) {
  constexpr size_t kLongestName = 64;
  const size_t semi = s.find(';', at + 1);
  if (semi == std::string_view::npos || semi - at - 1 > kLongestName || semi == at + 1)
    return XmlTextProblem{at, "'&' starts no reference (write &amp; for the character itself)"};
  const std::string_view name = s.substr(at + 1, semi - at - 1);
  next = semi + 1;
  const std::string shown = "&" + std::string(name) + ";";
  if (name[0] != '#') {
    if (name == "lt" || name == "gt" || name == "amp" || name == "apos" || name == "quot") return std::nullopt;
    for (char c : name)
      if (text::is_control_character(static_cast<unsigned char>(c)) || c == '&' || c == '<')
        return XmlTextProblem{at, "'&' starts no reference (write &amp; for the character itself)"};
    return XmlTextProblem{at, "undefined entity " + shown + " (only &lt; &gt; &amp; &apos; &quot; are defined)"};
  }
  const bool hex = name.size() > 1 && name[1] == 'x';
  const std::string_view digits = name.substr(hex ? 2 : 1);
  if (digits.empty()) return XmlTextProblem{at, "malformed character reference " + shown};
  uint32_t value = 0;
  for (char c : digits) {
    uint32_t d = 0;
    if (c >= '0' && c <= '9')
      d = static_cast<uint32_t>(c - '0');
    else if (hex && c >= 'a' && c <= 'f')
      d = static_cast<uint32_t>(c - 'a' + 10);
    else if (hex && c >= 'A' && c <= 'F')
      d = static_cast<uint32_t>(c - 'A' + 10);
    else
      return XmlTextProblem{at, "malformed character reference " + shown};
    value = value * (hex ? 16u : 10u) + d;
    if (value > 0x10FFFF) return XmlTextProblem{at, "character reference " + shown + " is beyond U+10FFFF"};
  }
  if (!is_xml_char(value))
    return XmlTextProblem{at, "character reference " + shown + " is " + code_point(value) + ", not an XML character"};
  return std::nullopt;
}

// Where the construct that starts at s[i] ('<') ends, if it is one whose
// content holds no references: a comment, a CDATA section, a processing
// instruction; its closing text in `close`.
std::optional<size_t> literal_end(std::string_view s, size_t i, std::string_view& close) {
  const std::string_view rest = s.substr(i);
  size_t open = 0;
  if (rest.substr(0, 4) == "<!--") {
    open = 4;
    close = "-->";
  } else if (rest.substr(0, 9) == "<![CDATA[") {
    open = 9;
    close = "]]>";
  } else if (rest.substr(0, 2) == "<?") {
    open = 2;
    close = "?>";
  } else {
    return std::nullopt;
  }
  const size_t end = s.find(close, i + open);
  return end == std::string_view::npos ? s.size() : end;
}

}  // namespace

std::optional<XmlTextProblem> find_illegal_xml_text(std::string_view s) {
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '&' && c != '<') {  // most bytes
      ++i;
      continue;
    }
    if (text::is_control_character(c)) return control_at(s, i);
    if (c == '&') {
      size_t next = i + 1;
      if (auto p = check_reference(s, i, next)) return p;
      i = next;
      continue;
    }
    std::string_view close;
    if (c == '<') {
      if (auto end = literal_end(s, i, close)) {
        if (auto p = control_in(s, i, *end)) return p;
        i = *end + close.size();
        continue;
      }
    }
    ++i;
  }
  return std::nullopt;
}

}  // namespace cg::mapping
