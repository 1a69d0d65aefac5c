// The 专用信用报告 port: each report as it was made (its content and PDF,
// the PDF's SHA-256), found again by its 核验码 for verification and for
// another copy; making and each verification audited.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace cg::store {

struct CreditReport {
  std::string code;  // the 核验码, normalised (credit_report/verification_code.hpp)
  std::string uscc, subject_name;
  int64_t years = 0;
  std::string window_from, window_to;  // YYYY-MM-DD, both included
  std::string made_at;                 // RFC 3339, China Standard Time
  std::string expires_on;              // the last day it is valid
  std::string department;              // who asked: a department, or "operator"
  std::string made_by;                 // department:<dept>/<token name>, operator:<name>, cli:<user>
  std::string purpose;
  std::string sha256;   // of the PDF
  std::string content;  // what the report shows, as JSON
  std::string pdf;      // empty unless asked for
};

struct CreditReportFilter {
  std::string uscc, department;  // empty: any
  size_t limit = 100;
};

class CreditReports {
 public:
  virtual ~CreditReports() = default;

  // Keeps a report, audited `report.made`, counted in the statistics
  // (reports_made, by department).
  virtual Status add(const CreditReport& r) = 0;
  virtual Result<std::optional<CreditReport>> get(const std::string& code, bool with_pdf) = 0;
  // Newest first, without content or PDF.
  virtual Result<std::vector<CreditReport>> list(const CreditReportFilter& f) = 0;
  // A verification and how it was answered (valid, expired, unknown),
  // audited `report.verified` with the client's address, counted
  // (reports_verified, by state).
  virtual Status verified(const std::string& code, const std::string& state, const std::string& client) = 0;
};

}  // namespace cg::store
