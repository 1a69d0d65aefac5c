// The 双公示 ledger on SQLite: `publicity`, a row per local licence and
// penalty (by rid), written with the record's versions; `publicity_accepted`,
// each platform's first acceptance, written with the batch's answer; and
// `publicity_noted`, the states the log has named.
#pragma once

#include "record/record.hpp"
#include "store/publicity.hpp"
#include "store/sqlite/audit_log.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/statistics.hpp"

namespace cg::store::sqlite_store {

// The kinds that 双公示 covers (catalog.md).
bool publicised_kind(const std::string& kind);

class SqlitePublicity final : public Publicity {
 public:
  SqlitePublicity(Connection& c, SqliteAuditLog& audit, SqliteStatistics& statistics)
      : c_(c), audit_(audit), statistics_(statistics) {}
  Status prepare();

  Result<std::vector<PublicityRow>> list(const PublicityFilter& f) override;
  Result<std::vector<PublicityNote>> note(const std::vector<PublicityNote>& notes, const std::string& actor,
                                          const std::string& now) override;
  Result<size_t> count_first_acceptances(
      const std::function<std::string(const std::string& decided_on, const std::string& accepted_on)>& state_of,
      size_t max) override;

  // In the version's transaction: a local licence or penalty, its decision
  // date and document number as the version has them.
  Status keep(const Record& r, int64_t rid, const std::string& origin);
  // In the batch answer's transaction, before its outbox entries go: the
  // entries `first`..`last` of `destination`, all accepted; or one record.
  Status accepted(const std::string& destination, int64_t first, int64_t last, const std::string& now);
  Status accepted_rid(const std::string& destination, int64_t rid, const std::string& now);

 private:
  Connection& c_;
  SqliteAuditLog& audit_;
  SqliteStatistics& statistics_;
  sqlite::Stmt keep_, accept_, first_, fresh_;
};

}  // namespace cg::store::sqlite_store
