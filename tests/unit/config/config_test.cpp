// The gateway config: defaults, every problem named with its line and key, unknown keys with what was meant, and no
// secret in the file.
#include "config/config.hpp"

#include <gtest/gtest.h>

#include <string>

#include "common/jsonc.hpp"

namespace {

cg::config::LoadResult load_config(const std::string& text) {
  auto doc = cg::JsoncDocument::parse("gw.json", text);
  EXPECT_TRUE(doc.ok()) << doc.error().message;
  return cg::config::load_config_document(*doc, "/etc/cg/gw.json");
}

std::string all(const std::vector<cg::Error>& problems) {
  std::string s;
  for (const auto& p : problems) s += p.to_string() + "\n";
  return s;
}

TEST(Config, AnEmptyConfigTakesTheDefaults) {
  auto r = load_config(R"({"node_id": "n1"})");
  ASSERT_TRUE(r.config) << all(r.problems);
  EXPECT_EQ(r.config->store.synchronous, "full");
  EXPECT_EQ(r.config->store.checks_synchronous, "full");
  EXPECT_FALSE(r.config->store.wal_gather);
  EXPECT_EQ(r.config->store.cache_mb, 32);
  EXPECT_EQ(r.config->store.path, r.config->data_dir + "/gateway.db");
  EXPECT_EQ(r.config->plugin_copies_dir(), r.config->data_dir + "/run/plugins");
}

TEST(Config, StoreSettingsAreRead) {
  auto r = load_config(R"({"node_id": "n1", "data_dir": "/var/lib/cg",
                    "store": {"wal_gather": true, "cache_mb": 256, "synchronous": "normal",
                              "checks_synchronous": "normal"}})");
  ASSERT_TRUE(r.config) << all(r.problems);
  EXPECT_TRUE(r.config->store.wal_gather);
  EXPECT_EQ(r.config->store.cache_mb, 256);
  EXPECT_EQ(r.config->store.synchronous, "normal");
  EXPECT_EQ(r.config->store.checks_synchronous, "normal");
  EXPECT_EQ(r.config->store.path, "/var/lib/cg/gateway.db");
}

TEST(Config, EveryProblemIsNamedWithItsLineAndKey) {
  auto r =
      load_config("{\n  \"node_id\": \"n1\", \"store\": {\n    \"wal_gather\": \"yes\",\n    \"cache_mb\": 0\n  }\n}");
  EXPECT_FALSE(r.config);
  const std::string p = all(r.problems);
  ASSERT_EQ(r.problems.size(), 2u) << p;
  EXPECT_NE(p.find("gw.json:3: 'wal_gather' must be true or false"), std::string::npos) << p;
  EXPECT_NE(p.find("gw.json:4: 'cache_mb'"), std::string::npos) << p;
}

TEST(Config, AnUnknownKeySaysWhatWasMeant) {
  auto r = load_config(R"({"store": {"wal_gathr": true}})");
  EXPECT_FALSE(r.config);
  const std::string p = all(r.problems);
  EXPECT_NE(p.find("did you mean 'wal_gather'"), std::string::npos) << p;
}

TEST(Config, ASecretInTheFileIsRefused) {
  auto r = load_config(R"({"destinations": {"provincial": {"base_url": "https://p.example/", "app_id": "a",
                                                     "secret": "s3cret"}}})");
  EXPECT_FALSE(r.config);
  const std::string p = all(r.problems);
  EXPECT_NE(p.find("secret_file"), std::string::npos) << p;
  EXPECT_EQ(p.find("s3cret"), std::string::npos) << "the secret itself is never repeated";
}

}  // namespace

namespace {

TEST(Config, DepartmentsBesidesTheFourAreDeclaredByIdAndName) {
  auto r = load_config(R"({"node_id": "n1", "departments": {"finance": "财政局", "approval": "行政审批局"}})");
  ASSERT_TRUE(r.config) << all(r.problems);
  EXPECT_EQ(r.config->department_ids(),
            (std::vector<std::string>{"court", "tax", "market_regulation", "procurement", "approval", "finance"}));
  EXPECT_EQ(r.config->departments.at("finance"), "财政局");
  EXPECT_EQ(load_config(R"({"node_id": "n1"})").config->department_ids().size(), 4u);
  auto bad = load_config("{\"node_id\": \"n1\", \"departments\": {\n \"Finance\": \"财政局\",\n \"approval\": 7}}");
  EXPECT_FALSE(bad.config);
  const std::string p = all(bad.problems);
  EXPECT_NE(p.find("gw.json:2: a department id is a lower-case identifier such as 'finance'"), std::string::npos) << p;
  EXPECT_NE(p.find("gw.json:3: a department's name, as text"), std::string::npos) << p;
}

}  // namespace
