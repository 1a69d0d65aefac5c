// Every expectation of tests/fixtures/feeds/expected-1.json (the project's own
// copy of the shared sample expectations) holds for the shipped mappings.
#include <gtest/gtest.h>

#include <map>

#include "mapping/mapper.hpp"
#include "test_support.hpp"

using nlohmann::json;

namespace {

struct Mapped {
  std::map<std::string, json> records;  // by record_id
  std::vector<cg::QuarantineEntry> quarantined;
};

void map_into(const std::string& mapping, const std::vector<std::string>& inputs, Mapped& out) {
  auto loaded = cg::mapping::load_mapping(cg::test::mapping_file(mapping), cg::test::code_tables());
  ASSERT_TRUE(loaded.spec) << mapping;
  cg::mapping::Mapper mapper(loaded.spec);
  for (const auto& in : inputs) {
    auto o = mapper.map_file(cg::test::fixture("feeds/" + in));
    ASSERT_FALSE(o.failure) << in << ": " << o.failure->message;
    for (const auto& r : o.records) out.records[r.record_id] = cg::to_json(r);
    for (auto& q : o.quarantined) out.quarantined.push_back(std::move(q));
  }
}

const json* at_path(const json& j, const std::string& dotted) {
  const json* cur = &j;
  size_t start = 0;
  while (true) {
    size_t dot = dotted.find('.', start);
    std::string part = dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!cur->is_object() || !cur->contains(part)) return nullptr;
    cur = &(*cur)[part];
    if (dot == std::string::npos) return cur;
    start = dot + 1;
  }
}

class ExpectedFeeds : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    mapped_ = new Mapped;
    map_into("court/sxbzxr.json", {"court/sxbzxr-1.xml"}, *mapped_);
    map_into("tax/zdsswf.json", {"tax/page-1.json", "tax/page-2.json", "tax/page-3.json"}, *mapped_);
    map_into("market_regulation/sgs.json", {"market_regulation/sgs-1.xml"}, *mapped_);
    map_into("procurement/cgsx.json", {"procurement/cgsx-1.json"}, *mapped_);
    expected_ = new json(json::parse(cg::test::read_file(cg::test::fixture("feeds/expected-1.json"))));
  }
  static void TearDownTestSuite() {
    delete mapped_;
    delete expected_;
  }
  static Mapped* mapped_;
  static json* expected_;
};
Mapped* ExpectedFeeds::mapped_ = nullptr;
json* ExpectedFeeds::expected_ = nullptr;

}  // namespace

TEST_F(ExpectedFeeds, EveryValidRecordHasTheExpectedCanonicalValues) {
  size_t checked = 0;
  for (const auto& e : *expected_) {
    if (!e["ok"].get<bool>()) continue;
    std::string id = e["record_id"];
    auto it = mapped_->records.find(id);
    ASSERT_NE(it, mapped_->records.end()) << "missing record " << e["key"];
    EXPECT_EQ(it->second["source"]["source_key"], e["key"]);
    for (const auto& [path, want] : e["canonical"].items()) {
      const json* got = at_path(it->second, path);
      if (want.is_null()) {
        EXPECT_EQ(got, nullptr) << e["key"] << " " << path << " should be absent";
      } else {
        ASSERT_NE(got, nullptr) << e["key"] << " " << path;
        EXPECT_EQ(*got, want) << e["key"] << " " << path;
      }
    }
    ++checked;
  }
  EXPECT_EQ(checked, 46u);
  EXPECT_EQ(mapped_->records.size(), 46u);
}

TEST_F(ExpectedFeeds, EveryBrokenRecordIsQuarantinedOnTheExpectedField) {
  size_t checked = 0;
  for (const auto& e : *expected_) {
    if (e["ok"].get<bool>()) continue;
    EXPECT_EQ(mapped_->records.count(e["record_id"]), 0u) << e["key"];
    const cg::QuarantineEntry* found = nullptr;
    for (const auto& q : mapped_->quarantined)
      if (q.raw.find(e["hint"].get<std::string>()) != std::string::npos) found = &q;
    ASSERT_NE(found, nullptr) << "not quarantined: " << e["hint"];
    EXPECT_EQ(found->field, e["field"]) << e["hint"];
    EXPECT_FALSE(found->rule.empty());
    EXPECT_FALSE(found->location.file.empty());
    EXPECT_GT(found->location.line, 0u) << e["hint"];
    EXPECT_NE(found->mapping.find('@'), std::string::npos);
    ++checked;
  }
  EXPECT_EQ(checked, 6u);
  EXPECT_EQ(mapped_->quarantined.size(), 6u);
}
