// The cache of prepared statements under every connection.
#include <gtest/gtest.h>

#include "../store_port_test.hpp"
#include "store/sqlite/db.hpp"

using cg::store::IngestBatch;
using cg::test::batch;
using cg::test::broken;
using cg::test::record;

TEST(StatementCache, AStatementIsReusedAndTwoAtOnceAreIndependent) {
  cg::test::TempDir dir;
  auto db = cg::sqlite::Db::open(dir.file("t.db"));
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db->exec("CREATE TABLE t(k INTEGER); INSERT INTO t VALUES(1), (2), (3);"));
  const std::string sql = "SELECT k FROM t WHERE k >= ? ORDER BY k";
  sqlite3_stmt* first = nullptr;
  {
    cg::sqlite::Stmt a(*db, sql);
    first = a.handle();
    a.bind(1, int64_t{2});
    ASSERT_TRUE(*a.step());
    EXPECT_EQ(a.col_int(0), 2);
    // The same SQL while the first is mid-step: its own statement.
    cg::sqlite::Stmt b(*db, sql);
    EXPECT_NE(b.handle(), first);
    b.bind(1, int64_t{1});
    ASSERT_TRUE(*b.step());
    EXPECT_EQ(b.col_int(0), 1);
    ASSERT_TRUE(*a.step());
    EXPECT_EQ(a.col_int(0), 3);
  }
  // Given back reset and unbound: the next one starts from the first row.
  cg::sqlite::Stmt c(*db, sql);
  EXPECT_TRUE(c.handle() == first || c.handle() != nullptr);
  c.bind(1, int64_t{3});
  ASSERT_TRUE(*c.step());
  EXPECT_EQ(c.col_int(0), 3);
  EXPECT_FALSE(*c.step());
  // The cache survives the connection being moved.
  cg::sqlite::Db moved = std::move(db.value());
  cg::sqlite::Stmt d(moved, "SELECT count(*) FROM t");
  ASSERT_TRUE(*d.step());
  EXPECT_EQ(d.col_int(0), 3);
}
