// A plugin's options declared once, as Fluent Bit's config maps are: each
// option's key, type, default (or that the config must set it), bounds and
// meaning. The table is the descriptor's config_doc (what `plugin info`
// prints and what the host checks a config against before create()), and it
// reads the config with its defaults, so that a default lives in one place.
//
//   const cg::sdk::Options kOptions{
//       cg::sdk::Option::required_text("inbox", "folder watched for files"),
//       cg::sdk::Option::integer("settle_ms", 500, "a file must be unchanged this long").between(0, 3600000),
//       cg::sdk::Option::text("feed", "my_department.my_feed", "mapping name"),
//   };
//   const std::string kConfigDoc = kOptions.doc();  // CG_DEFINE_ADAPTER(..., kConfigDoc.c_str())
//
//   MyAdapter(const std::string& config_json, const cg::sdk::Host& host) : Adapter(host) {
//     const auto c = kOptions.read(config_json);  // throws, naming the option, on a bad config
//     inbox_ = c.text("inbox");
//     settle_ms_ = c.integer("settle_ms");
//   }
//
// config_doc is a JSON object: {"key": {"type": "text"|"integer"|"boolean",
// "default": value | "default_from": "how the plugin derives it" |
// "required": true, "min": n, "max": n, "doc": "meaning"}}. The host also
// takes the older form {"key": "meaning"}, whose keys it checks but not
// their values.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "credit_gateway/support/nearest.hpp"
#include "credit_gateway/support/result.hpp"

namespace cg::sdk {

class Option {
 public:
  enum class Type { Text, Integer, Boolean, Any };

  static Option text(std::string key, std::string fallback, std::string doc) {
    Option o(std::move(key), Type::Text, std::move(doc));
    o.default_ = std::move(fallback);
    return o;
  }
  static Option integer(std::string key, int64_t fallback, std::string doc) {
    Option o(std::move(key), Type::Integer, std::move(doc));
    o.default_ = fallback;
    return o;
  }
  static Option boolean(std::string key, bool fallback, std::string doc) {
    Option o(std::move(key), Type::Boolean, std::move(doc));
    o.default_ = fallback;
    return o;
  }
  // No default: a config without it is refused.
  static Option required_text(std::string key, std::string doc) {
    Option o(std::move(key), Type::Text, std::move(doc));
    o.required_ = true;
    return o;
  }
  // No fixed default: when the config leaves it out the plugin derives one
  // from other options or its state folder (described by `derived`), or
  // does without it ("" for `derived`).
  static Option optional_text(std::string key, std::string derived, std::string doc) {
    Option o(std::move(key), Type::Text, std::move(doc));
    o.derived_ = std::move(derived);
    return o;
  }
  // An option of the older config_doc form, whose values are not checked.
  static Option any(std::string key, std::string doc) { return Option(std::move(key), Type::Any, std::move(doc)); }

  Option between(int64_t lo, int64_t hi) && {
    min_ = lo;
    max_ = hi;
    return std::move(*this);
  }

  [[nodiscard]] const std::string& key() const { return key_; }
  [[nodiscard]] Type type() const { return type_; }
  [[nodiscard]] const nlohmann::json& fallback() const { return default_; }

  [[nodiscard]] static const char* type_name(Type t) {
    switch (t) {
      case Type::Text:
        return "text";
      case Type::Integer:
        return "integer";
      case Type::Boolean:
        return "boolean";
      case Type::Any:
        break;
    }
    return "any";
  }

  [[nodiscard]] nlohmann::json describe() const {
    if (type_ == Type::Any) return doc_;
    nlohmann::json d{{"type", type_name(type_)}};
    if (required_) d["required"] = true;
    if (!default_.is_null()) d["default"] = default_;
    if (!derived_.empty()) d["default_from"] = derived_;
    if (min_ != std::numeric_limits<int64_t>::min()) d["min"] = min_;
    if (max_ != std::numeric_limits<int64_t>::max()) d["max"] = max_;
    d["doc"] = doc_;
    return d;
  }

  // The option an entry of a config_doc describes.
  static Result<Option> from_description(const std::string& key, const nlohmann::json& d) {
    if (d.is_string()) return any(key, d.get<std::string>());
    if (!d.is_object() || !d.contains("type") || !d["type"].is_string())
      return make_error("config_doc", "option '" + key + "' has no type", key);
    const std::string t = d["type"].get<std::string>();
    Option o(key, Type::Any, d.value("doc", ""));
    if (t == "text")
      o.type_ = Type::Text;
    else if (t == "integer")
      o.type_ = Type::Integer;
    else if (t == "boolean")
      o.type_ = Type::Boolean;
    else
      return make_error("config_doc", "option '" + key + "' has an unknown type '" + t + "'", key);
    o.required_ = d.value("required", false);
    if (d.contains("default")) o.default_ = d["default"];
    o.derived_ = d.value("default_from", "");
    if (d.contains("min") && d["min"].is_number_integer()) o.min_ = d["min"].get<int64_t>();
    if (d.contains("max") && d["max"].is_number_integer()) o.max_ = d["max"].get<int64_t>();
    return o;
  }

  // Whether a value set in a config is one this option takes.
  [[nodiscard]] Status check(const nlohmann::json& v) const {
    switch (type_) {
      case Type::Any:
        return {};
      case Type::Text:
        if (v.is_string()) return {};
        return wrong("must be text");
      case Type::Boolean:
        if (v.is_boolean()) return {};
        return wrong("must be true or false");
      case Type::Integer:
        break;
    }
    if (!v.is_number_integer() ||
        (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())))
      return wrong("must be an integer");
    const int64_t n = v.get<int64_t>();
    if (n < min_ || n > max_) {
      std::string range = min_ == std::numeric_limits<int64_t>::min() ? "at most " + std::to_string(max_)
                          : max_ == std::numeric_limits<int64_t>::max()
                              ? "at least " + std::to_string(min_)
                              : "between " + std::to_string(min_) + " and " + std::to_string(max_);
      return wrong("must be " + range + ", not " + std::to_string(n));
    }
    return {};
  }

  [[nodiscard]] bool required() const { return required_; }

 private:
  Option(std::string key, Type type, std::string doc) : key_(std::move(key)), type_(type), doc_(std::move(doc)) {}
  [[nodiscard]] Error wrong(const std::string& what) const {
    return make_error("plugin_config", "option '" + key_ + "' " + what, key_);
  }

  std::string key_;
  Type type_;
  std::string doc_;
  nlohmann::json default_;
  std::string derived_;
  bool required_ = false;
  int64_t min_ = std::numeric_limits<int64_t>::min();
  int64_t max_ = std::numeric_limits<int64_t>::max();
};

// A config read through its options: every declared option that has a
// default answers, set or not.
class OptionValues {
 public:
  explicit OptionValues(nlohmann::json merged) : merged_(std::move(merged)) {}

  // Set in the config or defaulted.
  [[nodiscard]] bool has(const std::string& key) const { return merged_.contains(key); }
  [[nodiscard]] std::string text(const std::string& key) const { return at(key).get<std::string>(); }
  [[nodiscard]] int64_t integer(const std::string& key) const { return at(key).get<int64_t>(); }
  [[nodiscard]] bool boolean(const std::string& key) const { return at(key).get<bool>(); }
  // Text the plugin derives a default for when it is not set.
  [[nodiscard]] std::string text_or(const std::string& key, const std::string& derived) const {
    return has(key) ? text(key) : derived;
  }

 private:
  [[nodiscard]] const nlohmann::json& at(const std::string& key) const {
    auto it = merged_.find(key);
    if (it == merged_.end()) throw std::out_of_range("option '" + key + "' is neither set nor defaulted");
    return *it;
  }
  nlohmann::json merged_;
};

class Options {
 public:
  Options(std::initializer_list<Option> options) : options_(options) {}
  explicit Options(std::vector<Option> options) : options_(std::move(options)) {}

  // The options of another table (the HTTP server's limits, say) added.
  Options& add(const std::vector<Option>& more) {
    options_.insert(options_.end(), more.begin(), more.end());
    return *this;
  }
  [[nodiscard]] const std::vector<Option>& all() const { return options_; }

  // The descriptor's config_doc, the options in the order declared.
  [[nodiscard]] std::string doc() const {
    nlohmann::ordered_json d = nlohmann::ordered_json::object();
    for (const auto& o : options_) d[o.key()] = o.describe();
    return d.dump();
  }

  // The options a config_doc describes; an empty or unreadable one gives none.
  static Result<Options> from_doc(const char* config_doc) {
    const auto d = nlohmann::ordered_json::parse(config_doc ? config_doc : "{}", nullptr, false);
    std::vector<Option> out;
    if (!d.is_object()) return Options(std::move(out));
    for (const auto& [key, entry] : d.items()) {
      auto o = Option::from_description(key, nlohmann::json(entry));
      if (!o.ok()) return o.error();
      out.push_back(std::move(o.value()));
    }
    return Options(std::move(out));
  }

  // The config checked (an unknown key with the nearest declared one, a
  // wrong type, a value out of bounds, a required option missing; the
  // error's `where` is the key) and read with the defaults. A table with no
  // options checks nothing.
  [[nodiscard]] Result<OptionValues> check(const nlohmann::json& config) const {
    if (!config.is_object()) return make_error("plugin_config", "the options are not a JSON object");
    nlohmann::json merged = config;
    if (options_.empty()) return OptionValues(std::move(merged));
    std::vector<std::string> keys;
    for (const auto& o : options_) keys.push_back(o.key());
    for (const auto& [key, value] : config.items()) {
      const Option* o = find(key);
      if (!o) return unknown(key, keys);
      if (auto s = o->check(value); !s) return s.error();
    }
    for (const auto& o : options_) {
      if (config.contains(o.key())) continue;
      if (o.required()) return make_error("plugin_config", "option '" + o.key() + "' is required", o.key());
      if (!o.fallback().is_null()) merged[o.key()] = o.fallback();
    }
    return OptionValues(std::move(merged));
  }

  // check() for a plugin's constructor: a bad config throws
  // std::invalid_argument, which the glue returns as create()'s error.
  [[nodiscard]] OptionValues read(const std::string& config_json) const {
    const auto j = nlohmann::json::parse(config_json, nullptr, false);
    auto v = check(j);
    if (!v.ok()) throw std::invalid_argument(v.error().message);
    return std::move(v.value());
  }

 private:
  [[nodiscard]] const Option* find(const std::string& key) const {
    for (const auto& o : options_)
      if (o.key() == key) return &o;
    return nullptr;
  }
  static Error unknown(const std::string& key, const std::vector<std::string>& keys) {
    std::string msg = "unknown option '" + key + "'";
    if (const std::string near = nearest_name(key, keys); !near.empty()) {
      msg += "; did you mean '" + near + "'?";
    } else {
      msg += "; its options are:";
      for (const auto& k : keys) msg += " " + k;
    }
    return make_error("plugin_config", msg, key);
  }

  std::vector<Option> options_;
};

}  // namespace cg::sdk
