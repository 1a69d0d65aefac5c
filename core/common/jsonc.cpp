#include "common/jsonc.hpp"

#include <fstream>
#include <sstream>

#include "common/json_string.hpp"
#include "common/text.hpp"

namespace cg {

std::string pointer_append(const std::string& pointer, const std::string& token) {
  std::string out = pointer + "/";
  for (char c : token) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out.push_back(c);
  }
  return out;
}

namespace {

// A lenient scanner over text that nlohmann has already accepted; it only
// records where each value and key starts.
class OffsetScanner {
 public:
  OffsetScanner(const std::string& text, std::unordered_map<std::string, size_t>& out, int max_depth)
      : t_(text), out_(out), max_depth_(max_depth) {}
  void run() { value("", 0); }

 private:
  void skip() {
    while (p_ < t_.size()) {
      char c = t_[p_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++p_;
      } else if (c == '/' && p_ + 1 < t_.size() && t_[p_ + 1] == '/') {
        while (p_ < t_.size() && t_[p_] != '\n') ++p_;
      } else if (c == '/' && p_ + 1 < t_.size() && t_[p_ + 1] == '*') {
        size_t e = t_.find("*/", p_ + 2);
        p_ = e == std::string::npos ? t_.size() : e + 2;
      } else {
        break;
      }
    }
  }
  // Skips a string; returns whether it held an escape.
  bool skip_string() {
    bool escaped = false;
    ++p_;
    while (p_ < t_.size()) {
      p_ = next_json_special(t_, p_);  // eight bytes at a time
      if (p_ >= t_.size()) return escaped;
      if (t_[p_] == '"') break;
      if (t_[p_] != '\\') {  // a control character (not in text nlohmann accepted): passed over
        ++p_;
        continue;
      }
      escaped = true;
      p_ += 2;
    }
    ++p_;
    return escaped;
  }
  std::string string_token() {
    size_t start = p_;
    if (!skip_string()) return t_.substr(start + 1, p_ - start - 2);
    try {
      return nlohmann::json::parse(t_.substr(start, p_ - start)).get<std::string>();
    } catch (...) {
      return t_.substr(start + 1, p_ - start - 2);
    }
  }
  // A value inside an object or array: a character no rule takes (the
  // scanner and the parser may see comments differently) is passed over, so
  // that every scan ends.
  void value_advancing(const std::string& path, int depth) {
    const size_t before = p_;
    value(path, depth);
    if (p_ == before) ++p_;
  }
  void value(const std::string& path, int depth) {
    skip();
    if (p_ >= t_.size()) return;
    if (depth > 256) {  // deeper than any file we accept; stop rather than recurse
      p_ = t_.size();
      return;
    }
    if (depth <= max_depth_) out_.emplace(path, p_);
    char c = t_[p_];
    if (c == '{') {
      ++p_;
      while (true) {
        skip();
        if (p_ >= t_.size() || t_[p_] == '}') {
          ++p_;
          return;
        }
        if (t_[p_] == ',') {
          ++p_;
          continue;
        }
        size_t key_at = p_;
        std::string child;
        if (depth + 1 <= max_depth_) {  // below the depth asked for, no path is built
          child = pointer_append(path, string_token());
          out_.emplace(child, key_at);
        } else {
          skip_string();
        }
        skip();
        if (p_ < t_.size() && t_[p_] == ':') ++p_;
        value_advancing(child, depth + 1);
      }
    } else if (c == '[') {
      ++p_;
      size_t index = 0;
      while (true) {
        skip();
        if (p_ >= t_.size() || t_[p_] == ']') {
          ++p_;
          return;
        }
        if (t_[p_] == ',') {
          ++p_;
          continue;
        }
        value_advancing(depth + 1 <= max_depth_ ? path + "/" + std::to_string(index) : std::string(), depth + 1);
        ++index;
      }
    } else if (c == '"') {
      skip_string();
    } else {
      while (p_ < t_.size() && t_[p_] != ',' && t_[p_] != '}' && t_[p_] != ']' && t_[p_] != ' ' && t_[p_] != '\n' &&
             t_[p_] != '\r' && t_[p_] != '\t' && t_[p_] != '/')
        ++p_;
    }
  }

  const std::string& t_;
  std::unordered_map<std::string, size_t>& out_;
  int max_depth_;
  size_t p_ = 0;
};

// nlohmann's message without its "[json.exception.parse_error.101] " prefix,
// made valid UTF-8 (it may quote the bytes it read last).
std::string without_exception_id(std::string msg) {
  if (auto pos = msg.find("] "); pos != std::string::npos) msg.erase(0, pos + 2);
  return text::valid_utf8(msg);
}

}  // namespace

std::unordered_map<std::string, size_t> json_value_offsets(const std::string& text, int max_depth) {
  std::unordered_map<std::string, size_t> out;
  OffsetScanner(text, out, max_depth).run();
  return out;
}

Result<JsoncDocument> JsoncDocument::parse(std::string name, std::string text) {
  JsoncDocument doc;
  doc.name_ = std::move(name);
  doc.text_ = std::move(text);
  try {
    doc.value_ = nlohmann::ordered_json::parse(doc.text_, nullptr, true, /*ignore_comments=*/true);
  } catch (const nlohmann::json::parse_error& e) {
    auto lc = text::line_col(doc.text_, e.byte > 0 ? e.byte - 1 : 0);
    return make_error("json_syntax", without_exception_id(e.what()),
                      doc.name_ + ":" + std::to_string(lc.line) + ":" + std::to_string(lc.column));
  } catch (const nlohmann::json::exception& e) {  // a number beyond a double's range, say
    return make_error("json_syntax", without_exception_id(e.what()), doc.name_);
  }
  doc.offsets_ = json_value_offsets(doc.text_);
  return doc;
}

Result<JsoncDocument> JsoncDocument::load_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("io", "cannot open file", path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse(path, ss.str());
}

size_t JsoncDocument::line_of(const std::string& pointer) const {
  auto it = offsets_.find(pointer);
  if (it == offsets_.end()) return 0;
  return text::line_col(text_, it->second).line;
}

std::string JsoncDocument::where(const std::string& pointer) const {
  size_t line = line_of(pointer);
  return line ? name_ + ":" + std::to_string(line) : name_;
}

}  // namespace cg
