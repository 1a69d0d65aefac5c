// A plugin's options checked against the ones it declares, with the shipped
// plugins' own tables.
#include "plugin_host/plugin_options.hpp"

#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "../test_support.hpp"
#include "plugin_host/plugin_library.hpp"

using cg::plugin_host::check_plugin_options;
using cg::plugin_host::PluginLibrary;
using nlohmann::json;

namespace {

std::string built_plugin(const std::string& file) {
  return std::string(CG_BINARY_DIR) + "/plugins/" + file;
}

const char* const kOldDoc = R"({"inbox": "folder watched", "settle_ms": "wait, default 500", "feed": "mapping"})";

TEST(PluginOptions, AnOptionOfTheWrongTypeOrOutOfBoundsIsRefusedNamingIt) {
  auto lib = PluginLibrary::load(built_plugin("libcg_adapter_court.so"));
  ASSERT_TRUE(lib.ok()) << lib.error().to_string();
  const char* doc = lib->adapter().config_doc;
  const std::string where = "adapters.court-file-drop";
  EXPECT_TRUE(check_plugin_options(json{{"inbox", "/in"}, {"settle_ms", 100}}, doc, "court-file-drop", where).ok());
  auto s = check_plugin_options(json{{"inbox", "/in"}, {"settle_ms", "100"}}, doc, "court-file-drop", where);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "plugin_config");
  EXPECT_EQ(s.error().message, "plugin court-file-drop: option 'settle_ms' must be an integer");
  EXPECT_EQ(s.error().where, "adapters.court-file-drop.settle_ms");
  auto missing = check_plugin_options(json{{"feed", "court.sxbzxr"}}, doc, "court-file-drop", where);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "plugin court-file-drop: option 'inbox' is required");
  auto negative = check_plugin_options(json{{"inbox", "/in"}, {"part_bytes", 0}}, doc, "court-file-drop", where);
  ASSERT_FALSE(negative.ok());
  EXPECT_NE(negative.error().message.find("'part_bytes' must be between 1 and"), std::string::npos);
}

TEST(PluginOptions, AMisspeltOptionIsRefusedWithTheNearestOne) {
  auto lib = PluginLibrary::load(built_plugin("libcg_adapter_tax.so"));
  ASSERT_TRUE(lib.ok()) << lib.error().to_string();
  auto s = check_plugin_options(json{{"url", "http://t/{page}"}, {"page_sise", 10}}, lib->adapter().config_doc,
                                "tax-api-poll", "adapters.tax-api-poll");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "plugin tax-api-poll: unknown option 'page_sise'; did you mean 'page_size'?");
  EXPECT_EQ(s.error().where, "adapters.tax-api-poll.page_sise");
}

TEST(PluginOptions, TheConnectorsOptionsAreCheckedTheSameWay) {
  auto lib = PluginLibrary::load(built_plugin("libcg_connector_platform_v1.so"));
  ASSERT_TRUE(lib.ok()) << lib.error().to_string();
  const json ok{{"base_url", "http://127.0.0.1:1"}, {"app_id", "a"}, {"secret", std::string(32, 's')}};
  const char* doc = lib->connector().config_doc;
  EXPECT_TRUE(check_plugin_options(ok, doc, "platform-v1", "destinations.provincial").ok());
  json slow = ok;
  slow["connect_timeout_ms"] = 0;
  auto s = check_plugin_options(slow, doc, "platform-v1", "destinations.provincial");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().where, "destinations.provincial.connect_timeout_ms");
  // The error names the option, never the value: a secret is not echoed.
  json secret_as_number = ok;
  secret_as_number["secret"] = 12345678;
  auto t = check_plugin_options(secret_as_number, doc, "platform-v1", "destinations.provincial");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().message.find("12345678"), std::string::npos);
}

TEST(PluginOptions, EveryShippedPluginDeclaresATypeForEachOption) {
  for (const char* file : {"libcg_adapter_court.so", "libcg_adapter_tax.so", "libcg_adapter_market_regulation.so",
                           "libcg_adapter_procurement.so", "libcg_connector_platform_v1.so"}) {
    auto lib = PluginLibrary::load(built_plugin(file));
    ASSERT_TRUE(lib.ok()) << lib.error().to_string();
    const char* doc =
        lib->kind() == PluginLibrary::Kind::Adapter ? lib->adapter().config_doc : lib->connector().config_doc;
    const json d = json::parse(doc);
    ASSERT_FALSE(d.empty()) << file;
    for (const auto& [key, entry] : d.items()) {
      ASSERT_TRUE(entry.is_object()) << file << " " << key;
      const std::string type = entry.value("type", "");
      EXPECT_TRUE(type == "text" || type == "integer" || type == "boolean") << file << " " << key << ": " << type;
      EXPECT_FALSE(entry.value("doc", "").empty()) << file << " " << key;
    }
  }
}

TEST(PluginOptions, TheMarkdownTableSaysTypeBoundsAndDefaultInTheOrderDeclared) {
  const char* doc = R"({"inbox": {"type": "text", "required": true, "doc": "folder"},
    "done": {"type": "text", "default_from": "<inbox>/../done", "doc": "moved here"},
    "ca_file": {"type": "text", "default": "", "doc": "CAs"},
    "settle_ms": {"type": "integer", "default": 500, "min": 0, "max": 9000, "doc": "wait"},
    "size": {"type": "integer", "default": 4, "min": 1, "doc": "parts"},
    "tls": {"type": "boolean", "default": true, "doc": "verify"}, "old": "older form"})";
  EXPECT_EQ(cg::plugin_host::options_markdown(doc),
            "| option | type | default | meaning |\n|---|---|---|---|\n"
            "| `inbox` | text | required | folder |\n"
            "| `done` | text | `<inbox>/../done` | moved here |\n"
            "| `ca_file` | text | none | CAs |\n"
            "| `settle_ms` | integer, 0 to 9000 | `500` | wait |\n"
            "| `size` | integer, at least 1 | `4` | parts |\n"
            "| `tls` | boolean | `true` | verify |\n"
            "| `old` | | | older form |\n");
}

// The first table of an adapter's README that starts "| option |".
std::string documented_table(const std::string& readme) {
  std::istringstream in(cg::test::read_file(cg::test::source_dir() + "/" + readme));
  std::string line, table;
  while (std::getline(in, line)) {
    if (table.empty() && line.rfind("| option |", 0) != 0) continue;
    if (line.rfind("|", 0) != 0) break;
    table += line + "\n";
  }
  return table;
}

TEST(PluginOptions, EachShippedAdaptersReadmeShowsItsOwnTable) {
  for (const auto& [file, readme] : std::map<std::string, std::string>{
           {"libcg_adapter_court.so", "adapters/court/README.md"},
           {"libcg_adapter_tax.so", "adapters/tax/README.md"},
           {"libcg_adapter_market_regulation.so", "adapters/market_regulation/README.md"},
           {"libcg_adapter_procurement.so", "adapters/procurement/README.md"}}) {
    auto lib = PluginLibrary::load(built_plugin(file));
    ASSERT_TRUE(lib.ok()) << lib.error().to_string();
    EXPECT_EQ(documented_table(readme), cg::plugin_host::options_markdown(lib->adapter().config_doc))
        << readme << " differs from " << file << "'s options: `credit-gateway plugin info --markdown " << file
        << "` prints them";
  }
}

TEST(PluginOptions, TheOlderDocFormHasItsKeysChecked) {
  EXPECT_TRUE(check_plugin_options(json{{"inbox", 5}}, kOldDoc, "old", "adapters.old").ok());
  auto far = check_plugin_options(json{{"colour", "blue"}}, kOldDoc, "old", "adapters.old");
  ASSERT_FALSE(far.ok());
  EXPECT_NE(far.error().message.find("its options are: inbox settle_ms feed"), std::string::npos)
      << far.error().message;
}

TEST(PluginOptions, APluginThatDeclaresNothingIsNotChecked) {
  EXPECT_TRUE(check_plugin_options(json{{"anything", 1}}, "{}", "test-crashy", "adapters.test-crashy").ok());
  EXPECT_TRUE(check_plugin_options(json{{"anything", 1}}, nullptr, "test-crashy", "adapters.test-crashy").ok());
  EXPECT_TRUE(check_plugin_options(json{{"anything", 1}}, "not json", "test-crashy", "adapters.test-crashy").ok());
}

TEST(PluginOptions, APluginThatDeclaresItsOptionsWronglyIsRefused) {
  auto s = check_plugin_options(json::object(), R"({"inbox": {"type": "folder"}})", "odd", "adapters.odd");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message, "plugin odd declares its options wrongly: option 'inbox' has an unknown type 'folder'");
}

}  // namespace
