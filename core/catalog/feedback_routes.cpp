#include "catalog/feedback_routes.hpp"

#include <algorithm>

namespace cg::catalog {

store::FeedbackRouter make_feedback_router(const Catalog& catalog) {
  return [measures = catalog.measures](const Record& r, const std::string& event, const std::string& origin) {
    std::vector<std::string> out;
    auto add = [&](const std::string& d) {
      if (std::find(out.begin(), out.end(), d) == out.end()) out.push_back(d);
    };
    const bool local = origin.rfind("platform:", 0) != 0;
    const std::string& own = r.source.department;
    if (local && event == "status_changed") add(own);
    for (const auto& m : measures) {
      if (!m.applies_to_kind(r.kind) || !m.applies_to_subject(r.subject.type)) continue;
      for (const auto& d : m.implementing)
        if (!(local && d == own)) add(d);
    }
    return out;
  };
}

}  // namespace cg::catalog
