// The texts of a batch made ahead of the store writer.
#include "store/batch_texts.hpp"

#include <gtest/gtest.h>

#include "../store_port_test.hpp"
#include "store/sqlite/db.hpp"

using cg::store::IngestBatch;
using cg::test::batch;
using cg::test::broken;
using cg::test::record;

// The pipeline makes a batch's digests, bodies and quarantine texts on its
// mapping thread; the store makes them itself for a batch without them. Both
// ways store the same bytes.
TEST(StoreBatchTexts, TextsMadeAheadStoreWhatTheStoreWouldHaveMade) {
  cg::test::TempDir dir;
  auto make_batch = [] {
    IngestBatch b;
    b.actor = "test";
    b.source = "unit";
    b.records = {record("t1"), record("t2", 300)};
    b.records[1].version = 4;  // a mapper's other number: stored as version 1
    b.quarantined = {broken("<XZCF>t3</XZCF>")};
    return b;
  };
  auto dump = [&](const std::string& name, bool ahead) {
    auto path = dir.file(name);
    {
      auto st = cg::store::open_sqlite_store(path);
      EXPECT_TRUE(st.ok());
      IngestBatch b = make_batch();
      if (ahead) {
        b.texts = cg::store::make_texts(b.records, b.quarantined);
        EXPECT_TRUE(b.texts_ready());
      } else {
        EXPECT_TRUE(b.texts_ready() == b.records.empty());
      }
      auto r = (*st)->records().ingest(b);
      EXPECT_TRUE(r.ok()) << r.error().to_string();
      EXPECT_EQ(r->created, 2u);
      EXPECT_EQ(r->quarantined, 1u);
    }
    auto db = cg::sqlite::Db::open(path);
    std::string out;
    for (const char* sql : {"SELECT r.record_id || ' ' || r.version || ' ' || r.digest || ' ' || v.body "
                            "FROM records r JOIN record_versions v USING(rid) ORDER BY r.record_id",
                            "SELECT fingerprint || ' ' || entry FROM quarantine ORDER BY id"}) {
      cg::sqlite::Stmt st(*db, sql);
      while (st.step().value()) out += st.col_text(0) + "\n";
    }
    return out;
  };
  const std::string made_by_store = dump("store.db", false), made_ahead = dump("ahead.db", true);
  EXPECT_NE(made_by_store.find(" 1 "), std::string::npos);
  EXPECT_EQ(std::count(made_by_store.begin(), made_by_store.end(), '\n'), 3);
  EXPECT_EQ(made_ahead, made_by_store);
  // What is stored for the renumbered record is version 1, in its body too.
  cg::Record renumbered = record("t2", 300);
  renumbered.version = 4;
  const auto texts = cg::store::make_texts({renumbered}, {});
  EXPECT_NE(texts.new_bodies.at(0).find("\"version\":1"), std::string::npos);
  EXPECT_EQ(texts.new_bodies.at(0), cg::to_json_text(record("t2", 300)));
  EXPECT_EQ(texts.digests.at(0), cg::content_digest(renumbered));
}
