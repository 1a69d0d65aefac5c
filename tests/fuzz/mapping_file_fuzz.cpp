// A mapping file, as bytes: loaded or refused with its problems.
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "mapping/spec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  cg::fuzz::must_not_throw("mapping loader", [&] {
    auto doc = cg::JsoncDocument::parse("fuzz.json", text);
    if (!doc.ok()) return;
    (void)cg::mapping::load_mapping_document(*doc, cg::fuzz::source_dir() + "/config/code-tables");
  });
  return 0;
}
