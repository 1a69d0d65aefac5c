// The config maps: each option declared once reads, checks and documents
// itself; docs/configuration.md says what the maps say, and nothing else.
#include "config/config_map.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "../test_support.hpp"
#include "common/jsonc.hpp"

namespace {

using nlohmann::json;

// docs/configuration.md's sections by heading ("Top level", "store", ...):
// their table rows.
std::map<std::string, std::vector<std::string>> documented_rows() {
  std::istringstream in(cg::test::read_file(cg::test::source_dir() + "/docs/configuration.md"));
  std::map<std::string, std::vector<std::string>> out;
  std::string line, section;
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) {
      section = line.substr(3);
      section.erase(std::remove(section.begin(), section.end(), '`'), section.end());
    } else if (line.rfind("### ", 0) == 0) {
      section.clear();  // an adapter's options: its plugin's own table
    } else if (!section.empty() && line.rfind("| `", 0) == 0) {
      out[section].push_back(line);
    }
  }
  return out;
}

std::string heading_of(const std::string& section) {
  if (section.empty()) return "Top level";
  if (section == "destinations.<name>") return "destinations";
  return section;
}

// The keys a row documents: the backticked names in its first column.
std::vector<std::string> keys_of(const std::string& row) {
  std::vector<std::string> keys;
  const std::string first = row.substr(1, row.find('|', 1) - 1);
  for (size_t at = first.find('`'); at != std::string::npos; at = first.find('`', first.find('`', at + 1) + 1)) {
    const size_t end = first.find('`', at + 1);
    if (end == std::string::npos) break;
    keys.push_back(first.substr(at + 1, end - at - 1));
  }
  return keys;
}

}  // namespace

TEST(ConfigMap, EveryOptionIsDocumentedWithItsDefault) {
  const auto docs = documented_rows();
  for (const auto& section : cg::config::describe_config_maps()) {
    const std::string heading = heading_of(section["section"]);
    ASSERT_TRUE(docs.count(heading)) << "docs/configuration.md has no table under '## " << heading << "'";
    const auto& rows = docs.at(heading);
    auto row_of = [&](const std::string& key) -> const std::string* {
      for (const auto& r : rows) {
        const auto keys = keys_of(r);
        if (std::find(keys.begin(), keys.end(), key) != keys.end()) return &r;
      }
      return nullptr;
    };
    for (const auto& o : section["options"]) {
      const std::string key = o["key"];
      const std::string* row = row_of(key);
      ASSERT_NE(row, nullptr) << heading << "." << key << " is not documented";
      const json& d = o["default"];
      std::string said;
      if (d.is_null())
        said = "required";
      else if (d.is_string() && !d.get<std::string>().empty() && d.get<std::string>().find('<') == std::string::npos &&
               d.get<std::string>().find(' ') == std::string::npos)
        said = "`" + d.get<std::string>() + "`";
      else if (d.is_string())
        said = d.get<std::string>();  // derived ("<data_dir>/...", "system CAs") or none
      else
        said = "`" + d.dump() + "`";
      if (!said.empty()) {
        EXPECT_NE(row->find(said), std::string::npos) << heading << "." << key << ": " << *row;
      }
    }
    for (const auto& key : section["other_keys"]) {
      if (heading == "Top level" || key == "description") continue;  // sections have headings; a comment is free
      EXPECT_NE(row_of(key), nullptr) << heading << "." << key.get<std::string>() << " is not documented";
    }
    // And the docs name no option that the map does not have.
    std::set<std::string> known;
    for (const auto& o : section["options"]) known.insert(o["key"].get<std::string>());
    for (const auto& k : section["other_keys"]) known.insert(k.get<std::string>());
    for (const auto& r : rows) {
      for (const auto& key : keys_of(r)) {
        EXPECT_TRUE(known.count(key)) << "docs/configuration.md documents " << heading << "." << key
                                      << ", which the config does not have";
      }
    }
  }
}

TEST(ConfigMap, AValueOutsideItsChoicesOrBoundsIsAProblemNamingThem) {
  auto doc = cg::JsoncDocument::parse("gw.json",
                                      R"({"node_id": "n1", "log_level": "loud", "store": {"synchronous": "sometimes"},
                     "destinations": {"p": {"base_url": "http://x", "app_id": "a", "secret_env": "S",
                                            "concurency": 4, "batch_size": 5000}}})");
  ASSERT_TRUE(doc.ok());
  auto r = cg::config::load_config_document(*doc, "gw.json");
  EXPECT_FALSE(r.config);
  std::string all;
  for (const auto& p : r.problems) all += p.to_string() + "\n";
  EXPECT_NE(all.find("log_level must be one of: debug, info, warn, error"), std::string::npos) << all;
  EXPECT_NE(all.find("synchronous must be one of: full, normal"), std::string::npos) << all;
  EXPECT_NE(all.find("did you mean 'concurrency'"), std::string::npos) << all;
  EXPECT_NE(all.find("'batch_size'"), std::string::npos) << all;
  EXPECT_EQ(r.problems.size(), 4u) << all;
}

TEST(ConfigMap, TheDescriptionGivesEachOptionsTypeDefaultAndBounds) {
  const json maps = cg::config::describe_config_maps();
  const json* batch = nullptr;
  for (const auto& s : maps)
    for (const auto& o : s["options"])
      if (s["section"] == "destinations.<name>" && o["key"] == "batch_size") batch = &o;
  ASSERT_NE(batch, nullptr);
  EXPECT_EQ((*batch)["type"], "integer");
  EXPECT_EQ((*batch)["default"], cg::config::DestinationConfig{}.batch_size);
  EXPECT_EQ((*batch)["min"], 1);
  EXPECT_EQ((*batch)["max"], 1000);
}
