// How the SQLite backend keeps feedback items.
#include <gtest/gtest.h>

#include "../../route_to.hpp"
#include "../store_port_test.hpp"
#include "store/sqlite/db.hpp"

using cg::store::IngestBatch;
using cg::test::batch;
using cg::test::broken;
using cg::test::record;
using cg::test::SqliteStoreTest;

TEST_F(SqliteStoreTest, AFeedbackItemCarriesItsRecordVersionsBodyWithoutACopyOfIt) {
  store_->feedback().set_router(
      cg::test::route_to([](const cg::Record&, const std::string&) { return std::vector<std::string>{"court"}; }));
  ASSERT_TRUE(store_->records().ingest(batch({record("fbv", 100)})).ok());
  ASSERT_TRUE(store_->records().ingest(batch({record("fbv", 200)})).ok());  // version 2, a second item
  auto items = store_->feedback().claim("court", 10, 60000);
  ASSERT_TRUE(items.ok()) << items.error().to_string();
  ASSERT_EQ(items->size(), 2u);
  auto history = store_->records().history(record("fbv").record_id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ((*items)[i].version, static_cast<int64_t>(i + 1));
    EXPECT_EQ((*items)[i].body, cg::to_json_text((*history)[i])) << "item " << i;
  }
  auto db = cg::sqlite::Db::open(dir_.file("gateway.db"));
  ASSERT_TRUE(db.ok());
  cg::sqlite::Stmt copies(*db, "SELECT count(*) FROM feedback WHERE body <> ''");
  ASSERT_TRUE(copies.step().value());
  EXPECT_EQ(copies.col_int(0), 0) << "the body is the version's, not a second copy";
  // An item written before (with its own copy of the body) is read as it is.
  ASSERT_TRUE(db->exec("INSERT INTO feedback(department, record_id, version, event, body, created_at) "
                       "VALUES('court', 'r-old', 1, '{\"type\":\"created\"}', '{\"old\":true}', 'then')")
                  .ok());
  auto old = store_->feedback().claim("court", 10, 60000);
  ASSERT_TRUE(old.ok());
  ASSERT_EQ(old->size(), 1u);
  EXPECT_EQ((*old)[0].record_id, "r-old");
  EXPECT_EQ((*old)[0].body, "{\"old\":true}");
}
