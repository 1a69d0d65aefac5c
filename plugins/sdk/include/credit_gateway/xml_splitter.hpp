// Splits a large XML feed file into parts on record boundaries, reading it a
// block at a time: memory stays bounded by the part size, whatever the size
// of the file. Each part is a well-formed document of its own: the file's
// prolog and enclosing start tags, whole records, and the closing tags.
//
// Byte-level, so it works on GB18030 as on UTF-8: '<' and '>' never occur
// inside a multi-byte GB18030 character. A record element is found by its
// name (`<SXBZXR>` or `<SXBZXR attr=...>`, never `<SXBZXR_FEED>`). The last
// part ends with the file's own tail, so a truncated file still fails to
// parse, in that part.
//
// Header-only, C++17, no dependency beyond the standard library.
#pragma once

#include <cstdint>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

namespace credit_gateway {

class XmlSplitter {
 public:
  struct Part {
    std::string document;  // prolog + enclosing tags + records + closing tags
    uint64_t begin = 0;    // byte range of this part's records in the file
    uint64_t end = 0;
    bool last = false;
  };

  XmlSplitter(const std::string& path, std::string record_element, size_t part_bytes, size_t max_header_bytes = 1 << 20)
      : in_(path, std::ios::binary),
        element_(std::move(record_element)),
        part_bytes_(part_bytes ? part_bytes : 1),
        max_header_(max_header_bytes) {
    if (!in_) error_ = "cannot open " + path;
  }

  // The next part, or nullopt at the end of the file or on an error (see error()).
  std::optional<Part> next() {
    if (!error_.empty() || done_) return std::nullopt;
    if (!header_read_ && !read_header()) return std::nullopt;
    Part p;
    p.begin = offset_;
    // Whole records until the part is big enough, then up to the next end tag.
    size_t cut = std::string::npos;
    size_t from = 0;
    while (cut == std::string::npos) {
      if (buf_.size() >= part_bytes_) {
        size_t at = find_end_tag(std::max(from, part_bytes_ > 0 ? part_bytes_ - 1 : 0));
        if (at != std::string::npos) {
          cut = at;
          break;
        }
      }
      from = buf_.size() > end_tag_.size() ? buf_.size() - end_tag_.size() : 0;
      if (!fill()) break;  // end of file: the rest, with the file's own tail
    }
    if (cut == std::string::npos) {
      p.document = header_ + buf_;
      p.end = offset_ + buf_.size();
      offset_ = p.end;
      buf_.clear();
      p.last = true;
      done_ = true;
      return p;
    }
    p.document.reserve(header_.size() + cut + tail_.size());
    p.document = header_;
    p.document.append(buf_, 0, cut);
    p.document += tail_;
    p.end = offset_ + cut;
    offset_ = p.end;
    buf_.erase(0, cut);
    // Only the tail left (closing tags, white space): this part was the last.
    if (rest_is_tail()) {
      p.last = true;
      done_ = true;
    }
    return p;
  }

  [[nodiscard]] const std::string& error() const { return error_; }

 private:
  static constexpr size_t kBlock = 1 << 20;

  bool fill() {
    if (eof_) return false;
    std::string block(kBlock, '\0');
    in_.read(block.data(), static_cast<std::streamsize>(block.size()));
    auto n = static_cast<size_t>(in_.gcount());
    if (n == 0) {
      eof_ = true;
      return false;
    }
    buf_.append(block, 0, n);
    return true;
  }

  static bool name_end(char c) { return c == '>' || c == '/' || c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

  // The bytes before the first record: the prolog and the enclosing start
  // tags, whose closing tags end every part but the last.
  bool read_header() {
    std::string open = "<" + element_;
    while (true) {
      // The first start tag of a record, past comments, processing
      // instructions and declarations; npos until it can be told.
      size_t at = std::string::npos;
      for (size_t i = 0; (i = buf_.find('<', i)) != std::string::npos;) {
        const char* skip_to = buf_.compare(i, 4, "<!--") == 0 ? "-->"
                              : buf_.compare(i, 2, "<?") == 0 ? "?>"
                              : buf_.compare(i, 2, "<!") == 0 ? ">"
                                                              : nullptr;
        if (skip_to) {
          size_t e = buf_.find(skip_to, i + 2);
          if (e == std::string::npos) break;  // read more
          i = e + 1;
          continue;
        }
        if (i + open.size() >= buf_.size()) break;  // read more
        if (buf_.compare(i, open.size(), open) == 0 && name_end(buf_[i + open.size()])) {
          at = i;
          break;
        }
        ++i;
      }
      if (at != std::string::npos) {
        header_ = buf_.substr(0, at);
        buf_.erase(0, at);
        offset_ = at;
        header_read_ = true;
        tail_ = closing_tags(header_);
        end_tag_ = "</" + element_;
        return true;
      }
      if (buf_.size() > max_header_) {
        error_ = "no <" + element_ + "> record element in the first " + std::to_string(max_header_) + " bytes";
        return false;
      }
      if (!fill()) {
        // No record at all: the file goes as one part, for the reader to judge.
        header_read_ = true;
        end_tag_ = "</" + element_;
        return true;
      }
    }
  }

  // Offset just past the first "</element>" that ends at or after `from`.
  size_t find_end_tag(size_t from) const {
    size_t at = from > end_tag_.size() ? from - end_tag_.size() : 0;
    while ((at = buf_.find(end_tag_, at)) != std::string::npos) {
      size_t k = at + end_tag_.size();
      while (k < buf_.size() && (buf_[k] == ' ' || buf_[k] == '\t' || buf_[k] == '\r' || buf_[k] == '\n')) ++k;
      if (k < buf_.size() && buf_[k] == '>') return k + 1;
      if (k >= buf_.size()) return std::string::npos;  // cut off: read more
      at = k;
    }
    return std::string::npos;
  }

  // True when what remains of the file (read to the end here if needed) is
  // only the closing tags and white space.
  bool rest_is_tail() {
    while (buf_.size() < tail_.size() + 4096 && fill()) {
    }
    if (!eof_ && buf_.size() >= tail_.size() + 4096) return false;
    std::string compact;
    for (char c : buf_)
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') compact += c;
    std::string want;
    for (char c : tail_)
      if (c != '\n') want += c;
    return compact == want;
  }

  // "</b></a>\n" for a header that leaves <a><b> open.
  static std::string closing_tags(const std::string& header) {
    std::vector<std::string> open;
    size_t i = 0;
    while ((i = header.find('<', i)) != std::string::npos) {
      if (header.compare(i, 4, "<!--") == 0) {
        size_t e = header.find("-->", i);
        i = e == std::string::npos ? header.size() : e + 3;
        continue;
      }
      size_t e = header.find('>', i);
      if (e == std::string::npos) break;
      char c = i + 1 < header.size() ? header[i + 1] : '\0';
      if (c == '?' || c == '!') {
        i = e + 1;
        continue;
      }
      bool closing = c == '/';
      size_t s = i + (closing ? 2 : 1);
      size_t n = s;
      while (n < e && !name_end(header[n])) ++n;
      std::string name = header.substr(s, n - s);
      if (closing) {
        if (!open.empty()) open.pop_back();
      } else if (header[e - 1] != '/') {
        open.push_back(name);
      }
      i = e + 1;
    }
    std::string out;
    for (auto it = open.rbegin(); it != open.rend(); ++it) out += "</" + *it + ">";
    return out + "\n";
  }

  std::ifstream in_;
  std::string element_;
  size_t part_bytes_;
  size_t max_header_;
  std::string header_, tail_, end_tag_, buf_, error_;
  uint64_t offset_ = 0;
  bool header_read_ = false, eof_ = false, done_ = false;
};

}  // namespace credit_gateway
