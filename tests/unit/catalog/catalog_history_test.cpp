// Which catalog version governs a day: the highest version in effect on it,
// the configured file the newest that counts, earlier versions read back
// from the store's ledger; items name the version governing the day they
// are made.
#include "catalog/catalog_history.hpp"

#include <gtest/gtest.h>

#include "../store/store_port_test.hpp"
#include "catalog/catalog_loader.hpp"
#include "catalog/feedback_routes.hpp"
#include "common/jsonc.hpp"

using cg::catalog::Catalog;
using cg::catalog::CatalogHistory;
using nlohmann::json;

namespace {

// The shipped catalog as version `version`, in effect from `from`; without
// the procurement measure P-PROC-01 when `procurement` is false.
std::string catalog_text(int64_t version, const std::string& from, bool procurement = true) {
  auto doc = cg::JsoncDocument::load_file(cg::test::source_dir() + "/config/catalog.json");
  if (!doc.ok()) throw std::runtime_error(doc.error().message);
  json j = json::parse(doc->value().dump());
  j["version"] = version;
  j["effective_from"] = from;
  if (!procurement) {
    json kept = json::array();
    for (const auto& m : j["measures"])
      if (m["measure_id"] != "P-PROC-01") kept.push_back(m);
    j["measures"] = kept;
  }
  return j.dump(1);
}

Catalog catalog(int64_t version, const std::string& from, bool procurement = true) {
  auto doc = cg::JsoncDocument::parse("catalog.json", catalog_text(version, from, procurement));
  if (!doc.ok()) throw std::runtime_error(doc.error().message);
  auto c = cg::catalog::load_catalog_document(*doc, {});
  if (!c.ok()) throw std::runtime_error(c.error().message);
  return *c;
}

std::string governing(const CatalogHistory& h, const std::string& date) {
  const Catalog* c = h.governing(date);
  return c ? c->ref() : "none";
}

}  // namespace

TEST(CatalogHistoryTest, TheHighestVersionInEffectOnTheDayGoverns) {
  CatalogHistory h(catalog(3, "2026-07-01"));
  EXPECT_TRUE(h.add_earlier(catalog(2, "2026-01-01")));
  EXPECT_EQ(governing(h, "2025-12-31"), "none") << "before the first version, no catalog";
  EXPECT_EQ(governing(h, "2026-01-01"), "510800-2026@2");
  EXPECT_EQ(governing(h, "2026-06-30"), "510800-2026@2") << "a version published ahead waits for its date";
  EXPECT_EQ(governing(h, "2026-07-01"), "510800-2026@3");
  EXPECT_EQ(h.configured().version, 3);
}

TEST(CatalogHistoryTest, ABackdatedVersionSupersedesTheOneBefore) {
  CatalogHistory h(catalog(3, "2026-01-01"));
  EXPECT_TRUE(h.add_earlier(catalog(2, "2026-03-01")));
  EXPECT_EQ(governing(h, "2026-04-01"), "510800-2026@3");
  EXPECT_EQ(governing(h, "2025-12-31"), "none");
}

TEST(CatalogHistoryTest, OnlyEarlierVersionsOfTheSameCatalogAreAdded) {
  CatalogHistory h(catalog(3, "2026-07-01"));
  EXPECT_FALSE(h.add_earlier(catalog(4, "2026-01-01"))) << "above the configured version: rolled back";
  EXPECT_FALSE(h.add_earlier(catalog(3, "2026-01-01")));
  Catalog other = catalog(1, "2026-01-01");
  other.catalog_id = "510100-2026";
  EXPECT_FALSE(h.add_earlier(other));
  EXPECT_TRUE(h.add_earlier(catalog(1, "2025-01-01")));
  EXPECT_FALSE(h.add_earlier(catalog(1, "2025-01-01"))) << "held already";
  EXPECT_EQ(governing(h, "2026-06-30"), "510800-2026@1");
}

CG_STORE_PORT_SUITE(CatalogHistoryLedgerTest);

TEST_P(CatalogHistoryLedgerTest, EarlierVersionsAreReadBackFromTheLedger) {
  auto& ledger = store_->catalogs();
  ASSERT_TRUE(ledger.keep("510800-2026@2", "2026-01-01", catalog_text(2, "2026-01-01", false)).ok());
  ASSERT_TRUE(ledger.keep("510800-2026@4", "2026-01-01", catalog_text(4, "2026-01-01")).ok());
  ASSERT_TRUE(ledger.keep("510100-2026@1", "2026-01-01", "{}").ok());
  ASSERT_TRUE(ledger.keep("510800-2026@1", "2025-01-01", "{\"not\": \"a catalog\"}").ok());
  auto h = cg::catalog::history_from_ledger(catalog(3, "2026-07-01"), ledger);
  ASSERT_TRUE(h.ok()) << h.error().to_string();
  EXPECT_EQ(governing(*h, "2026-06-30"), "510800-2026@2");
  EXPECT_EQ(governing(*h, "2026-07-01"), "510800-2026@3") << "@4 is above the configured file";
  EXPECT_EQ(governing(*h, "2025-06-01"), "none") << "@1 no longer reads: passed over";
}

TEST_P(CatalogHistoryLedgerTest, AnItemNamesTheVersionGoverningTheDayItIsMade) {
  ASSERT_TRUE(store_->catalogs().keep("510800-2026@2", "2026-01-01", catalog_text(2, "2026-01-01", false)).ok());
  auto h = cg::catalog::history_from_ledger(catalog(3, "2026-12-01"), store_->catalogs());
  ASSERT_TRUE(h.ok());
  auto days = cg::calendar::WorkingDays::load_dir(cg::test::source_dir() + "/config/calendar");
  ASSERT_TRUE(days.ok());
  auto router = cg::catalog::make_feedback_router(std::move(*h), std::move(*days));
  cg::Record r;
  r.kind = "dishonest_debtor";
  r.subject.type = "legal_person";
  r.source.department = "court";
  auto departments = [](const std::vector<cg::store::FeedbackRoute>& routes) {
    std::map<std::string, std::string> out;
    for (const auto& x : routes) out[x.department] = x.catalog;
    return out;
  };
  auto before = departments(router(r, "created", "local", "2026-11-30"));
  EXPECT_FALSE(before.count("procurement")) << "@2 has no procurement measure";
  EXPECT_EQ(before["finance"], "510800-2026@2");
  auto after = departments(router(r, "created", "local", "2026-12-01"));
  EXPECT_EQ(after["procurement"], "510800-2026@3");
  EXPECT_EQ(after["finance"], "510800-2026@3");
  EXPECT_TRUE(router(r, "created", "local", "2025-12-31").empty()) << "no catalog in effect, no measure";
}
