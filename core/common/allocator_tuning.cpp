#include "common/allocator_tuning.hpp"

#include <malloc.h>

namespace cg {

void tune_allocator_for_gateway() {
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
  mallopt(M_ARENA_MAX, 8);
}

}  // namespace cg
