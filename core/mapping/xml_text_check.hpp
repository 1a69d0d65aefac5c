// What XML 1.0 forbids and pugixml takes: checked on the document's UTF-8
// text before it is parsed, so that nothing of it reaches a record.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cg::mapping {

struct XmlTextProblem {
  size_t offset = 0;  // in the UTF-8 text
  std::string message;
};

// The first of: a control character (other than tab, line feed, carriage
// return) anywhere; a character reference to what is not an XML character
// (&#0;, a surrogate, beyond U+10FFFF) or not a number; a reference to an
// entity other than the five predefined ones; an '&' that starts no
// reference. Comments, CDATA sections and processing instructions are
// checked for control characters only.
std::optional<XmlTextProblem> find_illegal_xml_text(std::string_view utf8);

}  // namespace cg::mapping
