// Cron expressions (minute hour day-of-month month day-of-week), evaluated in
// China Standard Time: "*/5 * * * *", "30 2 * * *", "0 9 * * 1-5".
#pragma once

#include <bitset>
#include <chrono>
#include <credit_gateway/support/result.hpp>
#include <optional>
#include <string>

namespace cg::sdk {

class Cron {
 public:
  // "off": a cron that never fires (the job runs only when triggered).
  static Result<Cron> parse(const std::string& expr);
  // The first scheduled instant strictly after t, and the last one at or before t.
  [[nodiscard]] std::optional<std::chrono::system_clock::time_point> next_after(
      std::chrono::system_clock::time_point t) const;
  [[nodiscard]] std::optional<std::chrono::system_clock::time_point> last_at_or_before(
      std::chrono::system_clock::time_point t) const;
  [[nodiscard]] const std::string& text() const { return text_; }

 private:
  [[nodiscard]] bool matches_minute(std::chrono::sys_seconds cst_minute) const;
  std::string text_;
  std::bitset<60> minute_;
  std::bitset<24> hour_;
  std::bitset<32> dom_;
  std::bitset<13> month_;
  std::bitset<8> dow_;
  bool dom_any_ = true, dow_any_ = true;
  bool off_ = false;
};

}  // namespace cg::sdk
