// JSON feeds: UTF-8 (or a declared GB18030), depth-limited parsing with
// simdjson, an optional envelope check, then JSON pointers.
#include <simdjson.h>

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "common/json_string.hpp"
#include "common/jsonc.hpp"
#include "common/text.hpp"
#include "mapping/encoding.hpp"
#include "mapping/record_view.hpp"
#include "mapping/slot_finder.hpp"

namespace cg::mapping {

namespace {

using nlohmann::json;

// Line numbers of records, found by one scan of the text on first need.
class LazyLines {
 public:
  explicit LazyLines(std::string_view text, int depth) : text_(text), depth_(depth) {}
  size_t line(const std::string& pointer) {
    if (!offsets_) {
      offsets_ = json_value_offsets(std::string(text_), depth_);
      index_.emplace(text_);
    }
    auto it = offsets_->find(pointer);
    return it == offsets_->end() ? 0 : index_->line(it->second);
  }

 private:
  std::string_view text_;
  int depth_;
  std::optional<std::unordered_map<std::string, size_t>> offsets_;
  std::optional<text::LineIndex> index_;
};

void append_sorted_dump(simdjson::dom::element v, std::string& out);  // below

// A JSON value as the mapping engine reads it: a string as its text, null
// as absent, anything else as nlohmann's compact dump (numbers in their
// shortest exact form, objects with sorted keys), as when the documents were
// parsed with nlohmann.
std::string dump_text(simdjson::dom::element v) {
  using T = simdjson::dom::element_type;
  switch (v.type()) {
    case T::STRING:
      return std::string(v.get_string().value_unsafe());
    case T::BOOL:
      return v.get_bool().value_unsafe() ? "true" : "false";
    case T::NULL_VALUE:
      return "null";
    case T::INT64:
      return std::to_string(v.get_int64().value_unsafe());
    case T::UINT64:
      return std::to_string(v.get_uint64().value_unsafe());
    case T::DOUBLE:
      return json(v.get_double().value_unsafe()).dump();
    case T::ARRAY:
    case T::OBJECT:
      break;
  }
  std::string out;  // rare: a structure mapped as text
  append_sorted_dump(v, out);
  return out;
}

// nlohmann's compact dump of a value (object keys sorted, the last of a
// repeated key kept, as its parser keeps it), written from simdjson's DOM
// without building a tree: the raw text of a quarantined record.
void append_sorted_dump(simdjson::dom::element v, std::string& out) {
  using T = simdjson::dom::element_type;
  switch (v.type()) {
    case T::OBJECT: {
      std::vector<std::pair<std::string_view, simdjson::dom::element>> members;
      simdjson::dom::object object;
      if (v.get_object().get(object)) return;
      for (auto field : object) members.emplace_back(field.key, field.value);
      std::stable_sort(members.begin(), members.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      out += '{';
      bool first = true;
      for (size_t i = 0; i < members.size(); ++i) {
        if (i + 1 < members.size() && members[i + 1].first == members[i].first) continue;
        if (!first) out += ',';
        first = false;
        append_json_string(out, members[i].first);
        out += ':';
        append_sorted_dump(members[i].second, out);
      }
      out += '}';
      return;
    }
    case T::ARRAY: {
      out += '[';
      bool first = true;
      simdjson::dom::array array;
      if (v.get_array().get(array)) return;
      for (auto item : array) {
        if (!first) out += ',';
        first = false;
        append_sorted_dump(item, out);
      }
      out += ']';
      return;
    }
    case T::STRING:
      append_json_string(out, v.get_string().value_unsafe());
      return;
    default:
      out += dump_text(v);
  }
}

const char* type_name(simdjson::dom::element v) {
  using T = simdjson::dom::element_type;
  switch (v.type()) {
    case T::OBJECT:
      return "object";
    case T::ARRAY:
      return "array";
    case T::STRING:
      return "string";
    case T::BOOL:
      return "boolean";
    case T::NULL_VALUE:
      return "null";
    default:
      return "number";
  }
}

class JsonRecordView final : public RecordView {
 public:
  using Slots = std::vector<std::optional<simdjson::dom::element>>;
  // `by_slot` is scratch space the reader lends each record's view in turn.
  // What a record's location is made of, when it is asked for.
  struct Place {
    const std::string& label;
    LazyLines& lines;
    const std::string& records_path;
    size_t index;                // in the document, over all record paths
    std::optional<size_t> item;  // its place in the array at records_path, if in one
  };
  JsonRecordView(simdjson::dom::element value, SlotFinder& slots, Slots& by_slot, size_t slot_count, Place place)
      : value_(value), slots_(slots), by_slot_(by_slot), slot_count_(slot_count), place_(place) {}
  [[nodiscard]] SourceLocation where() const override {
    std::string pointer = place_.item ? place_.records_path + "/" + std::to_string(*place_.item) : place_.records_path;
    size_t line = place_.lines.line(pointer);
    return SourceLocation{place_.label, place_.index, line, pointer.empty() ? "/" : pointer};
  }
  bool get(const SourcePath& path, std::string& out) const override {
    simdjson::dom::object o;
    if (value_.get_object().get(o)) return false;
    simdjson::dom::element v;
    if (path.slot >= 0) {  // a top-level member: the record's members were indexed once
      const auto& found = member(o, static_cast<size_t>(path.slot));
      if (!found) return false;
      v = *found;
    } else if (o.at_pointer(path.pointer_text).get(v)) {
      return false;
    }
    if (v.is_null()) return false;
    if (std::string_view text; !v.get_string().get(text))
      out.assign(text);  // the usual case: no string made on the way
    else
      out = dump_text(v);
    return true;
  }
  // As nlohmann dumps it (sorted keys): quarantined records keep the form they always had.
  [[nodiscard]] std::string raw() const override {
    std::string out;
    append_sorted_dump(value_, out);
    return out;
  }
  [[nodiscard]] std::optional<std::string> shape_error() const override {
    if (value_.is_object()) return std::nullopt;
    return std::string("the record is a JSON ") + type_name(value_) + ", not an object";
  }
  [[nodiscard]] const char* format() const override { return "json"; }

 private:
  // The first member of each slot's name, as a JSON pointer finds it.
  const std::optional<simdjson::dom::element>& member(simdjson::dom::object o, size_t slot) const {
    if (!indexed_) {
      by_slot_.assign(slot_count_, std::nullopt);
      size_t position = 0;
      for (auto field : o) {
        int i = slots_.find(position++, field.key);
        if (i >= 0 && !by_slot_[static_cast<size_t>(i)]) by_slot_[static_cast<size_t>(i)] = field.value;
      }
      indexed_ = true;
    }
    return by_slot_[slot];
  }

  simdjson::dom::element value_;
  SlotFinder& slots_;
  Slots& by_slot_;
  size_t slot_count_;
  mutable bool indexed_ = false;
  Place place_;
};

// simdjson's parser for this thread, kept between documents (its buffers are
// the size of the largest document seen, so a large one's are let go after
// it); a nested use gets a parser of its own.
class ParserLease {
 public:
  ParserLease() : own_(busy_ ? std::make_unique<simdjson::dom::parser>() : nullptr) { busy_ = busy_ || !own_; }
  ~ParserLease() {
    if (own_) return;
    if (shared_.capacity() > kKeepBytes) shared_ = simdjson::dom::parser{};
    busy_ = false;
  }
  ParserLease(const ParserLease&) = delete;
  ParserLease& operator=(const ParserLease&) = delete;
  simdjson::dom::parser& get() { return own_ ? *own_ : shared_; }

 private:
  // simdjson holds about 14 bytes per byte of capacity (tape, structural
  // indexes, strings): up to ~28 MiB kept for documents of up to 2 MiB.
  static constexpr size_t kKeepBytes = 2u << 20;
  static thread_local simdjson::dom::parser shared_;
  static thread_local bool busy_;
  std::unique_ptr<simdjson::dom::parser> own_;
};
thread_local simdjson::dom::parser ParserLease::shared_;
thread_local bool ParserLease::busy_ = false;

struct TooDeep {};

// nlohmann's message without its "[json.exception.parse_error.101] " prefix.
std::string without_id(std::string msg) {
  if (auto pos = msg.find("] "); pos != std::string::npos) msg.erase(0, pos + 2);
  return msg;
}

Result<json> parse_limited(std::string_view text, int max_depth) {
  try {
    json::parser_callback_t cb = [max_depth](int depth, json::parse_event_t, json&) {
      if (depth > max_depth) throw TooDeep{};
      return true;
    };
    return json::parse(text.begin(), text.end(), cb);
  } catch (const TooDeep&) {
    return make_error("too_deep", "nested deeper than the limit of " + std::to_string(max_depth));
  } catch (const json::parse_error& e) {
    // nlohmann quotes the bytes it read last, which may end inside a character.
    return make_error("malformed_json", text::valid_utf8(without_id(e.what())),
                      "byte " + std::to_string(e.byte > 0 ? e.byte - 1 : 0));
  } catch (const json::out_of_range& e) {  // 406: a number beyond a double's range, "... parsing '1e400'"
    std::string msg = without_id(e.what());
    size_t at = 0;
    if (auto open = msg.find('\''), close = msg.rfind('\''); open != std::string::npos && close > open) {
      std::string number = msg.substr(open + 1, close - open - 1);
      at = std::min(text.find(number), text.size());
      msg = "number " + number + " is beyond the range of a double";
    }
    return make_error("malformed_json", text::valid_utf8(msg), "byte " + std::to_string(at));
  } catch (const json::exception& e) {
    return make_error("malformed_json", text::valid_utf8(without_id(e.what())), "byte 0");
  }
}

}  // namespace

std::optional<FileFailure> read_json(std::string_view bytes, const std::string& label, const MappingSpec& spec,
                                     RecordVisitor& visit) {
  auto fail = [&](std::string code, std::string message, size_t offset, size_t line = 0) {
    return FileFailure{label, std::move(code), std::move(message), offset, line};
  };
  std::string encoding = spec.encoding == "auto" ? "utf-8" : spec.encoding;
  std::string converted;
  auto utf8 = as_utf8(bytes, encoding, converted);
  if (!utf8.ok()) {
    std::string off = utf8.error().where.substr(5);
    size_t at = off.empty() ? 0 : std::stoul(off);
    return fail("wrong_encoding", utf8.error().message, at, text::line_col(bytes, at).line);
  }
  const std::string_view text = *utf8;
  // simdjson parses; nlohmann only says where a document is broken (byte,
  // line, column). simdjson counts the document's own level where nlohmann
  // does not: its limit is one more for the same documents.
  ParserLease lease;
  simdjson::dom::parser& parser = lease.get();
  simdjson::dom::element doc;
  const size_t depth = static_cast<size_t>(spec.limits.max_depth) + 1;
  simdjson::error_code error = simdjson::SUCCESS;
  if (parser.max_depth() != depth) error = parser.allocate(std::max(text.size(), parser.capacity()), depth);
  // Copied once into simdjson's padded buffer (grown when needed).
  if (!error) error = parser.parse(text.data(), text.size()).get(doc);
  if (error) {
    auto parsed = parse_limited(text, spec.limits.max_depth);
    if (parsed.ok())  // simdjson alone refused it
      return fail("malformed_json", std::string("not well-formed JSON: ") + simdjson::error_message(error), 0);
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

  for (const auto& [ptr, expected] : spec.envelope) {
    simdjson::dom::element v;
    std::string actual = doc.at_pointer(ptr).get(v) ? "(absent)" : dump_text(v);
    if (actual != expected)
      return fail("envelope_mismatch",
                  "envelope " + ptr + " is '" + actual + "', expected '" + expected +
                      "': the source reported an error, no record taken",
                  0);
  }

  // Records in document order; line numbers found only when needed.
  int record_depth = 1;
  for (const auto& rs : spec.records)
    record_depth = std::max(record_depth, static_cast<int>(std::count(rs.path.begin(), rs.path.end(), '/')) + 1);
  LazyLines lines(text, record_depth);
  JsonRecordView::Slots by_slot;
  SlotFinder slots(spec.slots);
  size_t index = 0;
  size_t found_paths = 0;
  // Every kind's records found first: room for all of them is made at once
  // (a second reservation would move every record of the first kind).
  std::vector<std::optional<simdjson::dom::element>> found(spec.records.size());
  size_t total = 0;
  for (size_t s = 0; s < spec.records.size(); ++s) {
    simdjson::dom::element at;
    if (doc.at_pointer(spec.records[s].path).get(at)) continue;
    found[s] = at;
    simdjson::dom::array list;
    total += at.get_array().get(list) ? 1 : list.size();
  }
  visit.expect(total);
  for (size_t s = 0; s < spec.records.size(); ++s) {
    const auto& rs = spec.records[s];
    if (!found[s]) continue;
    const simdjson::dom::element at = *found[s];
    ++found_paths;
    auto visit_one = [&](simdjson::dom::element rec, std::optional<size_t> item) {
      JsonRecordView view(rec, slots, by_slot, spec.slots.size(), {label, lines, rs.path, index++, item});
      visit.visit(s, view);
    };
    if (simdjson::dom::array list; !at.get_array().get(list)) {
      size_t i = 0;
      for (simdjson::dom::element rec : list) visit_one(rec, i++);
    } else {
      visit_one(at, std::nullopt);
    }
  }
  if (found_paths == 0) {
    std::string paths;
    for (const auto& rs : spec.records)
      paths += (paths.empty() ? "" : ", ") + (rs.path.empty() ? std::string("\"\"") : rs.path);
    return fail("no_records_path", "none of the record paths (" + paths + ") exists in this document", 0);
  }
  return std::nullopt;
}

}  // namespace cg::mapping
