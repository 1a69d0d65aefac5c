// A feedback router for tests: the departments `pick` names, with no measures.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "store/feedback.hpp"

namespace cg::test {

inline store::FeedbackRouter route_to(
    std::function<std::vector<std::string>(const Record&, const std::string& event_type)> pick) {
  return [pick = std::move(pick)](const Record& r, const std::string& type, const std::string&, const std::string&) {
    std::vector<store::FeedbackRoute> out;
    for (auto& d : pick(r, type)) {
      store::FeedbackRoute route;
      route.department = std::move(d);
      out.push_back(std::move(route));
    }
    return out;
  };
}

}  // namespace cg::test
