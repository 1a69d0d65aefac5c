#include "mapping/encoding.hpp"

#include <iconv.h>
#include <simdjson.h>

#include <cerrno>

#include "common/text.hpp"
#include "mapping/gb18030.hpp"

namespace cg::mapping {

namespace {

// RAII for an iconv conversion descriptor.
class Iconv {
 public:
  Iconv(const char* to, const char* from) : cd_(iconv_open(to, from)) {}
  ~Iconv() {
    if (ok()) iconv_close(cd_);
  }
  Iconv(const Iconv&) = delete;
  Iconv& operator=(const Iconv&) = delete;
  [[nodiscard]] bool ok() const { return cd_ != reinterpret_cast<iconv_t>(-1); }
  iconv_t get() const { return cd_; }

 private:
  iconv_t cd_;
};

// Converts; on failure sets `bad_at` to the input offset of the problem.
bool convert(const char* to, const char* from, std::string_view in, std::string& out, size_t& bad_at, bool& truncated) {
  Iconv cd(to, from);
  if (!cd.ok()) return false;
  out.clear();
  out.resize(in.size() * 2 + 16);
  char* inp = const_cast<char*>(in.data());
  size_t inleft = in.size();
  size_t written = 0;
  while (inleft > 0) {
    char* outp = out.data() + written;
    size_t outleft = out.size() - written;
    size_t r = iconv(cd.get(), &inp, &inleft, &outp, &outleft);
    written = static_cast<size_t>(outp - out.data());
    if (r == static_cast<size_t>(-1)) {
      if (errno == E2BIG) {
        out.resize(out.size() * 2);
        continue;
      }
      bad_at = in.size() - inleft;
      truncated = errno == EINVAL;
      return false;
    }
  }
  out.resize(written);
  return true;
}

}  // namespace

std::string normalise_encoding(std::string_view name) {
  std::string n = text::to_lower_ascii(text::trim(name));
  if (n == "utf-8" || n == "utf8") return "utf-8";
  if (n == "gb18030" || n == "gbk" || n == "gb2312" || n == "cp936" || n == "gb_2312-80") return "gb18030";
  if (n == "utf-16" || n == "utf-16le") return "utf-16le";
  if (n == "utf-16be") return "utf-16be";
  return {};
}

std::string detect_xml_encoding(std::string_view b) {
  if (b.substr(0, 3) == "\xEF\xBB\xBF") return "utf-8";
  if (b.substr(0, 2) == "\xFF\xFE") return "utf-16le";
  if (b.substr(0, 2) == "\xFE\xFF") return "utf-16be";
  if (b.substr(0, 5) != "<?xml") return "utf-8";
  auto end = b.find("?>");
  std::string_view prolog = b.substr(0, end == std::string_view::npos ? std::min<size_t>(b.size(), 200) : end);
  auto pos = prolog.find("encoding");
  if (pos == std::string_view::npos) return "utf-8";
  pos = prolog.find_first_of("\"'", pos);
  if (pos == std::string_view::npos) return "utf-8";
  char q = prolog[pos];
  auto close = prolog.find(q, pos + 1);
  if (close == std::string_view::npos) return "utf-8";
  return text::to_lower_ascii(prolog.substr(pos + 1, close - pos - 1));
}

Result<std::string> to_utf8(std::string_view bytes, const std::string& encoding) {
  std::string converted;
  auto text = as_utf8(bytes, encoding, converted);
  if (!text.ok()) return text.error();
  if (text->data() == converted.data()) return converted;
  return std::string(*text);
}

Result<std::string_view> as_utf8(std::string_view bytes, const std::string& encoding, std::string& converted) {
  std::string enc = normalise_encoding(encoding);
  if (enc.empty()) return make_error("unsupported_encoding", "encoding '" + encoding + "' is not supported");
  if (enc == "utf-8") {
    size_t bom = bytes.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    bytes.remove_prefix(bom);
    // simdjson's SIMD check first (GB/s); the scalar one only to say where.
    if (simdjson::validate_utf8(bytes.data(), bytes.size())) return bytes;
    if (auto bad = text::find_invalid_utf8(bytes)) {
      size_t at = *bad + bom;
      return make_error(
          "wrong_encoding",
          "invalid UTF-8 at byte " + std::to_string(at) + " (is the file in another encoding, such as GB18030?)",
          "byte " + std::to_string(at));
    }
    return bytes;
  }
  const char* from = enc == "gb18030" ? "GB18030" : enc == "utf-16le" ? "UTF-16LE" : "UTF-16BE";
  if (enc != "gb18030" && bytes.size() >= 2) bytes.remove_prefix(2);  // BOM
  std::string out;
  size_t bad_at = 0;
  bool truncated = false;
  bool ok = false;
  if (enc == "gb18030") {
    Gb18030Decoder::Failure failure;
    ok = Gb18030Decoder::instance().decode(bytes, out, failure);
    bad_at = failure.at;
    truncated = failure.truncated;
  } else {
    ok = convert("UTF-8", from, bytes, out, bad_at, truncated);
  }
  if (!ok) {
    std::string what = truncated ? "truncated multi-byte sequence" : "invalid byte sequence";
    return make_error("wrong_encoding", what + " for " + encoding + " at byte " + std::to_string(bad_at),
                      "byte " + std::to_string(bad_at));
  }
  converted = std::move(out);
  return std::string_view(converted);
}

Result<std::string> from_utf8(std::string_view utf8, const std::string& encoding) {
  std::string enc = normalise_encoding(encoding);
  if (enc.empty()) return make_error("unsupported_encoding", "encoding '" + encoding + "' is not supported");
  if (enc == "utf-8") return std::string(utf8);
  const char* to = enc == "gb18030" ? "GB18030" : enc == "utf-16le" ? "UTF-16LE" : "UTF-16BE";
  std::string out;
  size_t bad_at = 0;
  bool truncated = false;
  if (!convert(to, "UTF-8", utf8, out, bad_at, truncated))
    return make_error("wrong_encoding",
                      "cannot write the text in " + encoding + " (byte " + std::to_string(bad_at) + ")");
  return out;
}

size_t original_offset(std::string_view utf8, size_t utf8_offset, const std::string& encoding) {
  std::string enc = normalise_encoding(encoding);
  if (enc == "utf-8" || enc.empty()) return utf8_offset;
  utf8_offset = std::min(utf8_offset, utf8.size());
  // Step back to a character boundary.
  while (utf8_offset > 0 && (static_cast<unsigned char>(utf8[utf8_offset]) & 0xC0) == 0x80) --utf8_offset;
  std::string out;
  size_t bad_at = 0;
  bool truncated = false;
  const char* to = enc == "gb18030" ? "GB18030" : enc == "utf-16le" ? "UTF-16LE" : "UTF-16BE";
  if (!convert(to, "UTF-8", utf8.substr(0, utf8_offset), out, bad_at, truncated)) return utf8_offset;
  return out.size();
}

}  // namespace cg::mapping
