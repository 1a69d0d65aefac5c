#include "store/sqlite/credit_reports.hpp"

#include <nlohmann/json.hpp>

#include "common/clock.hpp"

namespace cg::store::sqlite_store {

using sqlite::Stmt;

namespace {

#define CG_REPORT_COLUMNS                                                                                        \
  "code, uscc, subject_name, years, window_from, window_to, made_at, expires_on, department, made_by, purpose, " \
  "sha256"

CreditReport read_report(Stmt& st) {
  CreditReport r;
  r.code = st.col_text(0);
  r.uscc = st.col_text(1);
  r.subject_name = st.col_text(2);
  r.years = st.col_int(3);
  r.window_from = st.col_text(4);
  r.window_to = st.col_text(5);
  r.made_at = st.col_text(6);
  r.expires_on = st.col_text(7);
  r.department = st.col_text(8);
  r.made_by = st.col_text(9);
  r.purpose = st.col_text(10);
  r.sha256 = st.col_text(11);
  return r;
}

}  // namespace

Status SqliteCreditReports::add(const CreditReport& r) {
  return c_.write(Commit::Durable, [&]() -> Status {
    Stmt ins(c_.db(),
             "INSERT INTO credit_reports(" CG_REPORT_COLUMNS ", content, pdf) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    ins.bind(1, r.code).bind(2, r.uscc).bind(3, r.subject_name).bind(4, r.years).bind(5, r.window_from);
    ins.bind(6, r.window_to).bind(7, r.made_at).bind(8, r.expires_on).bind(9, r.department).bind(10, r.made_by);
    ins.bind(11, r.purpose).bind(12, r.sha256).bind(13, r.content).bind_blob(14, r.pdf);
    if (auto s = ins.run(); !s) return s;
    const nlohmann::json detail = {{"code", r.code},
                                   {"uscc", r.uscc},
                                   {"years", r.years},
                                   {"window", r.window_from + "/" + r.window_to},
                                   {"expires_on", r.expires_on},
                                   {"sha256", r.sha256}};
    if (auto s = audit_.write(r.made_at, r.made_by, "report.made", "", 0, r.department, detail.dump()); !s) return s;
    return statistics_.add(r.made_at.substr(0, 10), {{{"reports_made", r.department, "", ""}, 1}});
  });
}

Result<std::optional<CreditReport>> SqliteCreditReports::get(const std::string& code, bool with_pdf) {
  Stmt st(c_.db(), with_pdf ? "SELECT " CG_REPORT_COLUMNS ", content, pdf FROM credit_reports WHERE code = ?"
                            : "SELECT " CG_REPORT_COLUMNS ", content FROM credit_reports WHERE code = ?");
  st.bind(1, code);
  auto row = st.step();
  if (!row.ok()) return row.error();
  if (!*row) return std::optional<CreditReport>{};
  CreditReport r = read_report(st);
  r.content = st.col_text(12);
  if (with_pdf) r.pdf = st.col_text(13);
  return std::optional<CreditReport>(std::move(r));
}

Result<std::vector<CreditReport>> SqliteCreditReports::list(const CreditReportFilter& f) {
  Stmt st(c_.db(), "SELECT " CG_REPORT_COLUMNS
                   " FROM credit_reports WHERE (?1 = '' OR uscc = ?1) AND (?2 = '' OR department = ?2) ORDER BY "
                   "made_at DESC, code LIMIT ?3");
  st.bind(1, f.uscc).bind(2, f.department).bind(3, static_cast<int64_t>(f.limit));
  std::vector<CreditReport> out;
  if (auto s = sqlite::each_row(st, [&] { out.push_back(read_report(st)); }); !s) return s.error();
  return out;
}

Status SqliteCreditReports::verified(const std::string& code, const std::string& state, const std::string& client) {
  return c_.write(Commit::Durable, [&]() -> Status {
    const std::string now = now_rfc3339_cst();
    const nlohmann::json detail = {{"code", code}, {"state", state}, {"client", client}};
    if (auto s = audit_.write(now, "verify:" + client, "report.verified", "", 0, "verify", detail.dump()); !s) return s;
    return statistics_.add(now.substr(0, 10), {{{"reports_verified:" + state, "", "", ""}, 1}});
  });
}

#undef CG_REPORT_COLUMNS

}  // namespace cg::store::sqlite_store
