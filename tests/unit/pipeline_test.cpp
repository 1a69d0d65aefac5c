#include "ingest/pipeline.hpp"

#include <gtest/gtest.h>

#include "store/store_access.hpp"
#include "test_support.hpp"

using cg::ingest::IngestPipeline;

namespace {

struct PipelineTest : ::testing::Test {
  void SetUp() override {
    auto problems = mappings.load(cg::test::source_dir() + "/mappings", cg::test::code_tables());
    ASSERT_TRUE(problems.empty());
    feed = cg::test::read_file(cg::test::fixture("feeds/market_regulation/sgs-1.xml"));
  }
  std::unique_ptr<cg::store::Store> open() {
    auto s = cg::store::open_sqlite_store(dir.file("gateway.db"));
    EXPECT_TRUE(s.ok());
    return std::move(s.value());
  }
  std::unique_ptr<cg::store::StoreAccess> access() { return std::make_unique<cg::store::DirectAccess>(open()); }
  cg::ingest::Unit unit(int i, const std::string& feed_name = "market_regulation.sgs") {
    return {"u" + std::to_string(i), feed_name, "test #" + std::to_string(i), "market_regulation", "adapter:test"};
  }
  cg::test::TempDir dir;
  cg::ingest::MappingRegistry mappings;
  std::string feed;
};

}  // namespace

TEST_F(PipelineTest, UnitsAreAnsweredInOrderAfterTheirCommit) {
  cg::ingest::Ingestor ingestor(mappings, 1 << 20);
  IngestPipeline p(access(), ingestor);
  for (int i = 0; i < 12; ++i) p.submit("host", unit(i, i == 5 ? "no.such_feed" : "market_regulation.sgs"), feed);
  p.drain();
  auto done = p.take_finished();
  ASSERT_EQ(done.size(), 12u);
  EXPECT_EQ(p.in_flight(), 0u);
  for (int i = 0; i < 12; ++i) EXPECT_EQ(done[static_cast<size_t>(i)].source_id, "u" + std::to_string(i));
  // The first unit stored the records; every later one found them unchanged.
  size_t created = done[0].ack.result["created"].get<size_t>();
  EXPECT_GT(created, 0u);
  for (size_t i = 1; i < done.size(); ++i) {
    if (i == 5) {
      EXPECT_EQ(done[i].ack.status, CG_ACK_FAILED);  // unknown feed: kept at its source
      continue;
    }
    EXPECT_EQ(done[i].ack.status, CG_ACK_COMMITTED);
    EXPECT_EQ(done[i].ack.result["unchanged"].get<size_t>(), created) << i;
  }
  auto reader = open();
  EXPECT_EQ(*reader->records().count(), static_cast<int64_t>(created));
}

TEST_F(PipelineTest, StoppingFinishesEveryUnitHandedIn) {
  cg::ingest::Ingestor ingestor(mappings, 1 << 20);
  {
    IngestPipeline p(access(), ingestor);
    p.submit("host", unit(1), feed);
  }  // destroyed at once: the unit is still committed
  auto reader = open();
  EXPECT_GT(*reader->records().count(), 0);
}
