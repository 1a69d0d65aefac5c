// The catalog ledger port: every catalog version kept once, with its text,
// audited; a published version not edited.
#include <gtest/gtest.h>

#include "store_port_test.hpp"

CG_STORE_PORT_SUITE(CatalogLedgerTest);

TEST_P(CatalogLedgerTest, EachVersionIsKeptOnceWithItsText) {
  auto& c = store_->catalogs();
  EXPECT_TRUE(*c.keep("510800-2026@3", "2026-01-01", "{\"version\": 3}"));
  EXPECT_FALSE(*c.keep("510800-2026@3", "2026-01-01", "{\"version\": 3}")) << "the same text again keeps nothing";
  EXPECT_TRUE(*c.keep("510800-2026@4", "2027-01-01", "{\"version\": 4}"));
  auto versions = c.versions();
  ASSERT_TRUE(versions.ok());
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[0].ref, "510800-2026@3");
  EXPECT_EQ((*versions)[1].effective_from, "2027-01-01");
  EXPECT_EQ((*versions)[1].digest.size(), 64u);
  EXPECT_EQ(c.text("510800-2026@3")->value_or(""), "{\"version\": 3}");
  EXPECT_FALSE(c.text("510800-2026@9")->has_value());
  auto audit = store_->audit().list("", 10);
  ASSERT_TRUE(audit.ok());
  int loaded = 0;
  for (const auto& a : *audit)
    if (a.action == "catalog.loaded") ++loaded;
  EXPECT_EQ(loaded, 2) << "each version's first load is audited, once";
}

TEST_P(CatalogLedgerTest, APublishedVersionIsNotEdited) {
  auto& c = store_->catalogs();
  ASSERT_TRUE(*c.keep("510800-2026@3", "2026-01-01", "{\"version\": 3}"));
  auto edited = c.keep("510800-2026@3", "2026-01-01", "{\"version\": 3, \"changed\": true}");
  ASSERT_FALSE(edited.ok());
  EXPECT_EQ(edited.error().code, "catalog_edited");
  EXPECT_NE(edited.error().message.find("give the new content a new version"), std::string::npos);
  EXPECT_EQ(c.text("510800-2026@3")->value_or(""), "{\"version\": 3}") << "the first text stays";
}
