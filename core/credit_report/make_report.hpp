// Making a 专用信用报告 and verifying its 核验码: the content read from the
// store, the PDF made from it, both kept with the PDF's SHA-256 under a new
// code (audited), so that a verification answers from what was kept and
// never from a report made again.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/working_days.hpp"
#include "config/config.hpp"
#include "credit_report/report_content.hpp"
#include "store/store.hpp"

namespace cg::credit_report {

struct ReportSettings {
  std::vector<Domain> domains;
  std::string issuer;
  std::string verify_base;  // the code is appended to it
};

// From the config; `port` is the department API's, for the default verify_url.
ReportSettings report_settings(const config::Config& cfg, int port);

struct ReportAsk {
  std::string uscc, name, purpose;
  int64_t years = 1;
};

// {"uscc", "years" (1-3, default 1), "purpose", "name" (optional)}. Errors:
// "bad_request" with the field.
Result<ReportAsk> parse_report_ask(std::string_view body);

struct ReportCall {
  std::string department;  // a department, or "operator"
  std::string actor;
};

// Errors: "bad_request" with the field (a USCC that fails its check
// character, years), the calendar's (a year without one), the store's,
// "document" (the PDF).
Result<store::CreditReport> make_credit_report(store::Store& st, const calendar::WorkingDays& days,
                                               const ReportSettings& settings, const ReportCall& call,
                                               const ReportAsk& ask, std::chrono::system_clock::time_point now);

// A kept report by the last part of its URL: "<code>" (its content) or
// "<code>.pdf" (its PDF too; `pdf` set); none for a code that cannot be one.
Result<std::optional<store::CreditReport>> find_credit_report(store::Store& st, std::string_view code_or_pdf,
                                                              bool& pdf);

// A kept report without its content and PDF: code, subject, window, made_at,
// expires_on, sha256, department, purpose.
nlohmann::json report_json(const store::CreditReport& r);

struct Verification {
  int status = 200;  // 200 valid or expired, 404 unknown
  nlohmann::json body;
};

// {"genuine", "state": valid|expired|unknown, and for a genuine code the
// subject, window, made_at, expires_on, sha256}; audited with `client`.
Result<Verification> verify_credit_report(store::Store& st, std::string_view code, const std::string& today,
                                          const std::string& client);

}  // namespace cg::credit_report
