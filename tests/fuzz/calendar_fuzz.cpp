// A working-day calendar file, as bytes: taken or refused with its problems.
#include <cstdint>
#include <string>

#include "calendar/working_days.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  cg::fuzz::must_not_throw("calendar loader", [&] {
    auto doc = cg::JsoncDocument::parse("cn-2026.json", text);
    if (!doc.ok()) return;
    cg::calendar::WorkingDays w;
    if (!w.add_year(*doc).empty()) return;
    const auto from = cg::calendar::parse_date("2026-12-20");
    (void)w.add(*from, 10);
  });
  return 0;
}
