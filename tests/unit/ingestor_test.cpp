// What the ingestor answers before anything reaches the store.
#include "ingest/ingestor.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace {

struct LoadedMappings {
  LoadedMappings() {
    EXPECT_TRUE(mappings.load(cg::test::source_dir() + "/mappings", cg::test::code_tables()).empty());
  }
  cg::ingest::MappingRegistry mappings;
};

}  // namespace

TEST(Ingestor, AnotherDepartmentsFeedIsRefusedForGoodNotKeptForRetry) {
  LoadedMappings l;
  cg::ingest::Ingestor ingestor(l.mappings, 1 << 20);
  cg::ingest::Unit u;
  u.source_id = "page-1";
  u.feed = "court.sxbzxr";
  u.department = "tax";
  auto p = ingestor.prepare(u, "<SXBZXR_FEED/>");
  ASSERT_TRUE(p.answered);
  EXPECT_EQ(p.early.status, CG_ACK_REJECTED) << "a retry cannot help: FAILED would have the plugin send it again";
  EXPECT_EQ(p.early.result["error"]["code"], "wrong_department");
  EXPECT_NE(p.early.result["error"]["message"].get<std::string>().find("'tax'"), std::string::npos);
}

TEST(Ingestor, AnUnknownFeedStaysAtItsSource) {  // a mapping may be added and reloaded
  LoadedMappings l;
  cg::ingest::Ingestor ingestor(l.mappings, 1 << 20);
  cg::ingest::Unit u;
  u.feed = "court.nosuch";
  auto p = ingestor.prepare(u, "<X/>");
  ASSERT_TRUE(p.answered);
  EXPECT_EQ(p.early.status, CG_ACK_FAILED);
}
