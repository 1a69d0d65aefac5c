#include "store/sqlite/checks.hpp"

#include "store/sqlite/statistics.hpp"

namespace cg::store::sqlite_store {

using sqlite::Stmt;

namespace {

const char* const kLedgerTables = R"SQL(
CREATE TABLE IF NOT EXISTS checks(
  check_id TEXT PRIMARY KEY,
  department TEXT NOT NULL,
  actor TEXT NOT NULL,
  scenario TEXT NOT NULL,
  purpose TEXT NOT NULL,
  case_ref TEXT NOT NULL,
  on_date TEXT NOT NULL,
  catalog TEXT NOT NULL,
  verdict TEXT NOT NULL,
  subjects INTEGER NOT NULL,
  hits INTEGER NOT NULL,
  checked_at TEXT NOT NULL,
  answer TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS checks_department ON checks(department, checked_at);
-- The statistics of a period read this alone, never the answers.
CREATE INDEX IF NOT EXISTS checks_figures ON checks(checked_at, department, verdict, subjects, hits);
)SQL";

#define CG_CHECK_COLUMNS \
  "check_id, department, actor, scenario, purpose, case_ref, on_date, catalog, verdict, subjects, hits, checked_at"

StoredCheck read_row(Stmt& st, bool with_answer) {
  StoredCheck c;
  c.check_id = st.col_text(0);
  c.department = st.col_text(1);
  c.actor = st.col_text(2);
  c.scenario = st.col_text(3);
  c.purpose = st.col_text(4);
  c.case_ref = st.col_text(5);
  c.on = st.col_text(6);
  c.catalog = st.col_text(7);
  c.verdict = st.col_text(8);
  c.subjects = st.col_int(9);
  c.hits = st.col_int(10);
  c.checked_at = st.col_text(11);
  if (with_answer) c.answer = st.col_text(12);
  return c;
}

}  // namespace

Result<std::unique_ptr<SqliteChecks>> SqliteChecks::open(const std::string& path, bool durable) {
  auto db = sqlite::Db::open(path);
  if (!db.ok()) return db.error();
  for (const std::string& sql :
       {std::string("PRAGMA journal_mode=WAL"), std::string("PRAGMA synchronous=") + (durable ? "FULL" : "NORMAL"),
        std::string("PRAGMA journal_size_limit=16777216"), std::string(kLedgerTables)})
    if (auto s = db->exec(sql); !s) return make_error(s.error().code, s.error().message, path);
  std::unique_ptr<SqliteChecks> ledger(new SqliteChecks(std::move(db.value())));
  ledger->c_.set_durable(durable);
  return ledger;
}

Status SqliteChecks::take_from(sqlite::Db& store) {
  {
    Stmt has(store, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'checks'");
    auto row = has.step();
    if (!row.ok()) return row.error();
    if (!*row) return {};
  }
  Stmt old(store, "SELECT " CG_CHECK_COLUMNS ", answer FROM checks ORDER BY rowid");
  return c_.write(Commit::Durable, [&]() -> Status {
    Stmt ins(c_.db(), "INSERT OR IGNORE INTO checks(" CG_CHECK_COLUMNS ", answer) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)");
    Status inserted;  // the first failure ends the move
    auto s = sqlite::each_row(old, [&] {
      if (!inserted) return;
      ins.reset();
      for (int i = 0; i < 13; ++i) {
        if (i == 9 || i == 10)
          ins.bind(i + 1, old.col_int(i));
        else
          ins.bind(i + 1, old.col_text(i));
      }
      inserted = ins.run();
    });
    return s ? inserted : s;
  });
}

Status SqliteChecks::add(const StoredCheck& c) {
  return c_.write(Commit::Durable, [&]() -> Status {
    Stmt ins(c_.db(), "INSERT INTO checks(" CG_CHECK_COLUMNS ", answer) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)");
    ins.bind(1, c.check_id)
        .bind(2, c.department)
        .bind(3, c.actor)
        .bind(4, c.scenario)
        .bind(5, c.purpose)
        .bind(6, c.case_ref)
        .bind(7, c.on)
        .bind(8, c.catalog)
        .bind(9, c.verdict)
        .bind(10, c.subjects)
        .bind(11, c.hits)
        .bind(12, c.checked_at)
        .bind(13, c.answer);
    return ins.run();
  });
}

Result<std::optional<StoredCheck>> SqliteChecks::get(const std::string& check_id) {
  Stmt st(c_.db(), "SELECT " CG_CHECK_COLUMNS ", answer FROM checks WHERE check_id=?");
  st.bind(1, check_id);
  auto row = st.step();
  if (!row.ok()) return row.error();
  if (!*row) return std::optional<StoredCheck>();
  return std::optional<StoredCheck>(read_row(st, true));
}

Result<std::vector<StatisticsRow>> SqliteChecks::statistics(const StatisticsQuery& q) {
  const auto period = period_sql(q.period, "substr(checked_at, 1, 10)");
  if (!period) return make_error("bad_request", "period is day, month, quarter or year", "period");
  Stmt st(c_.db(), "WITH c AS (SELECT " + *period + " AS p, " + (q.by_department ? "department" : "''") +
                       " AS d, verdict, subjects, hits FROM checks WHERE checked_at >= ?1 AND checked_at < "
                       "date(?2, '+1 day')) "
                       "SELECT p, d, 'checks:' || verdict AS f, count(*) FROM c GROUP BY p, d, f "
                       "UNION ALL SELECT p, d, 'checked_subjects', sum(subjects) FROM c GROUP BY p, d "
                       "UNION ALL SELECT p, d, 'hit_subjects', sum(hits) FROM c GROUP BY p, d ORDER BY 1, 2, 3");
  st.bind(1, q.from).bind(2, q.to.empty() ? "9999-12-30" : q.to);  // checked_at: RFC 3339, its day first
  std::vector<StatisticsRow> out;
  auto read = sqlite::each_row(st, [&] {
    StatisticsRow r{st.col_text(0), st.col_text(1), "", "", st.col_text(2), st.col_int(3)};
    if (figure_wanted(q.figure, r.figure)) out.push_back(std::move(r));
  });
  if (!read) return read.error();
  return out;
}

Result<std::vector<StoredCheck>> SqliteChecks::list(const CheckFilter& f) {
  // checked_at is RFC 3339 in CST: its first 10 characters are the day.
  Stmt st(c_.db(), "SELECT " CG_CHECK_COLUMNS
                   " FROM checks WHERE (?1='' OR department=?1) AND (?2='' OR substr(checked_at, 1, 10) >= ?2) AND "
                   "(?3='' OR substr(checked_at, 1, 10) <= ?3) AND (?4='' OR verdict=?4) AND "
                   "(?5='' OR rowid < (SELECT rowid FROM checks WHERE check_id=?5)) ORDER BY rowid DESC LIMIT ?6");
  st.bind(1, f.department)
      .bind(2, f.from)
      .bind(3, f.to)
      .bind(4, f.verdict)
      .bind(5, f.before_id)
      .bind(6, static_cast<int64_t>(f.limit));
  std::vector<StoredCheck> out;
  if (auto s = sqlite::each_row(st, [&] { out.push_back(read_row(st, false)); }); !s) return s.error();
  return out;
}

}  // namespace cg::store::sqlite_store
