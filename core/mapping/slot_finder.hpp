// Finds the source slot of each child element (XML) or member (JSON) of a
// record. Records of one feed nearly always list their fields in one order,
// so the finder remembers the names the last record had at each position:
// most names are then found with one comparison instead of a hash lookup.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mapping/spec.hpp"

namespace cg::mapping {

class SlotFinder {
 public:
  explicit SlotFinder(const SourceSlots& slots) : slots_(slots) {}

  // The slot of `name`, the child at `position` (0-based) of its record; -1
  // for a name no mapping path reads.
  int find(size_t position, std::string_view name) {
    if (position < seen_.size() && seen_[position].first == name) return seen_[position].second;
    int slot = slots_.find(name);
    if (position < kRemembered) {
      if (position >= seen_.size()) seen_.resize(position + 1);
      seen_[position] = {std::string(name), slot};
    }
    return slot;
  }

 private:
  static constexpr size_t kRemembered = 256;  // a hostile record's thousands of children are not kept
  const SourceSlots& slots_;
  std::vector<std::pair<std::string, int>> seen_;
};

}  // namespace cg::mapping
