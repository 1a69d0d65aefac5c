// Which destinations a record version goes to: each destination's route by
// kind, department and region (empty: everything), and nothing back to a
// platform that a record came from.
#include "delivery/routing.hpp"

#include <gtest/gtest.h>

#include "../sample_record.hpp"

namespace {

using Names = std::vector<std::string>;

cg::config::DestinationConfig destination(const std::string& name) {
  cg::config::DestinationConfig d;
  d.name = name;
  return d;
}

TEST(Routing, EveryDestinationWhoseRouteMatches) {
  auto provincial = destination("provincial");
  auto city = destination("city");
  city.route_regions = {"510802"};
  auto penalties = destination("penalties");
  penalties.route_kinds = {"admin_penalty"};
  penalties.route_departments = {"market_regulation", "tax"};
  const auto route = cg::delivery::make_router({provincial, city, penalties});

  auto r = cg::test::sample_record("k-1");
  EXPECT_EQ(route(r, "adapter:market-regulation-zmq@1.0.0"), (Names{"provincial", "penalties"}));
  r.region = "510802";
  EXPECT_EQ(route(r, "adapter:x"), (Names{"provincial", "city", "penalties"}));
  r.source.department = "court";
  EXPECT_EQ(route(r, "adapter:x"), (Names{"provincial", "city"}));
  r.kind = "dishonest_debtor";
  r.region.reset();
  EXPECT_EQ(route(r, "adapter:x"), (Names{"provincial"}));
}

TEST(Routing, ARecordFromAPlatformGoesNowhere) {
  const auto route = cg::delivery::make_router({destination("provincial"), destination("city")});
  EXPECT_EQ(route(cg::test::sample_record("k-1"), "platform:provincial"), Names{});
}

}  // namespace
