// A gateway config, as bytes: loaded or refused with its problems.
#include <cstdint>
#include <string>

#include "config/config.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  cg::fuzz::must_not_throw("config loader", [&] {
    auto doc = cg::JsoncDocument::parse("gateway.json", text);
    if (!doc.ok()) return;
    (void)cg::config::load_config_document(*doc, "/nonexistent/gateway.json");
  });
  return 0;
}
