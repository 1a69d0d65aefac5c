// A plugin's options table (credit_gateway/options.hpp): the config checked
// and read with its defaults, and the config_doc that describes it read back
// as the same table on the host's side.
#include <gtest/gtest.h>

#include <credit_gateway/options.hpp>

namespace {

using cg::sdk::Option;
using cg::sdk::Options;
using nlohmann::json;

const Options& table() {
  static const Options o{
      Option::required_text("inbox", "folder watched"),
      Option::optional_text("done", "<inbox>/../done", "where committed files go"),
      Option::text("feed", "court.sxbzxr", "mapping name"),
      Option::integer("settle_ms", 500, "wait before reading").between(0, 3600000),
      Option::integer("offset", -1, "signed, no bounds"),
      Option::boolean("verify_tls", true, "verify certificates"),
  };
  return o;
}

std::string options_refusal(const Options& o, const json& config, std::string* where = nullptr) {
  auto v = o.check(config);
  if (v.ok()) return "accepted";
  if (where) *where = v.error().where;
  return v.error().message;
}

TEST(PluginOptionsTable, ReadsWhatIsSetAndDefaultsTheRest) {
  auto c = table().read(R"({"inbox": "/in", "settle_ms": 0, "verify_tls": false})");
  EXPECT_EQ(c.text("inbox"), "/in");
  EXPECT_EQ(c.integer("settle_ms"), 0);
  EXPECT_FALSE(c.boolean("verify_tls"));
  EXPECT_EQ(c.text("feed"), "court.sxbzxr");
  EXPECT_EQ(c.integer("offset"), -1);
  EXPECT_FALSE(c.has("done"));
  EXPECT_EQ(c.text_or("done", "/in/../done"), "/in/../done");
  auto set = table().read(R"({"inbox": "/in", "done": "/out"})");
  EXPECT_EQ(set.text_or("done", "/in/../done"), "/out");
}

TEST(PluginOptionsTable, RefusesNamingTheOption) {
  std::string where;
  EXPECT_EQ(options_refusal(table(), json::object(), &where), "option 'inbox' is required");
  EXPECT_EQ(where, "inbox");
  EXPECT_EQ(options_refusal(table(), {{"inbox", "/in"}, {"setle_ms", 5}}, &where),
            "unknown option 'setle_ms'; did you mean 'settle_ms'?");
  EXPECT_EQ(where, "setle_ms");
  EXPECT_EQ(options_refusal(table(), {{"inbox", "/in"}, {"colour", "blue"}}),
            "unknown option 'colour'; its options are: inbox done feed settle_ms offset verify_tls");
  EXPECT_EQ(options_refusal(table(), {{"inbox", "/in"}, {"settle_ms", "500"}}, &where),
            "option 'settle_ms' must be an integer");
  EXPECT_EQ(where, "settle_ms");
  EXPECT_EQ(options_refusal(table(), {{"inbox", "/in"}, {"settle_ms", 1.5}}), "option 'settle_ms' must be an integer");
  EXPECT_EQ(options_refusal(table(), {{"inbox", "/in"}, {"settle_ms", -1}}),
            "option 'settle_ms' must be between 0 and 3600000, not -1");
  EXPECT_EQ(options_refusal(table(), {{"inbox", "/in"}, {"offset", 18446744073709551615ULL}}),
            "option 'offset' must be an integer");
  EXPECT_EQ(options_refusal(table(), {{"inbox", 7}}), "option 'inbox' must be text");
  EXPECT_EQ(options_refusal(table(), {{"inbox", "/in"}, {"verify_tls", "yes"}}),
            "option 'verify_tls' must be true or false");
  EXPECT_EQ(options_refusal(table(), json::array()), "the options are not a JSON object");
  EXPECT_THROW((void)table().read("{\"inbox\": 7}"), std::invalid_argument);
  EXPECT_THROW((void)table().read("not json"), std::invalid_argument);
}

TEST(PluginOptionsTable, ItsDocDescribesEveryOption) {
  const json doc = json::parse(table().doc());
  EXPECT_EQ(doc["inbox"], (json{{"type", "text"}, {"required", true}, {"doc", "folder watched"}}));
  EXPECT_EQ(doc["done"]["default_from"], "<inbox>/../done");
  EXPECT_EQ(
      doc["settle_ms"],
      (json{{"type", "integer"}, {"default", 500}, {"min", 0}, {"max", 3600000}, {"doc", "wait before reading"}}));
  EXPECT_EQ(doc["verify_tls"]["default"], true);
  EXPECT_EQ(doc.size(), table().all().size());
}

TEST(PluginOptionsTable, TheHostReadsTheDocBackAsTheSameTable) {
  const std::string doc = table().doc();
  auto host = Options::from_doc(doc.c_str());
  ASSERT_TRUE(host.ok()) << host.error().message;
  for (const json& config : {json{{"inbox", "/in"}}, json::object(), json{{"inbox", "/in"}, {"settle_ms", 4000000}},
                             json{{"inbox", "/in"}, {"setle_ms", 5}}, json{{"inbox", "/in"}, {"verify_tls", 1}},
                             json{{"inbox", "/in"}, {"done", "/d"}, {"offset", -5}, {"feed", "x"}}})
    EXPECT_EQ(options_refusal(*host, config), options_refusal(table(), config)) << config.dump();
  auto read = host->check({{"inbox", "/in"}});
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->integer("settle_ms"), 500);
}

TEST(PluginOptionsTable, TheOlderDocFormChecksKeysOnly) {
  auto old = Options::from_doc(R"({"inbox": "folder watched", "settle_ms": "default 500"})");
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(options_refusal(*old, {{"inbox", 5}, {"settle_ms", "soon"}}), "accepted");
  EXPECT_EQ(options_refusal(*old, {{"inbx", "/in"}}), "unknown option 'inbx'; did you mean 'inbox'?");
  EXPECT_EQ(json::parse(old->doc())["inbox"], "folder watched");
}

TEST(PluginOptionsTable, ADocWithoutOptionsChecksNothingAndABadEntryIsNamed) {
  for (const char* none : {"{}", "not json", "[]"}) {
    auto o = Options::from_doc(none);
    ASSERT_TRUE(o.ok());
    EXPECT_EQ(options_refusal(*o, {{"anything", 1}}), "accepted");
  }
  EXPECT_TRUE(Options::from_doc(nullptr).ok());
  auto bad = Options::from_doc(R"({"inbox": {"type": "path"}})");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "option 'inbox' has an unknown type 'path'");
  auto untyped = Options::from_doc(R"({"inbox": {"doc": "folder"}})");
  ASSERT_FALSE(untyped.ok());
  EXPECT_EQ(untyped.error().where, "inbox");
}

}  // namespace
