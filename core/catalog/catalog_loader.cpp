#include "catalog/catalog_loader.hpp"

#include <algorithm>
#include <functional>
#include <set>

#include "calendar/date.hpp"
#include "common/json_check.hpp"
#include "common/text.hpp"
#include "mapping/canonical_fields.hpp"
#include "record/record.hpp"

namespace cg::catalog {

namespace {

using Json = nlohmann::ordered_json;

class CatalogReader {
 public:
  CatalogReader(const JsoncDocument& doc, const std::vector<std::string>& departments)
      : c_(doc), departments_(departments) {}

  Result<Catalog> load() {
    const Json& j = c_.doc().value();
    if (c_.keys(
            j, "",
            {"catalog_id", "version", "issued_by", "effective_from", "scenarios", "lists", "measures", "description"},
            "the catalog")) {
      header(j);
      scenarios(j);
      lists(j);
      measures(j);
    }
    if (c_.problems.empty()) {
      cat_.text = c_.doc().text();
      return std::move(cat_);
    }
    std::string msg = "the catalog is refused (" + std::to_string(c_.problems.size()) + " problem(s)):";
    for (const auto& p : c_.problems) msg += "\n  " + (p.where.empty() ? "" : p.where + ": ") + p.message;
    return make_error("catalog", msg, c_.doc().name());
  }

 private:
  void required(const Json& j, const std::string& ptr, const char* key) {
    if (j.is_object() && !j.contains(key)) c_.problem(ptr, std::string("'") + key + "' is required");
  }

  void header(const Json& j) {
    for (const char* k : {"catalog_id", "version", "effective_from", "scenarios", "lists", "measures"})
      required(j, "", k);
    if (auto id = c_.str(j, "catalog_id", "", false)) {
      if (id->empty()) c_.problem("/catalog_id", "'catalog_id' must not be empty");
      cat_.catalog_id = *id;
    }
    if (auto v = c_.integer(j, "version", "", 1, 1000000)) cat_.version = *v;
    if (auto by = c_.str(j, "issued_by", "", false)) cat_.issued_by = *by;
    if (auto from = c_.str(j, "effective_from", "", false)) {
      if (auto d = calendar::parse_date(*from); !d.ok())
        c_.problem("/effective_from", d.error().message);
      else
        cat_.effective_from = *from;
    }
  }

  void scenarios(const Json& j) {
    if (!j.contains("scenarios")) return;
    const Json& s = j["scenarios"];
    if (!s.is_object() || s.empty()) return c_.problem("/scenarios", "scenarios must be an object of code -> name");
    for (const auto& [id, name] : s.items()) {
      const std::string ptr = pointer_append("/scenarios", id);
      if (!text::is_lower_identifier(id)) c_.problem(ptr, "a scenario's code must be a lower-case identifier");
      if (!name.is_string() || name.get<std::string>().empty())
        c_.problem(ptr, "a scenario's name must be text");
      else
        cat_.scenarios[id] = name.get<std::string>();
    }
  }

  void lists(const Json& j) {
    if (!j.contains("lists")) return;
    const Json& l = j["lists"];
    if (!l.is_object() || l.empty()) return c_.problem("/lists", "lists must be an object of kind -> list");
    for (const auto& [kind, e] : l.items()) {
      const std::string ptr = pointer_append("/lists", kind);
      if (!is_known_kind(kind)) c_.problem(ptr, "'" + kind + "' is not a canonical kind");
      if (!c_.keys(e, ptr, {"name", "type", "provider", "description"}, "a list")) continue;
      for (const char* k : {"name", "type", "provider"}) required(e, ptr, k);
      ListInfo info;
      if (auto n = c_.str(e, "name", ptr, false)) info.name = *n;
      if (auto t = c_.str(e, "type", ptr, false)) {
        if (*t != "black" && *t != "red" && *t != "watch")
          c_.problem(pointer_append(ptr, "type"), "a list's type is black, red or watch, not '" + *t + "'");
        info.type = *t;
      }
      if (auto p = c_.str(e, "provider", ptr, false)) {
        if (*p != "any") department(*p, pointer_append(ptr, "provider"));
        info.provider = *p;
      }
      cat_.lists[kind] = info;
    }
  }

  void department(const std::string& d, const std::string& ptr) {
    if (departments_.empty() && text::is_lower_identifier(d)) return;
    if (std::find(departments_.begin(), departments_.end(), d) != departments_.end()) return;
    std::string msg = "'" + d + "' is not a department the gateway's config declares (departments)";
    if (const std::string near = nearest_key(d, departments_); !near.empty()) msg += "; did you mean '" + near + "'?";
    c_.problem(ptr, msg);
  }

  // A list of names, each checked by `ok`; problems name the element.
  std::vector<std::string> names(const Json& m, const std::string& ptr, const char* key,
                                 const std::function<void(const std::string&, const std::string&)>& check) {
    std::vector<std::string> out;
    if (!m.contains(key)) return out;
    const std::string at = pointer_append(ptr, key);
    const Json& a = m[key];
    if (!a.is_array() || a.empty()) {
      c_.problem(at, std::string("'") + key + "' must be a list of at least one name");
      return out;
    }
    for (size_t i = 0; i < a.size(); ++i) {
      const std::string el = at + "/" + std::to_string(i);
      if (!a[i].is_string()) {
        c_.problem(el, "must be a name");
        continue;
      }
      const std::string v = a[i].get<std::string>();
      if (std::find(out.begin(), out.end(), v) != out.end()) c_.problem(el, "'" + v + "' is listed twice");
      check(v, el);
      out.push_back(v);
    }
    return out;
  }

  void measures(const Json& j) {
    if (!j.contains("measures")) return;
    const Json& ms = j["measures"];
    if (!ms.is_array() || ms.empty()) return c_.problem("/measures", "measures must be a list of at least one");
    std::set<std::string> ids;
    for (size_t i = 0; i < ms.size(); ++i) {
      const std::string ptr = "/measures/" + std::to_string(i);
      const Json& m = ms[i];
      if (!c_.keys(m, ptr,
                   {"measure_id", "name", "type", "applies_to", "subject_types", "extends_to_legal_representative",
                    "implementing", "scenarios", "basis", "when", "feedback_within_working_days", "description"},
                   "a measure"))
        continue;
      for (const char* k : {"measure_id", "name", "type", "applies_to", "subject_types", "implementing", "scenarios",
                            "basis", "feedback_within_working_days"})
        required(m, ptr, k);
      Measure out;
      if (auto id = c_.str(m, "measure_id", ptr, false)) {
        if (id->empty()) c_.problem(pointer_append(ptr, "measure_id"), "'measure_id' must not be empty");
        if (!ids.insert(*id).second)
          c_.problem(pointer_append(ptr, "measure_id"), "measure_id '" + *id + "' is used twice");
        out.id = *id;
      }
      if (auto n = c_.str(m, "name", ptr, false)) out.name = *n;
      if (auto t = c_.str(m, "type", ptr, false)) {
        if (*t != "punishment" && *t != "incentive")
          c_.problem(pointer_append(ptr, "type"), "a measure's type is punishment or incentive, not '" + *t + "'");
        out.type = *t;
      }
      out.applies_to = names(m, ptr, "applies_to", [&](const std::string& kind, const std::string& at) {
        if (!is_known_kind(kind))
          c_.problem(at, "'" + kind + "' is not a canonical kind");
        else if (j.contains("lists") && j["lists"].is_object() && !j["lists"].contains(kind))
          c_.problem(at, "'" + kind + "' is not among the catalog's lists");
      });
      out.subject_types = names(m, ptr, "subject_types", [&](const std::string& t, const std::string& at) {
        if (!is_known_subject_type(t)) c_.problem(at, "'" + t + "' is not a canonical subject type");
      });
      out.implementing =
          names(m, ptr, "implementing", [&](const std::string& d, const std::string& at) { department(d, at); });
      out.scenarios = names(m, ptr, "scenarios", [&](const std::string& s, const std::string& at) {
        if (cat_.scenarios.count(s)) return;
        std::vector<std::string> known;
        for (const auto& [k, _] : cat_.scenarios) known.push_back(k);
        std::string msg = "'" + s + "' is not one of the catalog's scenarios";
        if (const std::string near = nearest_key(s, known); !near.empty()) msg += "; did you mean '" + near + "'?";
        c_.problem(at, msg);
      });
      if (auto e = c_.boolean(m, "extends_to_legal_representative", ptr)) out.extends_to_legal_representative = *e;
      if (auto b = c_.str(m, "basis", ptr, false)) {
        if (b->empty()) c_.problem(pointer_append(ptr, "basis"), "'basis' must name the measure's legal basis");
        out.basis = *b;
      }
      if (auto d = c_.integer(m, "feedback_within_working_days", ptr, 1, 365))
        out.feedback_within_working_days = static_cast<int>(*d);
      if (m.contains("when")) {
        const Json& w = m["when"];
        if (!w.is_object() || w.empty()) {
          c_.problem(pointer_append(ptr, "when"), "'when' must be an object of canonical field -> value");
        } else {
          for (const auto& [field, value] : w.items()) {
            const auto type = mapping::canonical_field_type(field);
            if (!type || (*type != mapping::FieldType::String && *type != mapping::FieldType::Date))
              c_.problem(pointer_append(pointer_append(ptr, "when"), field),
                         "'" + field + "' is not a canonical text field such as detail.commitment_status");
            else if (!value.is_string())
              c_.problem(pointer_append(pointer_append(ptr, "when"), field), "the value a record must have, as text");
            else
              out.when.emplace_back(field, value.get<std::string>());
          }
        }
      }
      cat_.measures.push_back(std::move(out));
    }
  }

  JsonChecker c_;
  const std::vector<std::string>& departments_;
  Catalog cat_;
};

}  // namespace

Result<Catalog> load_catalog(const std::string& path, const std::vector<std::string>& departments) {
  auto doc = JsoncDocument::load_file(path);
  if (!doc.ok()) return doc.error();
  return load_catalog_document(*doc, departments);
}

Result<Catalog> load_catalog_document(const JsoncDocument& doc, const std::vector<std::string>& departments) {
  return CatalogReader(doc, departments).load();
}

}  // namespace cg::catalog
