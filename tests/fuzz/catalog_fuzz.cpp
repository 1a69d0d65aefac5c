// A catalog file, as bytes: loaded or refused with its problems.
#include <cstdint>
#include <string>

#include "catalog/catalog_loader.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  cg::fuzz::must_not_throw("catalog loader", [&] {
    auto doc = cg::JsoncDocument::parse("catalog.json", text);
    if (!doc.ok()) return;
    (void)cg::catalog::load_catalog_document(
        *doc, {"court", "tax", "market_regulation", "procurement", "finance", "approval"});
  });
  return 0;
}
