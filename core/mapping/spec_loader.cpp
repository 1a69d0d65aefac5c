// Loads and checks a mapping file: every problem names the file and line.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <pugixml.hpp>
#include <regex>

#include "common/json_check.hpp"
#include "common/text.hpp"
#include "mapping/spec.hpp"
#include "mapping/transform_names.hpp"
#include "mapping/transforms.hpp"
#include "record/record.hpp"

namespace cg::mapping {

namespace {

using Json = nlohmann::ordered_json;

// An XML name without a colon (a namespace prefix or a local name).
bool is_ncname(const std::string& s) {
  static const std::regex kName("^[A-Za-z_][A-Za-z0-9_.-]*$");
  return std::regex_match(s, kName);
}

// The namespace prefixes an XPath uses ("hb" of "/hb:FEED/@hb:id"), not
// counting axes ("child::") or what stands in string literals.
std::vector<std::string> xpath_prefixes(const std::string& xpath) {
  std::vector<std::string> out;
  char quote = 0;
  for (size_t i = 0; i < xpath.size(); ++i) {
    const char c = xpath[i];
    if (quote) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '"' || c == '\'') {
      quote = c;
      continue;
    }
    if (c != ':' || (i + 1 < xpath.size() && xpath[i + 1] == ':') || (i > 0 && xpath[i - 1] == ':')) continue;
    size_t start = i;
    while (start > 0 && (std::isalnum(static_cast<unsigned char>(xpath[start - 1])) || xpath[start - 1] == '_' ||
                         xpath[start - 1] == '-' || xpath[start - 1] == '.'))
      --start;
    if (start < i) out.push_back(xpath.substr(start, i - start));
  }
  return out;
}

// "/FEED" of "/FEED/REC": an absolute path of plain steps, less its last step.
std::optional<std::string> parent_path(const std::string& path) {
  static const std::regex kPlain("^(/[A-Za-z_][A-Za-z0-9_.:-]*)+$");
  if (!std::regex_match(path, kPlain)) return std::nullopt;
  const size_t last = path.rfind('/');
  if (last == 0) return std::nullopt;
  return path.substr(0, last);
}

class Loader {
 public:
  Loader(const JsoncDocument& doc, std::string table_dir) : doc_(doc), table_dir_(std::move(table_dir)) {}

  std::vector<Error> problems;

  void problem(const std::string& ptr, const std::string& msg, const std::string& code = "mapping") {
    problems.push_back(make_error(code, msg, doc_.where(ptr)));
  }

  // Reports unknown keys with the nearest valid one.
  bool keys(const Json& j, const std::string& ptr, const std::vector<std::string>& allowed, const char* what) {
    JsonChecker c(doc_);
    bool ok = c.keys(j, ptr, allowed, what);
    for (auto& p : c.problems)
      problems.push_back(make_error(p.code == "config" ? "mapping" : p.code, p.message, p.where));
    return ok;
  }

  // Every prefix a path uses is declared in input.namespaces: names are
  // matched by namespace URI, never by the prefix a document happens to use.
  void check_prefixes(const std::string& xpath, const std::string& ptr) {
    for (const auto& prefix : xpath_prefixes(xpath))
      if (!spec_->namespaces.count(prefix))
        problem(ptr, "prefix '" + prefix + "' in '" + xpath +
                         "' is not declared in input.namespaces (\"namespaces\": {\"" + prefix +
                         "\": \"<namespace URI>\"})");
  }

  std::optional<std::string> str(const Json& j, const std::string& key, const std::string& ptr, bool required) {
    JsonChecker c(doc_);
    auto v = c.str(j, key, ptr, required);
    for (auto& p : c.problems) problems.push_back(make_error("mapping", p.message, p.where));
    return v;
  }

  std::optional<SourcePath> source_path(const Json& j, const std::string& ptr) {
    if (!j.is_string() || j.get<std::string>().empty()) {
      problem(ptr, "a source path must be a non-empty string");
      return std::nullopt;
    }
    SourcePath sp;
    sp.text = j.get<std::string>();
    if (spec_->format == Format::Xml) {
      static const std::regex kSimple("^@?([A-Za-z_][A-Za-z0-9_.-]*:)?[A-Za-z_][A-Za-z0-9_.-]*$");
      if (std::regex_match(sp.text, kSimple)) sp.child = sp.text;  // no XPath engine needed
      check_prefixes(sp.text, ptr);
      if (!sp.child.empty() && sp.child[0] != '@') sp.slot = spec_->slots.add(sp.child);
      try {
        sp.xpath = std::make_shared<pugi::xpath_query>(sp.text.c_str());
      } catch (const pugi::xpath_exception& e) {
        problem(ptr, "'" + sp.text + "' is not a valid XPath: " + e.what());
        return std::nullopt;
      }
    } else {
      std::string p = sp.text[0] == '/' ? sp.text : "/" + sp.text;
      try {
        static_cast<void>(nlohmann::json::json_pointer(p));  // throws for a malformed pointer
        sp.pointer_text = p;
        // One member, no escapes: found by the record's one pass over its members.
        if (p.size() > 1 && p.find_first_of("/~", 1) == std::string::npos) sp.slot = spec_->slots.add(p.substr(1));
      } catch (const nlohmann::json::exception& e) {
        problem(ptr, "'" + sp.text + "' is not a valid JSON pointer");
        return std::nullopt;
      }
    }
    return sp;
  }

  std::vector<std::string> string_list(const Json& j, const std::string& ptr, const char* what) {
    std::vector<std::string> out;
    if (j.is_string()) {
      out.push_back(j.get<std::string>());
    } else if (j.is_array()) {
      for (size_t i = 0; i < j.size(); ++i) {
        if (!j[i].is_string())
          problem(ptr + "/" + std::to_string(i), std::string(what) + " must be strings");
        else
          out.push_back(j[i].get<std::string>());
      }
    } else {
      problem(ptr, std::string(what) + " must be a string or a list of strings");
    }
    return out;
  }

  std::optional<Condition> condition(const Json& j, const std::string& ptr) {
    static const std::vector<std::string> kKeys{"from",    "field", "equals", "in",  "matches", "looks_like",
                                                "present", "empty", "all",    "any", "not"};
    if (!keys(j, ptr, kKeys, "condition")) return std::nullopt;
    Condition c;
    for (const char* combo : {"all", "any"}) {
      if (j.contains(combo)) {
        c.op = std::string(combo) == "all" ? Condition::Op::All : Condition::Op::Any;
        const auto& arr = j.at(combo);
        if (!arr.is_array() || arr.empty()) {
          problem(pointer_append(ptr, combo), std::string("'") + combo + "' takes a non-empty list of conditions");
          return std::nullopt;
        }
        for (size_t i = 0; i < arr.size(); ++i) {
          auto child = condition(arr[i], pointer_append(ptr, combo) + "/" + std::to_string(i));
          if (child) c.children.push_back(std::move(*child));
        }
        return c;
      }
    }
    if (j.contains("not")) {
      c.op = Condition::Op::Not;
      auto child = condition(j.at("not"), pointer_append(ptr, "not"));
      if (!child) return std::nullopt;
      c.children.push_back(std::move(*child));
      return c;
    }
    if (j.contains("from")) {
      c.from = source_path(j.at("from"), pointer_append(ptr, "from"));
      if (!c.from) return std::nullopt;
    } else if (j.contains("field")) {
      auto f = str(j, "field", ptr, true);
      if (!f) return std::nullopt;
      auto at = std::find(defined_.begin(), defined_.end(), *f);
      if (at == defined_.end()) {
        problem(pointer_append(ptr, "field"),
                "condition refers to field '" + *f + "', which is not mapped before this point");
        return std::nullopt;
      }
      c.field = *f;
      c.field_index = static_cast<int>(at - defined_.begin());
    } else {
      problem(ptr, "a condition needs 'from' (a source path) or 'field' (a canonical field mapped earlier)");
      return std::nullopt;
    }
    int ops = 0;
    if (j.contains("equals")) {
      ++ops;
      c.op = Condition::Op::Equals;
      c.values = string_list(j.at("equals"), pointer_append(ptr, "equals"), "'equals'");
    }
    if (j.contains("in")) {
      ++ops;
      c.op = Condition::Op::In;
      c.values = string_list(j.at("in"), pointer_append(ptr, "in"), "'in'");
    }
    if (j.contains("matches")) {
      ++ops;
      c.op = Condition::Op::Matches;
      auto p = str(j, "matches", ptr, true);
      if (p) {
        c.pattern = *p;
        try {
          c.regex = std::make_shared<std::regex>(*p, std::regex::ECMAScript);
        } catch (const std::regex_error& e) {
          problem(pointer_append(ptr, "matches"), "invalid regular expression: " + std::string(e.what()));
        }
      }
    }
    if (j.contains("looks_like")) {
      ++ops;
      c.op = Condition::Op::LooksLike;
      auto v = str(j, "looks_like", ptr, true);
      if (v && *v != "resident_id" && *v != "uscc")
        problem(pointer_append(ptr, "looks_like"), "looks_like must be 'resident_id' or 'uscc'");
      if (v) c.looks_like = *v;
    }
    for (const char* flag : {"present", "empty"}) {
      if (j.contains(flag)) {
        ++ops;
        c.op = std::string(flag) == "present" ? Condition::Op::Present : Condition::Op::Empty;
        if (!j.at(flag).is_boolean() || !j.at(flag).get<bool>())
          problem(pointer_append(ptr, flag), std::string("'") + flag + "' takes true");
      }
    }
    if (ops != 1) {
      problem(ptr, "a condition needs exactly one test: equals, in, matches, looks_like, present or empty");
      return std::nullopt;
    }
    return c;
  }

  std::optional<Transform> transform(const Json& j, const std::string& ptr, FieldType type) {
    Transform t;
    if (j.is_string()) {
      std::string n = j.get<std::string>();
      const auto named = std::find_if(kNamedTransforms.begin(), kNamedTransforms.end(),
                                      [&](const NamedTransform& k) { return k.name == n; });
      if (named == kNamedTransforms.end()) {
        std::vector<std::string> names;
        for (const auto& k : kNamedTransforms) names.emplace_back(k.name);
        std::string hint = nearest_key(n, names);
        problem(ptr, "unknown transform '" + n + "'" + (hint.empty() ? "" : "; did you mean '" + hint + "'?"),
                "unknown_key");
        return std::nullopt;
      }
      t.op = named->op;
      if (t.op == Transform::Op::Date) t.open_ended = default_open_ended();
      return t;
    }
    static const std::vector<std::string> kKeys = [] {
      std::vector<std::string> k(kTransformObjects.begin(), kTransformObjects.end());
      k.insert(k.end(), kTransformOptions.begin(), kTransformOptions.end());
      return k;
    }();
    if (!keys(j, ptr, kKeys, "transform")) return std::nullopt;
    if (j.contains("date")) {
      t.op = Transform::Op::Date;
      const auto& d = j.at("date");
      if (!(d.is_string() && d.get<std::string>() == "auto")) {
        t.date_formats = string_list(d, pointer_append(ptr, "date"), "date formats");
        for (const auto& f : t.date_formats)
          if (!date_format_valid(f))
            problem(pointer_append(ptr, "date"),
                    "date format '" + f + "' needs YYYY, M or MM, and D or DD (for example 'YYYY年M月D日')");
      }
      t.open_ended = default_open_ended();
      if (j.contains("open_ended")) {
        t.open_ended.clear();
        for (const auto& v : string_list(j.at("open_ended"), pointer_append(ptr, "open_ended"), "open_ended")) {
          auto norm = parse_date(v, {});
          if (!norm.ok() || !norm->has_value())
            problem(pointer_append(ptr, "open_ended"), "open_ended value '" + v + "' is not a date");
          else
            t.open_ended.push_back(**norm);
        }
      }
      if (type != FieldType::Date && type != FieldType::String) problem(ptr, "a date transform fits only a date field");
    } else if (j.contains("money")) {
      t.op = Transform::Op::Money;
      auto unit = str(j, "money", ptr, true);
      if (unit) {
        t.money_unit = *unit;
        if (*unit == "fen")
          t.money_scale = 1;
        else if (*unit == "yuan")
          t.money_scale = 100;
        else if (*unit == "wan_yuan")
          t.money_scale = 1000000;
        else
          problem(pointer_append(ptr, "money"), "money unit must be 'fen', 'yuan' or 'wan_yuan' (万元)");
      }
      if (type != FieldType::Fen) problem(ptr, "a money transform fits only a *_fen field");
    } else if (j.contains("code_table")) {
      t.op = Transform::Op::CodeTable;
      auto name = str(j, "code_table", ptr, true);
      if (name) {
        t.table = *name;
        if (!spec_->code_tables.count(*name) && !load_shared_table(*name))
          problem(pointer_append(ptr, "code_table"),
                  "code table '" + *name + "' is neither in this mapping's code_tables nor in " +
                      (table_dir_.empty() ? std::string("a shared code-table folder") : table_dir_));
        else if (auto it = spec_->code_tables.find(*name); it != spec_->code_tables.end())
          t.code_table = it->second;
      }
      if (j.contains("split")) {
        t.split = string_list(j.at("split"), pointer_append(ptr, "split"), "split");
        if (type != FieldType::StringList)
          problem(pointer_append(ptr, "split"), "'split' makes a list; this field holds one value");
      }
    } else if (j.contains("replace")) {
      t.op = Transform::Op::Replace;
      auto p = str(j, "replace", ptr, true);
      auto w = str(j, "with", ptr, false);
      t.replacement = w.value_or("");
      if (p) {
        try {
          t.regex = std::make_shared<std::regex>(*p, std::regex::ECMAScript);
        } catch (const std::regex_error& e) {
          problem(pointer_append(ptr, "replace"), "invalid regular expression: " + std::string(e.what()));
        }
      }
    } else {
      problem(ptr, "a transform object needs one of: date, money, code_table, replace");
      return std::nullopt;
    }
    if (t.op != Transform::Op::CodeTable && j.contains("split"))
      problem(pointer_append(ptr, "split"), "'split' goes with 'code_table'");
    if (t.op != Transform::Op::Date && j.contains("open_ended"))
      problem(pointer_append(ptr, "open_ended"), "'open_ended' goes with 'date'");
    if (t.op != Transform::Op::Replace && j.contains("with"))
      problem(pointer_append(ptr, "with"), "'with' goes with 'replace'");
    return t;
  }

  bool load_shared_table(const std::string& name) {
    if (table_dir_.empty() || name.find('/') != std::string::npos || name.find("..") != std::string::npos) return false;
    std::string path = table_dir_ + "/" + name + ".json";
    if (!std::filesystem::exists(path)) return false;
    auto doc = JsoncDocument::load_file(path);
    if (!doc.ok()) {
      problems.push_back(doc.error());
      return true;  // reported
    }
    code_table(doc->value(), "", name, &*doc);
    return true;
  }

  void code_table(const Json& j, const std::string& ptr, const std::string& name,
                  const JsoncDocument* other = nullptr) {
    CodeTable t;
    auto report = [&](const std::string& p, const std::string& m) {
      if (other)
        problems.push_back(make_error("mapping", m, other->where(p)));
      else
        problem(p, m);
    };
    if (!j.is_object()) {
      report(ptr, "a code table must be an object with 'map'");
      return;
    }
    for (const auto& [k, _] : j.items())
      if (k != "map" && k != "default" && k != "description") {
        std::string hint = nearest_key(k, {"map", "default", "description"});
        report(pointer_append(ptr, k),
               "unknown key '" + k + "' in code table" + (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
      }
    if (!j.contains("map") || !j.at("map").is_object()) {
      report(ptr, "code table '" + name + "' needs a 'map' object of source code -> canonical value");
    } else {
      for (const auto& [k, v] : j.at("map").items()) {
        if (!v.is_string())
          report(pointer_append(pointer_append(ptr, "map"), k), "code table values must be strings");
        else
          t.entries[k] = v.get<std::string>();
      }
    }
    if (j.contains("default")) {
      if (!j.at("default").is_string())
        report(pointer_append(ptr, "default"), "'default' must be a string");
      else
        t.fallback = j.at("default").get<std::string>();
    }
    spec_->code_tables[name] = std::make_shared<const CodeTable>(std::move(t));
  }

  std::optional<ValueSpec> value_spec(const Json& j, const std::string& ptr, FieldType type) {
    ValueSpec v;
    if (j.is_string()) {  // shorthand: a source path
      v.from = source_path(j, ptr);
      if (!v.from) return std::nullopt;
      return v;
    }
    static const std::vector<std::string> kKeys{"from", "const",     "concat", "separator", "when",
                                                "else", "transform", "if",     "default",   "description"};
    if (!keys(j, ptr, kKeys, "field mapping")) return std::nullopt;
    int sources = 0;
    if (j.contains("from")) {
      ++sources;
      v.kind = ValueSpec::Kind::From;
      v.from = source_path(j.at("from"), pointer_append(ptr, "from"));
    }
    if (j.contains("const")) {
      ++sources;
      v.kind = ValueSpec::Kind::Const;
      const auto& c = j.at("const");
      if (c.is_string())
        v.constant = c.get<std::string>();
      else if (c.is_number_integer())
        v.constant = c.dump();
      else
        problem(pointer_append(ptr, "const"), "'const' must be a string or an integer");
    }
    if (j.contains("concat")) {
      ++sources;
      v.kind = ValueSpec::Kind::Concat;
      const auto& parts = j.at("concat");
      if (!parts.is_array() || parts.empty()) {
        problem(pointer_append(ptr, "concat"), "'concat' takes a non-empty list");
      } else {
        for (size_t i = 0; i < parts.size(); ++i) {
          auto p = value_spec(parts[i], pointer_append(ptr, "concat") + "/" + std::to_string(i), FieldType::String);
          if (p) v.parts.push_back(std::move(*p));
        }
      }
      if (auto s = str(j, "separator", ptr, false)) v.separator = *s;
    } else if (j.contains("separator")) {
      problem(pointer_append(ptr, "separator"), "'separator' goes with 'concat'");
    }
    if (j.contains("when")) {
      ++sources;
      v.kind = ValueSpec::Kind::When;
      const auto& cases = j.at("when");
      std::string cptr = pointer_append(ptr, "when");
      if (!cases.is_array() || cases.empty()) {
        problem(cptr, "'when' takes a non-empty list of {\"if\": ..., \"then\": ...}");
      } else {
        for (size_t i = 0; i < cases.size(); ++i) {
          std::string p = cptr + "/" + std::to_string(i);
          if (!keys(cases[i], p, {"if", "then"}, "'when' case")) continue;
          if (!cases[i].contains("if") || !cases[i].contains("then")) {
            problem(p, "each 'when' case needs 'if' and 'then'");
            continue;
          }
          auto cond = condition(cases[i].at("if"), pointer_append(p, "if"));
          auto then = value_spec(cases[i].at("then"), pointer_append(p, "then"), type);
          if (cond && then) v.cases.push_back({std::move(*cond), std::move(*then)});
        }
      }
      if (j.contains("else")) {
        auto e = value_spec(j.at("else"), pointer_append(ptr, "else"), type);
        if (e) v.otherwise.push_back(std::move(*e));
      }
    } else if (j.contains("else")) {
      problem(pointer_append(ptr, "else"), "'else' goes with 'when'");
    }
    if (sources != 1) {
      problem(ptr, "a field mapping needs exactly one of: from, const, concat, when");
      return std::nullopt;
    }
    if (j.contains("if")) {
      v.only_if = condition(j.at("if"), pointer_append(ptr, "if"));
    }
    if (j.contains("default")) {
      const auto& d = j.at("default");
      if (d.is_string())
        v.default_value = d.get<std::string>();
      else if (d.is_number_integer())
        v.default_value = d.dump();
      else
        problem(pointer_append(ptr, "default"), "'default' must be a string or an integer");
    }
    if (j.contains("transform")) {
      const auto& tr = j.at("transform");
      std::string tptr = pointer_append(ptr, "transform");
      Json list = tr.is_array() ? tr : Json::array({tr});
      for (size_t i = 0; i < list.size(); ++i) {
        auto t = transform(list[i], tr.is_array() ? tptr + "/" + std::to_string(i) : tptr, type);
        if (t) v.transforms.push_back(std::move(*t));
      }
    }
    return v;
  }

  static bool has_op(const ValueSpec& v, Transform::Op op) {
    for (const auto& t : v.transforms)
      if (t.op == op) return true;
    for (const auto& [_, c] : v.cases)
      if (has_op(c, op)) return true;
    for (const auto& o : v.otherwise)
      if (has_op(o, op)) return true;
    return false;
  }

  void record_spec(const Json& j, const std::string& ptr) {
    static const std::vector<std::string> kKeys{"path", "kind", "key", "fields", "description"};
    if (!keys(j, ptr, kKeys, "record")) return;
    RecordSpec r;
    auto path = str(j, "path", ptr, true);
    if (path) {
      r.path = *path;
      if (spec_->format == Format::Xml) {
        try {
          r.xpath = std::make_shared<pugi::xpath_query>(path->c_str());
          if (r.xpath->return_type() != pugi::xpath_type_node_set)
            problem(pointer_append(ptr, "path"), "record path '" + *path + "' must select elements");
          check_prefixes(*path, pointer_append(ptr, "path"));
          if (auto parent = parent_path(*path)) r.container = std::make_shared<pugi::xpath_query>(parent->c_str());
        } catch (const pugi::xpath_exception& e) {
          problem(pointer_append(ptr, "path"), "'" + *path + "' is not a valid XPath: " + e.what());
        }
      } else {
        try {
          static_cast<void>(nlohmann::json::json_pointer(*path));  // throws for a malformed pointer
        } catch (const nlohmann::json::exception&) {
          problem(pointer_append(ptr, "path"),
                  "'" + *path + "' is not a JSON pointer (use \"\" for the document, \"/data/rows\" for a member)");
        }
      }
    }
    auto kind = str(j, "kind", ptr, true);
    if (kind) {
      if (!is_known_kind(*kind))
        problem(
            pointer_append(ptr, "kind"), "unknown kind '" + *kind + "'" + [&] {
              std::string h = nearest_key(*kind, {"admin_license", "admin_penalty", "dishonest_debtor",
                                                  "major_tax_violation", "abnormal_operation", "serious_dishonesty",
                                                  "procurement_violation", "red_list", "credit_commitment"});
              return h.empty() ? std::string() : "; did you mean '" + h + "'?";
            }());
      r.kind = *kind;
    }
    defined_.clear();
    if (!j.contains("fields") || !j.at("fields").is_object()) {
      problem(ptr, "missing 'fields': an object of canonical field -> source");
    } else {
      std::string fptr = pointer_append(ptr, "fields");
      for (const auto& [name, fj] : j.at("fields").items()) {
        std::string p = pointer_append(fptr, name);
        auto type = canonical_field_type(name);
        if (!type) {
          std::string hint = nearest_key(name, mappable_fields());
          problem(p,
                  "'" + name + "' is not a canonical field a mapping can set" +
                      (hint.empty() ? "" : "; did you mean '" + hint + "'?"),
                  "unknown_key");
          continue;
        }
        auto v = value_spec(fj, p, *type);
        if (!v) continue;
        if (*type == FieldType::Fen && !has_op(*v, Transform::Op::Money))
          problem(p, "'" + name + "' is money: add a transform {\"money\": \"yuan\"} (or fen, wan_yuan)");
        if (*type == FieldType::StringList && !has_op(*v, Transform::Op::CodeTable))
          problem(p, "'" + name + "' is a list of codes: add a transform {\"code_table\": ..., \"split\": \";\"}");
        r.fields.push_back(FieldMapping{name, *type, std::move(*v), doc_.where(p)});
        defined_.push_back(name);
      }
    }
    if (!j.contains("key")) {
      problem(ptr, "missing 'key': the canonical fields that identify a source record");
    } else if (!j.at("key").is_array() || j.at("key").empty()) {
      problem(pointer_append(ptr, "key"), "'key' must be a non-empty list of canonical fields");
    } else {
      const auto& key = j.at("key");
      for (size_t i = 0; i < key.size(); ++i) {
        std::string p = pointer_append(ptr, "key") + "/" + std::to_string(i);
        KeyPart part;
        const Json* alts = &key[i];
        if (key[i].is_object()) {
          if (!keys(key[i], p, {"field", "first_of", "optional"}, "key part")) continue;
          if (key[i].contains("optional"))
            part.optional = key[i].at("optional").is_boolean() && key[i].at("optional").get<bool>();
          if (key[i].contains("field"))
            alts = &key[i].at("field");
          else if (key[i].contains("first_of"))
            alts = &key[i].at("first_of");
          else {
            problem(p, "a key part object needs 'field' or 'first_of'");
            continue;
          }
        }
        part.alternatives = string_list(*alts, p, "key fields");
        for (const auto& f : part.alternatives) {
          auto at = std::find(defined_.begin(), defined_.end(), f);
          if (at == defined_.end()) problem(p, "key field '" + f + "' is not mapped in this record's 'fields'");
          part.indexes.push_back(static_cast<int>(at - defined_.begin()));
        }
        r.key.push_back(std::move(part));
      }
    }
    spec_->records.push_back(std::move(r));
  }

  std::shared_ptr<MappingSpec> run() {
    spec_ = std::make_shared<MappingSpec>();
    spec_->file = doc_.name();
    const Json& j = doc_.value();
    static const std::vector<std::string> kKeys{"name",        "revision", "department",  "system", "region",
                                                "description", "input",    "code_tables", "records"};
    if (!keys(j, "", kKeys, "the mapping")) return nullptr;

    if (auto n = str(j, "name", "", true)) {
      spec_->name = *n;
      if (n->find('.') == std::string::npos)
        problem("/name", "name should be '<department>.<feed>', for example 'court.sxbzxr'");
    }
    if (j.contains("revision")) {
      if (!j.at("revision").is_number_integer() || j.at("revision").get<int64_t>() < 1)
        problem("/revision", "revision must be an integer >= 1; raise it whenever the mapping changes");
      else
        spec_->revision = j.at("revision").get<int>();
    } else {
      problem("", "missing required key 'revision'");
    }
    if (auto d = str(j, "department", "", true)) {
      spec_->department = *d;
      if (!text::is_lower_identifier(*d))
        problem("/department", "department must be a lower-case identifier such as 'court'");
    }
    if (auto s = str(j, "system", "", false)) spec_->system = *s;
    if (auto r = str(j, "region", "", false)) {
      spec_->region = *r;
      if (r->size() != 6 || r->find_first_not_of("0123456789") != std::string::npos)
        problem("/region", "region must be a 6-digit 行政区划代码");
    }

    if (!j.contains("input")) {
      problem("", "missing required key 'input' ({\"format\": \"xml\" or \"json\", \"encoding\": ...})");
    } else {
      const auto& in = j.at("input");
      if (keys(in, "/input", {"format", "encoding", "envelope", "namespaces", "max_file_bytes", "max_depth"},
               "input")) {
        if (auto f = str(in, "format", "/input", true)) {
          if (*f == "xml")
            spec_->format = Format::Xml;
          else if (*f == "json")
            spec_->format = Format::Json;
          else
            problem("/input/format", "format must be 'xml' or 'json'");
        }
        if (auto e = str(in, "encoding", "/input", false)) {
          std::string lower = text::to_lower_ascii(*e);
          if (lower != "auto" && lower != "utf-8" && lower != "gb18030" && lower != "gbk" && lower != "gb2312")
            problem("/input/encoding", "encoding must be auto, utf-8, gb18030, gbk or gb2312");
          spec_->encoding = lower;
        }
        if (in.contains("envelope")) {
          const auto& env = in.at("envelope");
          if (!env.is_object())
            problem("/input/envelope", "envelope must be an object of JSON pointer -> value");
          else
            for (const auto& [k, v] : env.items()) {
              if (!v.is_string())
                problem(pointer_append("/input/envelope", k), "envelope values must be strings");
              else
                spec_->envelope[k] = v.get<std::string>();
            }
          if (spec_->format != Format::Json) problem("/input/envelope", "envelope checks apply to JSON input only");
        }
        if (in.contains("namespaces")) {
          const auto& ns = in.at("namespaces");
          if (!ns.is_object())
            problem("/input/namespaces", "namespaces must be an object of prefix -> namespace URI");
          else
            for (const auto& [prefix, uri] : ns.items()) {
              const std::string at = pointer_append("/input/namespaces", prefix);
              if (!is_ncname(prefix))
                problem(at, "'" + prefix + "' is not a namespace prefix (a name without ':')");
              else if (text::to_lower_ascii(prefix.substr(0, 3)) == "xml")
                problem(at, "prefixes that start with 'xml' are reserved");
              else if (!uri.is_string() || uri.get<std::string>().empty())
                problem(at, "a namespace URI must be a non-empty string");
              else
                spec_->namespaces[prefix] = uri.get<std::string>();
            }
          if (spec_->format != Format::Xml) problem("/input/namespaces", "namespaces apply to XML input only");
        }
        if (in.contains("max_file_bytes")) {
          if (!in.at("max_file_bytes").is_number_unsigned())
            problem("/input/max_file_bytes", "must be a positive integer");
          else
            spec_->limits.max_file_bytes = in.at("max_file_bytes").get<uint64_t>();
        }
        if (in.contains("max_depth")) {
          if (!in.at("max_depth").is_number_unsigned())
            problem("/input/max_depth", "must be a positive integer");
          else
            spec_->limits.max_depth = in.at("max_depth").get<int>();
        }
      }
    }

    if (j.contains("code_tables")) {
      const auto& ct = j.at("code_tables");
      if (!ct.is_object())
        problem("/code_tables", "code_tables must be an object of name -> table");
      else
        for (const auto& [name, t] : ct.items()) code_table(t, pointer_append("/code_tables", name), name);
    }

    if (!j.contains("records") || !j.at("records").is_array() || j.at("records").empty()) {
      problem("", "missing 'records': a non-empty list of {path, kind, key, fields}");
    } else {
      const auto& recs = j.at("records");
      for (size_t i = 0; i < recs.size(); ++i) record_spec(recs[i], "/records/" + std::to_string(i));
    }
    return spec_;
  }

 private:
  const JsoncDocument& doc_;
  std::string table_dir_;
  std::shared_ptr<MappingSpec> spec_;
  std::vector<std::string> defined_;
};

}  // namespace

LoadResult load_mapping(const std::string& path, const std::string& code_table_dir) {
  auto doc = JsoncDocument::load_file(path);
  if (!doc.ok()) {
    LoadResult out;
    out.problems.push_back(doc.error());
    return out;
  }
  return load_mapping_document(*doc, code_table_dir);
}

LoadResult load_mapping_document(const JsoncDocument& doc, const std::string& code_table_dir) {
  LoadResult out;
  std::string dir = code_table_dir;
  Loader loader(doc, dir);
  auto spec = loader.run();
  out.problems = std::move(loader.problems);
  if (out.problems.empty() && spec) out.spec = std::move(spec);
  return out;
}

}  // namespace cg::mapping
