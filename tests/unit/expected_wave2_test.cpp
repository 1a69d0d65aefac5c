// The wave-2 samples (tests/fixtures/wave2, the project's copy of the shared
// sample data) applied in their README's order through the shipped mappings,
// a real store and the platform's change feed: every record of
// expected-2.json has its version-1 fields, its versions' statuses and its
// final state, and every quarantined one its rule and field.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "catalog/catalog_loader.hpp"
#include "checks/run_check.hpp"
#include "mapping/mapper.hpp"
#include "store/store.hpp"
#include "sync/apply_changes.hpp"
#include "test_support.hpp"

using nlohmann::json;

namespace {

constexpr const char* kReceivedAt = "2026-12-01T10:00:00+08:00";

// Every leaf of a canonical record as dotted paths, without the fields the
// gateway sets itself (expected-2.json lists only the mapped ones).
void flatten(const json& j, const std::string& prefix, std::map<std::string, json>& out) {
  for (const auto& [k, v] : j.items()) {
    const std::string path = prefix.empty() ? k : prefix + "." + k;
    if (path == "record_id" || path == "version" || path == "updated_at" || path == "region" || path == "source")
      continue;
    if (v.is_object())
      flatten(v, path, out);
    else
      out[path] = v;
  }
}

class ExpectedWave2 : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new cg::test::TempDir;
    auto opened = cg::store::open_sqlite_store(dir_->file("gateway.db"));
    ASSERT_TRUE(opened.ok()) << opened.error().to_string();
    store_ = opened.value().release();
    quarantined_ = new std::map<std::string, cg::QuarantineEntry>;

    ingest_file("market_regulation/sgs.json", "market_regulation/sgs-2.xml");
    ingest_file("court/sxbzxr.json", "court/sxbzxr-2.xml");
    // The approval bureau's 前置库 rows, as the README's JSON copies.
    ingest_file("approval/xycn.json", "approval/xycn-2.json");
    ingest_file("approval/cxdx.json", "approval/cxdx-2.json");
    ingest_file("market_regulation/sgs.json", "market_regulation/sgs-2-changes.xml");
    ingest_file("court/sxbzxr.json", "court/sxbzxr-2-changes.xml");
    // Each statement of qzk-2-updates.sql: the row as it is afterwards.
    const json updates = json::parse(cg::test::read_file(cg::test::fixture("wave2/approval/updates-2.json")));
    for (const auto& u : updates) {
      const std::string table = u["table"];
      ingest_bytes("approval/" + table + ".json", json::array({u["row"]}).dump(), "updates-2.json");
    }
    const json changes = json::parse(cg::test::read_file(cg::test::fixture("wave2/platform/changes-2.json")));
    auto applied = cg::sync::apply_changes(*store_, "provincial", changes, "", "sync:provincial");
    ASSERT_TRUE(applied.ok()) << applied.error().to_string();
    expected_ = new json(json::parse(cg::test::read_file(cg::test::fixture("wave2/expected-2.json"))));
  }
  static void TearDownTestSuite() {
    delete expected_;
    delete quarantined_;
    delete store_;
    delete dir_;
  }

  static void ingest_file(const std::string& mapping, const std::string& input) {
    ingest_bytes(mapping, cg::test::read_file(cg::test::fixture("wave2/" + input)), input);
  }

  static void ingest_bytes(const std::string& mapping, const std::string& bytes, const std::string& label) {
    auto loaded = cg::mapping::load_mapping(cg::test::mapping_file(mapping), cg::test::code_tables());
    ASSERT_TRUE(loaded.spec) << mapping;
    cg::mapping::Mapper mapper(loaded.spec);
    cg::mapping::MapOptions opts;
    opts.received_at = kReceivedAt;
    auto o = mapper.map_bytes(bytes, label, opts);
    ASSERT_FALSE(o.failure) << label << ": " << o.failure->message;
    for (const auto& q : o.quarantined) (*quarantined_)[q.record_id] = q;
    cg::store::IngestBatch b;
    b.actor = "test:" + mapping;
    b.source = label;
    b.records = std::move(o.records);
    b.quarantined = std::move(o.quarantined);
    auto stored = store_->records().ingest(b);
    ASSERT_TRUE(stored.ok()) << label << ": " << stored.error().to_string();
  }

  static cg::test::TempDir* dir_;
  static cg::store::Store* store_;
  static std::map<std::string, cg::QuarantineEntry>* quarantined_;
  static json* expected_;
};
cg::test::TempDir* ExpectedWave2::dir_ = nullptr;
cg::store::Store* ExpectedWave2::store_ = nullptr;
std::map<std::string, cg::QuarantineEntry>* ExpectedWave2::quarantined_ = nullptr;
json* ExpectedWave2::expected_ = nullptr;

}  // namespace

TEST_F(ExpectedWave2, EveryStoredRecordHasItsFirstVersionsFields) {
  size_t checked = 0;
  for (const auto& e : *expected_) {
    if (!e["ok"].get<bool>()) continue;
    const std::string id = e["record_id"];
    auto history = store_->records().history(id);
    ASSERT_TRUE(history.ok());
    ASSERT_FALSE(history->empty()) << "not stored: " << e["key"] << " (" << e["path"] << ")";
    const json first = cg::to_json(history->front());
    EXPECT_EQ(first["source"]["source_key"], e["key"]);
    std::map<std::string, json> got;
    flatten(first, "", got);
    for (const auto& [path, want] : e["canonical"].items()) {
      auto it = got.find(path);
      if (it == got.end()) {
        ADD_FAILURE() << e["key"] << " " << path << " is missing";
        continue;
      }
      EXPECT_EQ(it->second, want) << e["key"] << " " << path;
      got.erase(it);
    }
    for (const auto& [path, value] : got) ADD_FAILURE() << e["key"] << " " << path << " should be absent: " << value;
    ++checked;
  }
  EXPECT_EQ(checked, 67u);
}

TEST_F(ExpectedWave2, EveryRecordMovesThroughItsVersionsToItsFinalState) {
  for (const auto& e : *expected_) {
    if (!e["ok"].get<bool>()) continue;
    const std::string id = e["record_id"];
    auto history = store_->records().history(id);
    ASSERT_TRUE(history.ok());
    ASSERT_EQ(history->size(), e["versions"].size()) << e["key"] << " (" << e["path"] << ")";
    for (size_t i = 0; i < history->size(); ++i) {
      EXPECT_EQ((*history)[i].version, e["versions"][i]["version"]) << e["key"];
      EXPECT_EQ((*history)[i].status, e["versions"][i]["status"])
          << e["key"] << " version " << i + 1 << " by " << e["versions"][i]["by"];
    }
    auto held = store_->records().get(id);
    ASSERT_TRUE(held.ok() && held->has_value()) << e["key"];
    const cg::Record& now = (*held)->record;
    EXPECT_EQ(now.status, e["final_status"]) << e["key"];
    EXPECT_EQ(now.version, e["final_version"]) << e["key"];
    std::map<std::string, json> first_fields, final_fields;
    flatten(cg::to_json(history->front()), "", first_fields);
    flatten(cg::to_json(now), "", final_fields);
    const json final_diff = e.value("final", json::object());
    for (const auto& [path, want] : final_diff.items()) {
      auto it = final_fields.find(path);
      if (want.is_null())
        EXPECT_EQ(it, final_fields.end()) << e["key"] << " " << path << " should be absent at the end";
      else if (it == final_fields.end())
        ADD_FAILURE() << e["key"] << " " << path << " is missing at the end";
      else
        EXPECT_EQ(it->second, want) << e["key"] << " " << path;
    }
    // Every other field ends as it began.
    for (const auto& [path, value] : final_fields) {
      if (path != "status" && !final_diff.contains(path)) {
        EXPECT_EQ(first_fields[path], value) << e["key"] << " " << path;
      }
    }
  }
}

TEST_F(ExpectedWave2, EveryRefusedRecordIsQuarantinedWithItsRuleAndField) {
  size_t checked = 0;
  for (const auto& e : *expected_) {
    if (e["ok"].get<bool>()) continue;
    const std::string id = e["record_id"];
    auto it = quarantined_->find(id);
    ASSERT_NE(it, quarantined_->end()) << "not quarantined: " << e["key"] << " (" << e["path"] << ")";
    EXPECT_EQ(it->second.rule, e["rule"]) << e["key"];
    EXPECT_EQ(it->second.field, e["field"]) << e["key"];
    EXPECT_FALSE(store_->records().get(id)->has_value()) << e["key"];
    ++checked;
  }
  EXPECT_EQ(checked, 7u);
}

TEST_F(ExpectedWave2, TheFinalStatesAddUpAsTheReadmeSays) {
  std::map<std::string, int> by_state;
  for (const auto& e : *expected_) {
    if (!e["ok"].get<bool>()) continue;
    auto held = store_->records().get(e["record_id"].get<std::string>());
    ASSERT_TRUE(held.ok() && held->has_value());
    by_state[(*held)->record.kind + " " + (*held)->record.status]++;
  }
  const std::map<std::string, int> want = {{"abnormal_operation active", 2},
                                           {"abnormal_operation expired", 3},
                                           {"abnormal_operation revoked", 1},
                                           {"admin_license active", 11},
                                           {"admin_license revoked", 2},
                                           {"admin_penalty active", 10},
                                           {"admin_penalty revoked", 2},
                                           {"credit_commitment active", 12},
                                           {"dishonest_debtor active", 7},
                                           {"dishonest_debtor expired", 2},
                                           {"dishonest_debtor repaired", 2},
                                           {"dishonest_debtor revoked", 1},
                                           {"red_list active", 5},
                                           {"serious_dishonesty active", 3},
                                           {"serious_dishonesty repaired", 2},
                                           {"serious_dishonesty suspended", 2}};
  EXPECT_EQ(by_state, want);
}

// Every case of checks-2.json, answered by the check API's path (the store,
// the shipped catalog) on the final state: the verdict, the hits, each hit's
// kind, status, via, `of` and measures.
TEST_F(ExpectedWave2, EveryCheckCaseHolds) {
  const json cases = json::parse(cg::test::read_file(cg::test::fixture("wave2/checks-2.json")));
  auto catalog = cg::catalog::load_catalog(cg::test::source_dir() + "/config/catalog.json", {});
  ASSERT_TRUE(catalog.ok()) << catalog.error().to_string();
  ASSERT_EQ(catalog->ref(), cases["catalog"].get<std::string>());
  const cg::catalog::CatalogHistory catalogs(*catalog);
  ASSERT_EQ(cases["cases"].size(), 49u);
  for (const auto& c : cases["cases"]) {
    SCOPED_TRACE(c["case"].get<std::string>() + ": " + c["note"].get<std::string>());
    json request = {{"scenario", c["scenario"]},
                    {"purpose", "checks-2.json"},
                    {"on", c["on"]},
                    {"subjects", json::array({c["subject"]})}};
    auto parsed = cg::checks::parse_check_request(request.dump(), "2026-12-07");
    ASSERT_TRUE(parsed.ok()) << parsed.error().to_string();
    auto answer = cg::checks::run_check(*store_, catalogs, {"procurement", "department:procurement/test"}, *parsed);
    ASSERT_TRUE(answer.ok()) << answer.error().to_string();
    const json result = json::parse(answer->results.at(0));
    const json& expect = c["expect"];
    EXPECT_EQ(result["verdict"], expect["verdict"]);
    std::vector<std::string> hits;
    std::set<std::string> measures;
    json detail = json::array();
    for (const auto& h : result["hits"]) {
      hits.push_back(h["record_id"]);
      json d = {{"record_id", h["record_id"]}, {"kind", h["kind"]}, {"status", h["status"]}, {"via", h["via"]}};
      if (h.contains("of")) d["of"] = h["of"];
      json ids = json::array();
      for (const auto& m : h["measures"]) {
        ids.push_back(m["measure_id"]);
        measures.insert(m["measure_id"].get<std::string>());
      }
      d["measures"] = ids;
      detail.push_back(d);
    }
    EXPECT_EQ(json(hits), expect["hits"]);
    EXPECT_EQ(json(measures), expect["measures"]);
    EXPECT_EQ(detail, expect["detail"]);
  }
}
