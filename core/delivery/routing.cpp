#include "delivery/routing.hpp"

#include <algorithm>

namespace cg::delivery {

namespace {
bool matches(const std::vector<std::string>& allowed, const std::string& v) {
  return allowed.empty() || std::find(allowed.begin(), allowed.end(), v) != allowed.end();
}
}  // namespace

store::OutboxRouter make_router(const std::vector<config::DestinationConfig>& destinations) {
  return [destinations](const Record& r, const std::string& origin) {
    std::vector<std::string> out;
    for (const auto& d : destinations) {
      // A record that came from a platform is never pushed back upstream.
      if (origin.rfind("platform:", 0) == 0) break;
      if (!matches(d.route_kinds, r.kind) || !matches(d.route_departments, r.source.department) ||
          !matches(d.route_regions, r.region.value_or("")))
        continue;
      out.push_back(d.name);
    }
    return out;
  };
}

}  // namespace cg::delivery
