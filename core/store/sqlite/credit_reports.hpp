// The 专用信用报告 port on SQLite: `credit_reports`, one row a report.
#pragma once

#include "store/credit_reports.hpp"
#include "store/sqlite/audit_log.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/statistics.hpp"

namespace cg::store::sqlite_store {

class SqliteCreditReports final : public CreditReports {
 public:
  SqliteCreditReports(Connection& c, SqliteAuditLog& audit, SqliteStatistics& statistics)
      : c_(c), audit_(audit), statistics_(statistics) {}

  Status add(const CreditReport& r) override;
  Result<std::optional<CreditReport>> get(const std::string& code, bool with_pdf) override;
  Result<std::vector<CreditReport>> list(const CreditReportFilter& f) override;
  Status verified(const std::string& code, const std::string& state, const std::string& client) override;

 private:
  Connection& c_;
  SqliteAuditLog& audit_;
  SqliteStatistics& statistics_;
};

}  // namespace cg::store::sqlite_store
