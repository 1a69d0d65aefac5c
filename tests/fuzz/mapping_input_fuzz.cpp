// A department's document, as bytes, through every shipped mapping of its
// format: mapped, quarantined or refused, and whatever comes out serialises
// as the store and the logs would write it. The mutations include character
// references, escapes and numbers at the edges of what XML and JSON allow
// (markup_mutator.hpp).
#include <cstdint>
#include <filesystem>
#include <string_view>
#include <vector>

#include "fuzz_support.hpp"
#include "mapping/mapper.hpp"
#include "markup_mutator.hpp"
#include "store/batch_texts.hpp"

namespace {

std::vector<cg::mapping::Mapper> load_all() {
  std::vector<cg::mapping::Mapper> out;
  const auto root = cg::fuzz::source_dir();
  for (const char* m :
       {"court/sxbzxr.json", "market_regulation/sgs.json", "tax/zdsswf.json", "procurement/cgsx.json"}) {
    auto r = cg::mapping::load_mapping(root + "/mappings/" + m, root + "/config/code-tables");
    if (!r.spec) std::abort();
    out.emplace_back(r.spec);
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<cg::mapping::Mapper> mappers = load_all();
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  cg::mapping::MapOptions opts;
  opts.received_at = "2026-01-01T00:00:00+08:00";
  opts.validation.today_yyyymmdd = 20260101;
  for (const auto& m : mappers) {
    cg::fuzz::must_not_throw("mapping", [&] {
      auto out = m.map_bytes(bytes, "fuzz", opts);
      if (out.failure) {
        (void)cg::to_json(*out.failure).dump();
      } else {
        (void)cg::store::make_texts(out.records, out.quarantined);
        for (const auto& q : out.quarantined) (void)m.replay(q, opts);
      }
    });
  }
  return 0;
}

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t max_size, unsigned int seed) {
  return cg::fuzz::markup_mutate(data, size, max_size, seed);
}
