// JSON feeds: UTF-8 (or a declared GB18030), depth-limited parsing, an
// optional envelope check, then JSON pointers.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "common/jsonc.hpp"
#include "common/text.hpp"
#include "mapping/encoding.hpp"
#include "mapping/record_view.hpp"

namespace cg::mapping {

namespace {

using nlohmann::json;

// Line numbers of records, found by one scan of the text on first need.
class LazyLines {
 public:
  explicit LazyLines(const std::string* text, int depth) : text_(text), depth_(depth) {}
  size_t line(const std::string& pointer) {
    if (!text_) return 0;
    if (!offsets_) {
      offsets_ = json_value_offsets(*text_, depth_);
      index_.emplace(*text_);
    }
    auto it = offsets_->find(pointer);
    return it == offsets_->end() ? 0 : index_->line(it->second);
  }

 private:
  const std::string* text_;
  int depth_;
  std::optional<std::unordered_map<std::string, size_t>> offsets_;
  std::optional<text::LineIndex> index_;
};

class JsonRecordView final : public RecordView {
 public:
  explicit JsonRecordView(const json& value, LazyLines* lines = nullptr, std::string pointer = {})
      : value_(value), lines_(lines), pointer_(std::move(pointer)) {}
  [[nodiscard]] size_t line() const override { return lines_ ? lines_->line(pointer_) : 0; }
  [[nodiscard]] std::optional<std::string> get(const SourcePath& path) const override {
    if (!value_.is_object() || !value_.contains(path.pointer)) return std::nullopt;
    const json& v = value_.at(path.pointer);
    switch (v.type()) {
      case json::value_t::string:
        return v.get<std::string>();
      case json::value_t::null:
        return std::nullopt;
      case json::value_t::boolean:
        return v.get<bool>() ? "true" : "false";
      default:
        return v.dump();  // numbers keep their shortest exact form
    }
  }
  [[nodiscard]] std::string raw() const override { return value_.dump(); }
  [[nodiscard]] std::optional<std::string> shape_error() const override {
    if (value_.is_object()) return std::nullopt;
    return std::string("the record is a JSON ") + value_.type_name() + ", not an object";
  }
  [[nodiscard]] const char* format() const override { return "json"; }

 private:
  const json& value_;
  LazyLines* lines_;
  std::string pointer_;
};

struct TooDeep {};

Result<json> parse_limited(const std::string& text, int max_depth) {
  try {
    json::parser_callback_t cb = [max_depth](int depth, json::parse_event_t, json&) {
      if (depth > max_depth) throw TooDeep{};
      return true;
    };
    return json::parse(text, cb);
  } catch (const TooDeep&) {
    return make_error("too_deep", "nested deeper than the limit of " + std::to_string(max_depth));
  } catch (const json::parse_error& e) {
    std::string msg = e.what();
    auto pos = msg.find("] ");
    if (pos != std::string::npos) msg = msg.substr(pos + 2);
    return make_error("malformed_json", msg, "byte " + std::to_string(e.byte > 0 ? e.byte - 1 : 0));
  }
}

}  // namespace

std::optional<FileFailure> read_json(std::string_view bytes, const std::string& label,
                                     const MappingSpec& spec, const RecordVisitor& visit) {
  auto fail = [&](std::string code, std::string message, size_t offset, size_t line = 0) {
    return FileFailure{label, std::move(code), std::move(message), offset, line};
  };
  std::string encoding = spec.encoding == "auto" ? "utf-8" : spec.encoding;
  auto utf8 = to_utf8(bytes, encoding);
  if (!utf8.ok()) {
    std::string off = utf8.error().where.substr(5);
    size_t at = off.empty() ? 0 : std::stoul(off);
    return fail("wrong_encoding", utf8.error().message, at, text::line_col(bytes, at).line);
  }
  const std::string& text = *utf8;
  auto parsed = parse_limited(text, spec.limits.max_depth);
  if (!parsed.ok()) {
    size_t at = 0;
    if (parsed.error().where.rfind("byte ", 0) == 0) at = std::stoul(parsed.error().where.substr(5));
    auto lc = text::line_col(text, at);
    size_t orig = original_offset(text, at, encoding);
    std::string msg = parsed.error().code == "too_deep"
                          ? parsed.error().message
                          : "not well-formed JSON: " + parsed.error().message + " (byte " + std::to_string(orig) +
                                ", line " + std::to_string(lc.line) + ", column " + std::to_string(lc.column) + ")";
    return fail(parsed.error().code, msg, orig, parsed.error().code == "too_deep" ? 0 : lc.line);
  }
  const json& doc = *parsed;

  for (const auto& [ptr, expected] : spec.envelope) {
    json::json_pointer p(ptr);
    std::string actual = doc.contains(p) ? (doc.at(p).is_string() ? doc.at(p).get<std::string>() : doc.at(p).dump())
                                         : "(absent)";
    if (actual != expected)
      return fail("envelope_mismatch", "envelope " + ptr + " is '" + actual + "', expected '" + expected +
                                           "': the source reported an error, no record taken",
                  0);
  }

  // Records in document order; line numbers found only when needed.
  int record_depth = 1;
  for (const auto& rs : spec.records)
    record_depth = std::max(record_depth, static_cast<int>(std::count(rs.path.begin(), rs.path.end(), '/')) + 1);
  LazyLines lines(&text, record_depth);
  size_t index = 0;
  size_t found_paths = 0;
  for (size_t s = 0; s < spec.records.size(); ++s) {
    const auto& rs = spec.records[s];
    if (!doc.contains(rs.pointer)) continue;
    ++found_paths;
    const json& at = doc.at(rs.pointer);
    auto visit_one = [&](const json& rec, const std::string& ptr) {
      SourceLocation loc{label, index++, 0, ptr.empty() ? "/" : ptr};
      JsonRecordView view(rec, &lines, ptr);
      visit(s, view, loc);
    };
    if (at.is_array()) {
      for (size_t i = 0; i < at.size(); ++i) visit_one(at[i], rs.path + "/" + std::to_string(i));
    } else {
      visit_one(at, rs.path);
    }
  }
  if (found_paths == 0) {
    std::string paths;
    for (const auto& rs : spec.records) paths += (paths.empty() ? "" : ", ") + (rs.path.empty() ? std::string("\"\"") : rs.path);
    return fail("no_records_path", "none of the record paths (" + paths + ") exists in this document", 0);
  }
  return std::nullopt;
}

}  // namespace cg::mapping
