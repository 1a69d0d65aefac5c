// Which destinations a record version goes to (destinations.<name>.route).
#pragma once

#include "config/config.hpp"
#include "store/store.hpp"

namespace cg::delivery {

// Every destination whose route matches; none for a record that came from a platform.
store::OutboxRouter make_router(const std::vector<config::DestinationConfig>& destinations);

}  // namespace cg::delivery
