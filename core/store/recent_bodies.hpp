// The bodies of the record versions the ingest committed last, kept for the
// delivery claims that follow them.
//
// A claim sends each outbox entry with its record version's body. Read back
// from record_versions, that is an index seek and a table seek per entry and
// destination, on the store's one write connection, the gateway's busiest
// thread. A committed version's body never changes (record_versions rows are
// neither updated nor deleted, and records are never deleted, so a rid is
// never reused), so the bodies the ingest has just committed can be given
// from memory instead, provided only committed ones are: a body is staged
// while its transaction is open and kept only once it has committed.
//
// Bounded by bytes, the oldest out first; a claim reads what is not here from
// the table, as before. One thread uses it (the write connection's).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>
#include <utility>

namespace cg::store {

class RecentBodies {
 public:
  explicit RecentBodies(size_t max_bytes) : max_bytes_(max_bytes) {}

  bool enabled() const { return max_bytes_ > 0; }

  // A version written in the open transaction (past the bound, its oldest
  // staged ones are dropped: the newest are the next to be claimed).
  void stage(int64_t rid, int64_t version, const std::string& body);
  // The transaction committed: its staged bodies are kept.
  void publish();
  // It did not (or another transaction begins): they are dropped.
  void discard() {
    staged_.clear();
    staged_bytes_ = 0;
  }

  // The body of a committed version, or null when it is not kept.
  const std::string* find(int64_t rid, int64_t version) const;

  size_t size() const { return bodies_.size(); }
  size_t bytes() const { return bytes_; }

 private:
  struct Key {
    int64_t rid, version;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    size_t operator()(const Key& k) const noexcept {
      return std::hash<int64_t>{}(k.rid * 1000003 + k.version);
    }
  };
  static size_t cost(const std::string& body) {
    return body.size() + 64;
  }  // the map's node besides the text

  size_t max_bytes_;
  size_t bytes_ = 0;
  size_t staged_bytes_ = 0;
  std::unordered_map<Key, std::string, KeyHash> bodies_;
  std::deque<Key> order_;  // oldest first
  std::deque<std::pair<Key, std::string>> staged_;
};

}  // namespace cg::store
