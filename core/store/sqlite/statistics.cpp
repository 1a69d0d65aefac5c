#include "store/sqlite/statistics.hpp"

namespace cg::store::sqlite_store {

using sqlite::Stmt;

#define CG_STATS_UPSERT " ON CONFLICT(day, figure, department, kind, destination) DO UPDATE SET n = n + excluded.n"

Status SqliteStatistics::prepare() {
  add_ = Stmt(
      c_.db(),
      "INSERT INTO stats_daily(day, figure, department, kind, destination, n) VALUES(?,?,?,?,?,?)" CG_STATS_UPSERT);
  if (!add_.ok()) return make_error("store", "cannot prepare statement: " + c_.db().last_error());
  return {};
}

Status SqliteStatistics::add(const std::string& day, const Tally& tally) {
  for (const auto& [key, n] : tally) {
    const auto& [figure, department, kind, destination] = key;
    add_.reset().bind(1, day).bind(2, figure).bind(3, department).bind(4, kind).bind(5, destination).bind(6, n);
    if (auto s = add_.run(); !s) return s;
  }
  return {};
}

Status SqliteStatistics::add_outbox_range(const std::string& day, const std::string& figure,
                                          const std::string& destination, int64_t first, int64_t last) {
  Stmt st(c_.db(),
          "INSERT INTO stats_daily(day, figure, department, kind, destination, n) SELECT ?4, ?5, r.department, "
          "r.kind, ?1, count(*) FROM outbox o JOIN records r ON r.rid = o.rid WHERE o.destination = ?1 AND o.id "
          "BETWEEN ?2 AND ?3 GROUP BY r.department, r.kind" CG_STATS_UPSERT);
  st.bind(1, destination).bind(2, first).bind(3, last).bind(4, day).bind(5, figure);
  return st.run();
}

#undef CG_STATS_UPSERT

std::optional<std::string> period_sql(const std::string& period, const std::string& day) {
  if (period == "day") return day;
  if (period == "month") return "substr(" + day + ", 1, 7)";
  if (period == "year") return "substr(" + day + ", 1, 4)";
  if (period == "quarter")
    return "substr(" + day + ", 1, 4) || '-Q' || ((CAST(substr(" + day + ", 6, 2) AS INTEGER) + 2) / 3)";
  return std::nullopt;
}

Result<std::vector<StatisticsRow>> SqliteStatistics::query(const StatisticsQuery& q) {
  const auto period = period_sql(q.period, "day");
  if (!period) return make_error("bad_request", "period is day, month, quarter or year", "period");
  const std::string dept = q.by_department ? "department" : "''";
  const std::string kind = q.by_kind ? "kind" : "''";
  const std::string dest = q.by_destination ? "destination" : "''";
  Stmt st(c_.db(), "SELECT " + *period + " AS p, " + dept + " AS d, " + kind + " AS k, " + dest +
                       " AS t, figure, sum(n) FROM stats_daily WHERE (?1 = '' OR day >= ?1) AND (?2 = '' OR day <= "
                       "?2) GROUP BY p, d, k, t, figure ORDER BY p, d, k, t, figure");
  st.bind(1, q.from).bind(2, q.to);
  std::vector<StatisticsRow> out;
  auto read = sqlite::each_row(st, [&] {
    StatisticsRow r{st.col_text(0), st.col_text(1), st.col_text(2), st.col_text(3), st.col_text(4), st.col_int(5)};
    if (figure_wanted(q.figure, r.figure)) out.push_back(std::move(r));
  });
  if (!read) return read.error();
  return out;
}

}  // namespace cg::store::sqlite_store
