// The audit port: who did what to which record, from where. Every change the
// other ports make is audited by them in its own transaction; this port adds
// the entries of operators' and rules' actions and reads the log.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace cg::store {

struct AuditEntry {
  std::string actor;      // "operator:alice", "sync:provincial"
  std::string action;     // "sync.change", "quarantine.replayed", ...
  std::string record_id;  // empty: not about one record
  int64_t version = 0;    // 0: none
  std::string source;     // a change id, a file, "admin"
  nlohmann::json detail = nlohmann::json::object();
};

struct AuditRow {
  int64_t id = 0;
  std::string at, actor, action, record_id, source;
  int64_t version = 0;
  nlohmann::json detail;
};

class AuditLog {
 public:
  virtual ~AuditLog() = default;

  virtual Status append(const AuditEntry& entry) = 0;
  // An operator's action: no record, source "admin".
  Status append(const std::string& actor, const std::string& action, const nlohmann::json& detail) {
    return append(AuditEntry{actor, action, "", 0, "admin", detail});
  }
  // A record's entries in order (including those from before it was stored,
  // such as its quarantine), or with an empty id the latest `limit` of all.
  virtual Result<std::vector<AuditRow>> list(const std::string& record_id, size_t limit) = 0;
};

}  // namespace cg::store
