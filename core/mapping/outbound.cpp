#include "mapping/outbound.hpp"

#include <cstdio>
#include <filesystem>

#include "common/json_check.hpp"
#include "mapping/encoding.hpp"

namespace cg::mapping {

using nlohmann::json;

Result<OutboundSpec> load_outbound(const std::string& path) {
  auto doc = JsoncDocument::load_file(path);
  if (!doc.ok()) return doc.error();
  JsonChecker c(*doc);
  const auto& j = doc->value();
  OutboundSpec s;
  s.file = path;
  if (!c.keys(j, "", {"name", "revision", "department", "description", "output", "fields"}, "an outbound mapping"))
    return c.problems.front();
  if (auto v = c.str(j, "name", "", true)) s.name = *v;
  if (auto v = c.str(j, "department", "", true)) s.department = *v;
  if (auto v = c.integer(j, "revision", "", 1, 1000000)) s.revision = static_cast<int>(*v);
  if (j.contains("output") &&
      c.keys(j["output"], "/output", {"format", "encoding", "root", "record", "file_prefix"}, "output")) {
    const auto& o = j["output"];
    if (auto v = c.str(o, "format", "/output", false)) {
      if (*v != "xml" && *v != "json") c.problem("/output/format", "format must be xml or json");
      s.format = *v;
    }
    if (auto v = c.str(o, "encoding", "/output", false)) {
      if (normalise_encoding(*v).empty()) c.problem("/output/encoding", "unsupported encoding '" + *v + "'");
      s.encoding = *v;
    }
    if (auto v = c.str(o, "root", "/output", false)) s.root = *v;
    if (auto v = c.str(o, "record", "/output", false)) s.record = *v;
    if (auto v = c.str(o, "file_prefix", "/output", false)) s.file_prefix = *v;
  }
  if (!j.contains("fields") || !j["fields"].is_object()) {
    c.problem("", "missing 'fields': output name -> canonical path");
  } else {
    for (const auto& [name, f] : j["fields"].items()) {
      std::string ptr = pointer_append("/fields", name);
      OutboundField of;
      of.name = name;
      std::string from;
      if (f.is_string()) {
        from = f.get<std::string>();
      } else if (c.keys(f, ptr, {"from", "const", "map", "description"}, "an output field")) {
        if (auto v = c.str(f, "from", ptr, false)) from = *v;
        if (auto v = c.str(f, "const", ptr, false)) of.constant = *v;
        if (f.contains("map") && f["map"].is_object())
          for (const auto& [k, v] : f["map"].items())
            if (v.is_string()) of.map[k] = v.get<std::string>();
      }
      size_t start = 0;
      while (!from.empty()) {
        size_t bar = from.find('|', start);
        of.paths.push_back(from.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
        if (bar == std::string::npos) break;
        start = bar + 1;
      }
      s.fields.push_back(std::move(of));
    }
  }
  if (!c.problems.empty()) return c.problems.front();
  return s;
}

namespace {

std::string lookup(const json& record, const json& event, const std::string& path) {
  const json* cur = &record;
  std::string p = path;
  if (p.rfind("event.", 0) == 0) {
    cur = &event;
    p = p.substr(6);
  }
  size_t start = 0;
  while (true) {
    size_t dot = p.find('.', start);
    std::string part = p.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!cur->is_object() || !cur->contains(part)) return {};
    cur = &(*cur)[part];
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (cur->is_string()) return cur->get<std::string>();
  if (cur->is_array()) {
    std::string out;
    for (const auto& e : *cur) {
      if (!out.empty()) out += ';';
      out += e.is_string() ? e.get<std::string>() : e.dump();
    }
    return out;
  }
  return cur->is_null() ? std::string() : cur->dump();
}

std::string xml_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

}  // namespace

Result<Rendered> render(const OutboundSpec& s, const json& record, const json& event, int64_t feedback_id) {
  std::vector<std::pair<std::string, std::string>> values;
  for (const auto& f : s.fields) {
    std::string v = f.constant;
    for (const auto& p : f.paths) {
      v = lookup(record, event, p);
      if (!v.empty()) break;
    }
    if (auto it = f.map.find(v); it != f.map.end()) v = it->second;
    values.emplace_back(f.name, v);
  }
  char seq[32];
  std::snprintf(seq, sizeof seq, "%09lld", static_cast<long long>(feedback_id));
  Rendered out;
  out.file_name = s.file_prefix + "-" + seq + "." + s.format;
  std::string text;
  if (s.format == "json") {
    json o = json::object();
    for (const auto& [k, v] : values) o[k] = v;
    text = o.dump();
  } else {
    text = "<?xml version=\"1.0\" encoding=\"" + s.encoding + "\"?>\n<" + s.root + ">\n  <" + s.record + ">";
    for (const auto& [k, v] : values) text += "<" + k + ">" + xml_escape(v) + "</" + k + ">";
    text += "</" + s.record + ">\n</" + s.root + ">\n";
  }
  std::string enc = normalise_encoding(s.encoding);
  if (enc == "utf-8") {
    out.data = std::move(text);
    return out;
  }
  // UTF-8 -> the department's encoding: reuse the decoder in reverse through iconv.
  auto encoded = from_utf8(text, s.encoding);
  if (!encoded.ok()) return encoded.error();
  out.data = std::move(encoded.value());
  return out;
}

Rendered render_default(const json& record, const json& event, int64_t feedback_id) {
  char seq[32];
  std::snprintf(seq, sizeof seq, "%09lld", static_cast<long long>(feedback_id));
  return Rendered{json{{"event", event}, {"record", record}}.dump(), std::string("feedback-") + seq + ".json"};
}

std::map<std::string, OutboundSpec> load_outbound_dir(const std::string& dir, std::vector<Error>& problems) {
  std::map<std::string, OutboundSpec> out;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       it != std::filesystem::recursive_directory_iterator(); ++it) {
    std::string name = it->path().filename().string();
    if (!it->is_regular_file() || name.size() < 9 || name.substr(name.size() - 9) != ".out.json") continue;
    auto s = load_outbound(it->path().string());
    if (!s.ok()) {
      problems.push_back(s.error());
      continue;
    }
    out[s->department] = *s;
  }
  return out;
}

}  // namespace cg::mapping
