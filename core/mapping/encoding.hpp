// Character encodings of department feeds: everything becomes UTF-8 before it
// is parsed (glibc iconv).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace cg::mapping {

// The encoding an XML document declares (BOM first, then the prolog's
// encoding="..."), lower case; "utf-8" when it declares none.
std::string detect_xml_encoding(std::string_view bytes);

// Normalises an encoding name: "utf8" -> "utf-8", "GBK" -> "gb18030"
// (GB18030 is a superset of GBK and GB2312). Empty when unsupported.
std::string normalise_encoding(std::string_view name);

// Converts `bytes` in `encoding` to UTF-8; a UTF-8 BOM is dropped. An invalid
// or truncated sequence is an error naming its byte offset in `bytes`.
Result<std::string> to_utf8(std::string_view bytes, const std::string& encoding);
// The same without a copy where none is needed: UTF-8 input, once checked, is
// returned as a view of `bytes`; anything else is converted into `converted`
// and the view is of that.
Result<std::string_view> as_utf8(std::string_view bytes, const std::string& encoding, std::string& converted);

// Converts UTF-8 text to `encoding` (for documents written back to departments).
Result<std::string> from_utf8(std::string_view utf8, const std::string& encoding);

// The byte offset in the original encoding of an offset in the UTF-8 text.
size_t original_offset(std::string_view utf8, size_t utf8_offset, const std::string& encoding);

}  // namespace cg::mapping
