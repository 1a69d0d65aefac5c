// The gateway's config options, each declared once: its key, type, bounds,
// allowed values, default and meaning. The loader checks and reads a section
// through its map (unknown keys with the nearest valid one, wrong types,
// values out of range), `check-config --options` prints the maps, and a test
// holds docs/configuration.md to them. Keys whose values are nested objects
// or lists (a destination's `route`, the plugin allowlist) are read by hand
// and named in the map as such.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <variant>
#include <vector>

#include "common/json_check.hpp"
#include "config/config.hpp"

namespace cg::config {

template <class Section>
struct Option {
  const char* key = "";
  std::variant<std::string Section::*, int64_t Section::*, bool Section::*> field;
  const char* doc = "";
  int64_t min = 0, max = 0;               // an integer's bounds
  std::vector<std::string> one_of;        // a text's allowed values (empty: any)
  const char* derived_default = nullptr;  // a default made from other keys ("<data_dir>/gateway.db")
  bool required = false;
};

// A text option: any text, or one of `one_of`.
template <class S>
Option<S> text(const char* key, std::string S::*field, const char* doc, std::vector<std::string> one_of = {}) {
  Option<S> o;
  o.key = key;
  o.field = field;
  o.doc = doc;
  o.one_of = std::move(one_of);
  return o;
}
// A text option whose default is made from other keys, said as `derived`.
template <class S>
Option<S> derived_text(const char* key, std::string S::*field, const char* doc, const char* derived) {
  Option<S> o = text(key, field, doc);
  o.derived_default = derived;
  return o;
}
template <class S>
Option<S> required_text(const char* key, std::string S::*field, const char* doc) {
  Option<S> o = text(key, field, doc);
  o.required = true;
  return o;
}
template <class S>
Option<S> integer(const char* key, int64_t S::*field, const char* doc, int64_t min, int64_t max) {
  Option<S> o;
  o.key = key;
  o.field = field;
  o.doc = doc;
  o.min = min;
  o.max = max;
  return o;
}
template <class S>
Option<S> boolean(const char* key, bool S::*field, const char* doc) {
  Option<S> o;
  o.key = key;
  o.field = field;
  o.doc = doc;
  return o;
}

template <class Section>
struct ConfigMap {
  const char* name;  // the section: "" (top level), "store", "destinations.<name>"
  std::vector<Option<Section>> options;
  std::vector<std::string> other_keys;  // nested objects and lists, read by hand

  [[nodiscard]] std::vector<std::string> keys() const {
    std::vector<std::string> out = other_keys;
    for (const auto& o : options) out.emplace_back(o.key);
    return out;
  }

  // Reads every option present in `j` into `into`; each problem into `c`.
  // False when `j` is not an object.
  bool read(JsonChecker& c, const JsonChecker::Json& j, const std::string& ptr, const char* what, Section& into) const {
    if (!c.keys(j, ptr, keys(), what)) return false;
    for (const auto& o : options) {
      if (const auto* text = std::get_if<std::string Section::*>(&o.field)) {
        auto v = c.str(j, o.key, ptr, o.required);
        if (!v) continue;
        if (!o.one_of.empty() && std::find(o.one_of.begin(), o.one_of.end(), *v) == o.one_of.end()) {
          std::string allowed;
          for (const auto& a : o.one_of) allowed += (allowed.empty() ? "" : ", ") + a;
          c.problem(pointer_append(ptr, o.key), std::string(o.key) + " must be one of: " + allowed);
          continue;
        }
        into.*(*text) = *v;
      } else if (const auto* number = std::get_if<int64_t Section::*>(&o.field)) {
        if (auto v = c.integer(j, o.key, ptr, o.min, o.max)) into.*(*number) = *v;
      } else if (auto v = c.boolean(j, o.key, ptr)) {
        into.*std::get<bool Section::*>(o.field) = *v;
      }
    }
    return true;
  }

  // Each option: {key, type, default, min, max, one_of, doc}, the defaults
  // read from `defaults`.
  [[nodiscard]] nlohmann::json describe(const Section& defaults = Section{}) const {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& o : options) {
      nlohmann::json d = {{"key", o.key}, {"doc", o.doc}};
      if (const auto* text = std::get_if<std::string Section::*>(&o.field)) {
        d["type"] = "text";
        d["default"] = defaults.*(*text);
        if (!o.one_of.empty()) d["one_of"] = o.one_of;
      } else if (const auto* number = std::get_if<int64_t Section::*>(&o.field)) {
        d["type"] = "integer";
        d["default"] = defaults.*(*number);
        d["min"] = o.min;
        d["max"] = o.max;
      } else {
        d["type"] = "boolean";
        d["default"] = defaults.*std::get<bool Section::*>(o.field);
      }
      if (o.derived_default) d["default"] = o.derived_default;
      if (o.required) d["default"] = nullptr;
      d["required"] = o.required;
      out.push_back(std::move(d));
    }
    return out;
  }
};

// The sections' maps.
const ConfigMap<Config>& top_level_map();
const ConfigMap<StoreConfig>& store_map();
const ConfigMap<Config>& mappings_map();
const ConfigMap<PluginsConfig>& plugins_map();
const ConfigMap<Config>& router_map();
const ConfigMap<Config>& ingest_map();
const ConfigMap<Config>& admin_map();
const ConfigMap<Config>& department_api_map();
const ConfigMap<DestinationConfig>& destination_map();

// Every section's options, for check-config --options and the docs' test:
// [{"section": "store", "options": [...], "other_keys": [...]}].
nlohmann::json describe_config_maps();

}  // namespace cg::config
