#include "mapping/mapper.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <pugixml.hpp>

#include "common/clock.hpp"
#include "common/mask.hpp"
#include "common/text.hpp"
#include "mapping/field_setter.hpp"
#include "mapping/record_view.hpp"
#include "mapping/transforms.hpp"
#include "record/codes.hpp"

namespace cg::mapping {

namespace {

std::string value_text(const Value& v) {
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  if (auto* n = std::get_if<int64_t>(&v)) return std::to_string(*n);
  if (auto* l = std::get_if<std::vector<std::string>>(&v)) {
    std::string out;
    for (const auto& x : *l) out += (out.empty() ? "" : ",") + x;
    return out;
  }
  return {};
}

bool looks_like(std::string_view raw, const std::string& what) {
  std::string v(raw);  // one copy, normalised in place
  text::trim_in_place(v);
  text::fullwidth_to_ascii_in_place(v);
  text::to_upper_ascii_in_place(v);
  if (what == "resident_id") {
    if (v.size() == 15) return v.find_first_not_of("0123456789") == std::string::npos;
    // An all-digit USCC has a resident ID's shape. One whose USCC check
    // character holds is a company's, unless it is a plausible resident ID
    // as well: its ID check character holds and it has a real birth date
    // (a USCC's digits there are the region's end and the organisation code).
    if (codes::uscc_shape_valid(v) && codes::uscc_check_valid(v) &&
        !(codes::resident_id_check_valid(v) && codes::resident_id_birth_date_valid(v, 99991231)))
      return false;
    return codes::resident_id_shape_valid(v);
  }
  return codes::uscc_shape_valid(v);
}

// Calls `use` with a value's text: a string as it is, anything else as value_text.
template <typename F>
auto with_text(const Value& v, F&& use) {
  if (const auto* s = std::get_if<std::string>(&v)) return use(std::string_view(*s));
  const std::string text = value_text(v);
  return use(std::string_view(text));
}

std::string hex_byte(char c) {
  constexpr const char* kDigits = "0123456789ABCDEF";
  const auto b = static_cast<unsigned char>(c);
  return {kDigits[b >> 4], kDigits[b & 15]};
}

bool has_date_transform(const ValueSpec& v) {
  for (const auto& t : v.transforms)
    if (t.op == Transform::Op::Date) return true;
  return false;
}

// Hands each record to `fn`, with room made for the records announced.
template <typename Fn>
class RecordsVisitor final : public RecordVisitor {
 public:
  RecordsVisitor(std::vector<Record>& records, Fn fn) : records_(records), fn_(std::move(fn)) {}
  void expect(size_t count) override { records_.reserve(records_.size() + count); }
  void visit(size_t record_spec, const RecordView& view) override { fn_(record_spec, view); }

 private:
  std::vector<Record>& records_;
  Fn fn_;
};

}  // namespace

// Maps one source record with one record spec.
class Mapper::RecordBuilder {
 public:
  RecordBuilder(const MappingSpec& spec, const RecordSpec& rs, const RecordView& view)
      : spec_(spec), rs_(rs), view_(view) {}

  // The value of each of the record spec's fields, by its place in
  // `fields` (absent: not mapped, or failed).
  std::vector<Value> values;
  struct FieldError {
    std::string rule;
    std::string field;
    std::string message;
  };
  std::vector<FieldError> errors;

  [[nodiscard]] const Value* at(int index) const {
    if (index < 0 || static_cast<size_t>(index) >= values.size() || is_absent(values[static_cast<size_t>(index)]))
      return nullptr;
    return &values[static_cast<size_t>(index)];
  }

  void run() {
    values.resize(rs_.fields.size());
    for (size_t i = 0; i < rs_.fields.size(); ++i) {
      const auto& f = rs_.fields[i];
      Value& val = values[i];  // built where it is kept
      Status st = eval(f.value, val);
      if (st) st = finalize(f, val);
      if (!st) {
        errors.push_back({st.error().code, f.field, mask_ids_in_text(st.error().message)});
        val = std::monostate{};
      }
    }
  }

 private:
  // The trimmed text at a source path into `out`; absent when missing or blank.
  void source(const SourcePath& p, Value& out) const {
    std::string& text = out.emplace<std::string>();
    if (view_.get(p, text)) {
      text::trim_in_place(text);
      if (!text.empty()) return;
    }
    out = std::monostate{};
  }
  std::optional<std::string> source(const SourcePath& p) const {
    std::string text;
    if (!view_.get(p, text)) return std::nullopt;
    text::trim_in_place(text);
    if (text.empty()) return std::nullopt;
    return text;
  }

  bool test(const Condition& c) const {
    switch (c.op) {
      case Condition::Op::All:
        for (const auto& ch : c.children)
          if (!test(ch)) return false;
        return true;
      case Condition::Op::Any:
        for (const auto& ch : c.children)
          if (test(ch)) return true;
        return false;
      case Condition::Op::Not:
        return !test(c.children.front());
      default:
        break;
    }
    if (c.from) return test_text(c, source(*c.from));
    const Value* have = at(c.field_index);
    if (!have) return test_text(c, std::nullopt);
    return with_text(*have, [&](std::string_view v) { return test_text(c, v); });
  }

  // A leaf condition on a value's text (nullopt: absent).
  static bool test_text(const Condition& c, std::optional<std::string_view> v) {
    switch (c.op) {
      case Condition::Op::Present:
        return v.has_value();
      case Condition::Op::Empty:
        return !v.has_value();
      case Condition::Op::Equals:
      case Condition::Op::In:
        return v && std::find(c.values.begin(), c.values.end(), *v) != c.values.end();
      case Condition::Op::Matches:
        return v && c.regex && std::regex_search(v->begin(), v->end(), *c.regex);
      case Condition::Op::LooksLike:
        return v && looks_like(*v, c.looks_like);
      default:
        return false;
    }
  }

  // Evaluates a value spec into `v` (absent when it yields nothing).
  Status eval(const ValueSpec& s, Value& v) const {
    v = std::monostate{};
    if (s.only_if && !test(*s.only_if)) return {};
    switch (s.kind) {
      case ValueSpec::Kind::From:
        source(*s.from, v);
        if (const auto* t = std::get_if<std::string>(&v))
          if (auto at = text::find_control_character(*t))
            return make_error("invalid_character", "control character U+00" + hex_byte((*t)[*at]) + " at byte " +
                                                       std::to_string(*at) + " of the value");
        break;
      case ValueSpec::Kind::Const:
        v = s.constant;
        break;
      case ValueSpec::Kind::Concat: {
        std::string out;
        bool any = false;
        Value part;
        for (const auto& p : s.parts) {
          if (auto st = eval(p, part); !st) return st;
          if (is_absent(part)) continue;
          if (any) out += s.separator;
          with_text(part, [&](std::string_view t) { out += t; });
          any = true;
        }
        if (any) v = std::move(out);
        break;
      }
      case ValueSpec::Kind::When: {
        bool matched = false;
        for (const auto& [cond, then] : s.cases) {
          if (test(cond)) {
            if (auto st = eval(then, v); !st) return st;
            matched = true;
            break;
          }
        }
        if (!matched && !s.otherwise.empty())
          if (auto st = eval(s.otherwise.front(), v); !st) return st;
        break;
      }
    }
    if (is_absent(v) && s.default_value) v = *s.default_value;
    for (const auto& t : s.transforms)
      if (auto st = apply_transform(t, v, spec_); !st) return st;
    return {};
  }

  // Brings a value to its canonical field's type.
  Status finalize(const FieldMapping& f, Value& v) const {
    if (is_absent(v)) return {};
    switch (f.type) {
      case FieldType::Date:
        if (auto* s = std::get_if<std::string>(&v)) {
          if (has_date_transform(f.value) && codes::iso_date_valid(*s)) return {};
          Transform t;
          t.op = Transform::Op::Date;
          t.open_ended = default_open_ended();
          return apply_transform(t, v, spec_);
        }
        return make_error("invalid_date", "a date field needs text");
      case FieldType::Fen:
        if (std::holds_alternative<int64_t>(v)) return {};
        return make_error("invalid_money", "'" + value_text(v) + "' was not converted to fen");
      case FieldType::StringList:
        if (auto* s = std::get_if<std::string>(&v)) v = std::vector<std::string>{*s};
        return {};
      case FieldType::String:
        if (!std::holds_alternative<std::string>(v)) v = value_text(v);
        return {};
    }
    return {};
  }

  const MappingSpec& spec_;
  const RecordSpec& rs_;
  const RecordView& view_;
};

Mapper::Mapper(std::shared_ptr<const MappingSpec> spec) : spec_(std::move(spec)) {
  setters_.reserve(spec_->records.size());
  for (const auto& rs : spec_->records) {
    auto& list = setters_.emplace_back();
    for (const auto& f : rs.fields) list.push_back(FieldSetter::for_field(f.field).value_or(FieldSetter{}));
  }
}

MapOutcome Mapper::map_bytes(std::string_view bytes, const std::string& label, const MapOptions& opts) const {
  MapOutcome out;
  const std::string received = opts.received_at.empty() ? now_rfc3339_cst() : opts.received_at;
  const MappingSpec& spec = *spec_;
  ValidationOptions validation = opts.validation;  // "today" once per document, not per record
  if (!validation.today_yyyymmdd) {
    std::string d = date_cst(std::chrono::system_clock::now());
    validation.today_yyyymmdd = std::stoi(d.substr(0, 4) + d.substr(5, 2) + d.substr(8, 2));
  }

  const std::string mapping_id = spec.id();
  auto visit = [&](size_t s, const RecordView& view) {
    const RecordSpec& rs = spec.records[s];
    RecordBuilder b(spec, rs, view);
    if (auto shape = view.shape_error())
      b.errors.push_back({"not_a_record", "record", *shape});
    else
      b.run();

    // The key: canonical values of the key fields, joined with '|'.
    std::string key;
    std::vector<RecordBuilder::FieldError> key_errors;
    bool first = true;
    for (const auto& part : rs.key) {
      const Value* v = nullptr;
      for (int alt : part.indexes)
        if ((v = b.at(alt))) break;
      if (!v && part.optional) continue;
      if (!v) {
        bool already = false;
        for (const auto& e : b.errors) already = already || e.field == part.alternatives.front();
        if (!already)
          key_errors.push_back({"key_missing", part.alternatives.front(),
                                part.alternatives.front() + " is part of the record key and is empty"});
      }
      if (!first) key += '|';
      if (v) with_text(*v, [&](std::string_view t) { key += t; });
      first = false;
    }

    // Straight into the canonical record: no intermediate JSON tree.
    // Built where it is kept (a record is large to move); taken back out if quarantined.
    Record& rec = out.records.emplace_back();
    rec.kind = rs.kind;
    std::vector<Violation> violations;
    const auto& setters = setters_[s];
    for (size_t i = 0; i < b.values.size(); ++i)
      if (!setters[i].assign(rec, std::move(b.values[i])))
        violations.push_back(
            {"invalid_type", rs.fields[i].field, rs.fields[i].field + " got a value of the wrong type"});
    if (!rec.region && !spec.region.empty()) rec.region = spec.region;
    rec.version = 1;
    rec.record_id = compute_record_id(spec.department, rs.kind, key);
    rec.updated_at = received;
    rec.source.department = spec.department;
    if (!rec.source.system && !spec.system.empty()) rec.source.system = spec.system;
    rec.source.source_key = std::move(key);
    rec.source.received_at = received;
    rec.source.mapping = mapping_id;

    for (const auto& e : b.errors) violations.push_back({e.rule, e.field, e.message});
    for (const auto& e : key_errors) violations.push_back({e.rule, e.field, e.message});
    for (auto& v : validate_record(rec, validation)) {
      bool dup = false;
      for (const auto& have : violations) dup = dup || have.field == v.field;
      if (!dup) violations.push_back(std::move(v));
    }
    if (violations.empty()) return;
    QuarantineEntry q;
    q.rule = violations.front().rule;
    q.field = violations.front().field;
    q.message = violations.front().message;
    q.violations = std::move(violations);
    q.location = view.where();
    q.raw = view.raw();
    q.raw_format = view.format();
    q.mapping = mapping_id;
    q.department = spec.department;
    q.kind = rs.kind;
    q.record_spec = s;
    q.source_key = rec.source.source_key;
    q.record_id = rec.record_id;
    const bool date_broken = std::any_of(q.violations.begin(), q.violations.end(),
                                         [](const Violation& v) { return v.field == "decision.decided_on"; });
    if (rec.decision.decided_on && !date_broken) q.decided_on = *rec.decision.decided_on;
    out.records.pop_back();
    q.quarantined_at = received;
    out.quarantined.push_back(std::move(q));
  };

  if (bytes.size() > spec.limits.max_file_bytes) {
    out.failure = FileFailure{label, "file_too_large",
                              "file is " + std::to_string(bytes.size()) + " bytes, over the limit of " +
                                  std::to_string(spec.limits.max_file_bytes),
                              0, 0};
    return out;
  }
  RecordsVisitor visitor(out.records, visit);
  // Nothing a department sends may throw past this point: whatever a reader
  // or a rule did not foresee refuses the document, which is kept whole.
  try {
    out.failure =
        spec.format == Format::Xml ? read_xml(bytes, label, spec, visitor) : read_json(bytes, label, spec, visitor);
  } catch (const std::exception& e) {
    out.failure = FileFailure{
        label, "unreadable", "the document could not be mapped: " + mask_ids_in_text(text::valid_utf8(e.what())), 0, 0};
  } catch (...) {
    out.failure = FileFailure{label, "unreadable", "the document could not be mapped", 0, 0};
  }
  if (out.failure) {
    out.records.clear();
    out.quarantined.clear();
    // A message may quote the input (an encoding name, a parser's last bytes):
    // it is written into JSON by the store and the logs, so it is made UTF-8.
    out.failure->message = text::valid_utf8(out.failure->message);
  }
  for (auto& q : out.quarantined) {
    q.message = text::valid_utf8(q.message);
    for (auto& v : q.violations) v.message = text::valid_utf8(v.message);
  }
  return out;
}

MapOutcome Mapper::map_file(const std::string& path, const MapOptions& opts) const {
  MapOutcome out;
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) {
    out.failure = FileFailure{path, "io", "cannot read file: " + ec.message(), 0, 0};
    return out;
  }
  if (size > spec_->limits.max_file_bytes) {
    out.failure = FileFailure{
        path, "file_too_large",
        "file is " + std::to_string(size) + " bytes, over the limit of " + std::to_string(spec_->limits.max_file_bytes),
        0, 0};
    return out;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    out.failure = FileFailure{path, "io", "cannot open file", 0, 0};
    return out;
  }
  std::string bytes(size, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  bytes.resize(static_cast<size_t>(in.gcount()));
  return map_bytes(bytes, path, opts);
}

MapOutcome Mapper::replay(const QuarantineEntry& entry, const MapOptions& opts) const {
  MapOutcome out;
  if (entry.record_spec >= spec_->records.size()) {
    out.failure = FileFailure{entry.location.file, "mapping_mismatch",
                              "the mapping has no record path #" + std::to_string(entry.record_spec), 0, 0};
    return out;
  }
  if ((entry.raw_format == "xml") != (spec_->format == Format::Xml)) {
    out.failure =
        FileFailure{entry.location.file, "mapping_mismatch",
                    "the quarantined record is " + entry.raw_format + " but the mapping reads another format", 0, 0};
    return out;
  }
  // Reuse map_bytes' per-record logic through a one-record spec.
  auto one = std::make_shared<MappingSpec>(*spec_);
  RecordSpec rs = spec_->records[entry.record_spec];
  one->records.clear();
  // Wrap the raw record as a document the reader understands.
  if (spec_->format == Format::Xml) {
    rs.xpath = std::make_shared<pugi::xpath_query>("/*");
    rs.path = "/*";
  } else {
    rs.path = "";
  }
  one->records.push_back(std::move(rs));
  one->envelope.clear();
  one->encoding = "utf-8";  // quarantine keeps raw records in UTF-8
  one->namespaces.clear();  // and its names as the mapping's paths spell them
  Mapper m(one);
  MapOutcome result = m.map_bytes(entry.raw, entry.location.file, opts);
  for (auto& q : result.quarantined) {
    q.location = entry.location;
    q.record_spec = entry.record_spec;
  }
  return result;
}

}  // namespace cg::mapping
