// A catalog file, as bytes: loaded or refused with its problems.
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "sync/catalog.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  cg::fuzz::must_not_throw("catalog loader", [&] {
    auto doc = cg::JsoncDocument::parse("catalog.json", text);
    if (!doc.ok()) return;
    (void)cg::sync::load_catalog_document(*doc);
  });
  return 0;
}
