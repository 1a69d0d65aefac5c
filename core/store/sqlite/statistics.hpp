// The statistics port on SQLite: `stats_daily`, one row per day, figure,
// department, kind and destination, its count raised in the transaction of
// what it counts.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <tuple>

#include "store/sqlite/connection.hpp"
#include "store/statistics.hpp"

namespace cg::store::sqlite_store {

// Counts gathered while a transaction runs, written once before it ends:
// (figure, department, kind, destination) -> n.
using Tally = std::map<std::tuple<std::string, std::string, std::string, std::string>, int64_t>;

// The SQL of `period` (day, month, quarter, year) over a YYYY-MM-DD
// expression; nothing for another period.
std::optional<std::string> period_sql(const std::string& period, const std::string& day);

class SqliteStatistics final : public Statistics {
 public:
  explicit SqliteStatistics(Connection& c) : c_(c) {}
  Status prepare();

  Result<std::vector<StatisticsRow>> query(const StatisticsQuery& q) override;

  // In the caller's transaction: each count of `tally` added to `day`'s.
  Status add(const std::string& day, const Tally& tally);
  // In the batch answer's transaction, before its outbox entries go: the
  // entries `first`..`last` of `destination`, each counted as `figure` by
  // its record's department and kind.
  Status add_outbox_range(const std::string& day, const std::string& figure, const std::string& destination,
                          int64_t first, int64_t last);

 private:
  Connection& c_;
  sqlite::Stmt add_;
};

}  // namespace cg::store::sqlite_store
