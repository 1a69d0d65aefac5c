#include "store/sqlite/catalog_ledger.hpp"

#include "common/clock.hpp"
#include "common/hash.hpp"

namespace cg::store::sqlite_store {

using sqlite::Stmt;

Result<bool> SqliteCatalogLedger::keep(const std::string& ref, const std::string& effective_from,
                                       const std::string& text) {
  const std::string digest = sha256_hex(text);
  // Whether it is kept already: read first, so that a version kept before
  // costs no write transaction.
  auto kept_before = [&]() -> Result<bool> {
    Stmt kept(c_.db(), "SELECT digest FROM catalog_versions WHERE ref=?");
    kept.bind(1, ref);
    auto row = kept.step();
    if (!row.ok()) return row.error();
    if (!*row) return false;
    if (kept.col_text(0) == digest) return true;
    return make_error("catalog_edited", "catalog " + ref +
                                            " was loaded before with other content: a published version is not "
                                            "edited, give the new content a new version");
  };
  if (auto k = kept_before(); !k.ok() || *k) return k.ok() ? Result<bool>(false) : k;
  return c_.write(Commit::Durable, [&]() -> Result<bool> {
    if (auto k = kept_before(); !k.ok() || *k) return k.ok() ? Result<bool>(false) : k;
    const std::string now = now_rfc3339_cst();
    Stmt ins(c_.db(), "INSERT INTO catalog_versions(ref, effective_from, digest, text, loaded_at) VALUES(?,?,?,?,?)");
    ins.bind(1, ref).bind(2, effective_from).bind(3, digest).bind(4, text).bind(5, now);
    if (auto s = ins.run(); !s) return s.error();
    if (auto s = audit_.append(AuditEntry{"gateway",
                                          "catalog.loaded",
                                          "",
                                          0,
                                          ref,
                                          {{"catalog", ref}, {"effective_from", effective_from}, {"digest", digest}}});
        !s)
      return s.error();
    return true;
  });
}

Result<std::vector<CatalogVersion>> SqliteCatalogLedger::versions() {
  Stmt st(c_.db(), "SELECT ref, effective_from, digest, loaded_at FROM catalog_versions ORDER BY loaded_at, rowid");
  std::vector<CatalogVersion> out;
  for (;;) {
    auto row = st.step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    out.push_back({st.col_text(0), st.col_text(1), st.col_text(2), st.col_text(3)});
  }
  return out;
}

Result<std::optional<std::string>> SqliteCatalogLedger::text(const std::string& ref) {
  Stmt st(c_.db(), "SELECT text FROM catalog_versions WHERE ref=?");
  st.bind(1, ref);
  auto row = st.step();
  if (!row.ok()) return row.error();
  if (!*row) return std::optional<std::string>{};
  return std::optional<std::string>(st.col_text(0));
}

}  // namespace cg::store::sqlite_store
