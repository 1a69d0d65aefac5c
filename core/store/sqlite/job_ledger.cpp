#include "store/sqlite/job_ledger.hpp"

namespace cg::store::sqlite_store {

using nlohmann::json;
using sqlite::Stmt;

Status SqliteJobLedger::record_run(const JobRun& r) {
  return c_.write(Commit::Durable, [&] {
    Stmt st(
        c_.db(),
        "INSERT INTO job_runs(job, started_at, started_ms, finished_at, status, counts, error) VALUES(?,?,?,?,?,?,?)");
    st.bind(1, r.job)
        .bind(2, r.started_at)
        .bind(3, r.started_ms)
        .bind(4, r.finished_at)
        .bind(5, r.status)
        .bind(6, r.counts.dump())
        .bind(7, r.error);
    return st.run();
  });
}

Result<std::vector<JobRun>> SqliteJobLedger::runs(const std::string& job, size_t limit) {
  Stmt st(c_.db(),
          "SELECT job, started_at, started_ms, finished_at, status, counts, error FROM job_runs WHERE job=? "
          "ORDER BY id DESC LIMIT ?");
  st.bind(1, job).bind(2, static_cast<int64_t>(limit));
  std::vector<JobRun> out;
  while (true) {
    auto r = st.step();
    if (!r.ok()) return r.error();
    if (!*r) break;
    JobRun j;
    j.job = st.col_text(0);
    j.started_at = st.col_text(1);
    j.started_ms = st.col_int(2);
    j.finished_at = st.col_text(3);
    j.status = st.col_text(4);
    j.counts = json::parse(st.col_text(5), nullptr, false);
    j.error = st.col_text(6);
    out.push_back(std::move(j));
  }
  return out;
}

Result<bool> SqliteJobLedger::try_lock(const std::string& job, const std::string& owner, int64_t ttl_ms) {
  return c_.write(Commit::Durable, [&]() -> Result<bool> {
    Stmt st(c_.db(),
            "INSERT INTO job_locks(job, owner, until_ms) VALUES(?,?,?) ON CONFLICT(job) DO UPDATE SET "
            "owner=excluded.owner, until_ms=excluded.until_ms WHERE job_locks.until_ms < ? OR job_locks.owner = ?");
    int64_t now = now_ms();
    st.bind(1, job).bind(2, owner).bind(3, now + ttl_ms).bind(4, now).bind(5, owner);
    if (auto s = st.run(); !s) return s.error();
    return c_.db().changes() == 1;
  });
}

Status SqliteJobLedger::unlock(const std::string& job, const std::string& owner) {
  return c_.write(Commit::Durable, [&] {
    Stmt st(c_.db(), "DELETE FROM job_locks WHERE job=? AND owner=?");
    st.bind(1, job).bind(2, owner);
    return st.run();
  });
}

}  // namespace cg::store::sqlite_store
