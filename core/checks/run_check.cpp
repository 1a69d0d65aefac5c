#include "checks/run_check.hpp"

#include <algorithm>
#include <set>

#include "checks/verdict.hpp"
#include "common/clock.hpp"
#include "common/random_hex.hpp"

namespace cg::checks {

using nlohmann::json;

namespace {

std::string scenario_names(const catalog::Catalog& c) {
  std::string out;
  for (const auto& [id, _] : c.scenarios) out += (out.empty() ? "" : ", ") + id;
  return out;
}

// The kinds that measures of the scenario apply to: to the subject itself,
// and to a legal representative (extends_to_legal_representative).
struct ScenarioKinds {
  std::vector<std::string> own, represented;
};

ScenarioKinds kinds_of(const catalog::Catalog& c, const std::string& scenario) {
  std::set<std::string> own, represented;
  for (const auto& m : c.measures) {
    if (std::find(m.scenarios.begin(), m.scenarios.end(), scenario) == m.scenarios.end()) continue;
    own.insert(m.applies_to.begin(), m.applies_to.end());
    if (m.extends_to_legal_representative) represented.insert(m.applies_to.begin(), m.applies_to.end());
  }
  return {{own.begin(), own.end()}, {represented.begin(), represented.end()}};
}

Result<SubjectRecords> records_of(store::Store& st, const ScenarioKinds& kinds, const CheckSubject& s) {
  SubjectRecords out;
  if (!s.invalid.empty()) return out;
  store::InForceQuery q;
  q.uscc = s.uscc.value_or("");
  q.id_number = s.uscc ? "" : s.id_number.value_or("");
  q.kinds = kinds.own;
  auto own = st.records().in_force(q);
  if (!own.ok()) return own.error();
  out.own = std::move(*own);
  if (s.id_number) {
    // A person's own records are those with their kind of document too.
    std::erase_if(out.own, [&](const store::StoredRecord& r) {
      return r.record.subject.id_type && *r.record.subject.id_type != *s.id_type;
    });
    q.as_legal_representative = true;
    q.kinds = kinds.represented;
    auto represented = st.records().in_force(q);
    if (!represented.ok()) return represented.error();
    out.represented = std::move(*represented);
  }
  return out;
}

}  // namespace

Result<CheckAnswer> run_check(store::Store& st, const catalog::CatalogHistory& catalogs, const CheckCall& call,
                              const CheckRequest& request) {
  const catalog::Catalog* catalog = catalogs.governing(request.on);
  if (!catalog)
    return make_error("bad_request",
                      "no catalog version is in effect on " + request.on + " (the first takes effect " +
                          catalogs.configured().effective_from + ")",
                      "on");
  if (!catalog->scenarios.count(request.scenario))
    return make_error("bad_request",
                      "scenario '" + request.scenario + "' is not one of catalog " + catalog->ref() + "'s (" +
                          scenario_names(*catalog) + ")",
                      "scenario");
  store::StoredCheck kept;
  kept.check_id = "c-" + random_hex(16);
  kept.department = call.department;
  kept.actor = call.actor;
  kept.scenario = request.scenario;
  kept.purpose = request.purpose;
  kept.case_ref = request.case_ref;
  kept.on = request.on;
  kept.catalog = catalog->ref();
  kept.checked_at = now_rfc3339_cst();
  kept.subjects = static_cast<int64_t>(request.subjects.size());
  json results = json::array();
  int worst = -1;
  const ScenarioKinds kinds = kinds_of(*catalog, request.scenario);
  for (const auto& s : request.subjects) {
    auto records = records_of(st, kinds, s);
    if (!records.ok()) return records.error();
    json answer = answer_subject(*catalog, request.scenario, request.on, s, *records);
    const std::string verdict = answer["verdict"];
    if (verdict == "restricted" || verdict == "incentive") ++kept.hits;
    if (verdict_rank(verdict) > worst) {
      worst = verdict_rank(verdict);
      kept.verdict = verdict;
    }
    results.push_back(std::move(answer));
  }
  json out = {{"check_id", kept.check_id},
              {"checked_at", kept.checked_at},
              {"catalog", kept.catalog},
              {"scenario", kept.scenario},
              {"on", kept.on},
              {"purpose", kept.purpose}};
  if (!kept.case_ref.empty()) out["case_ref"] = kept.case_ref;
  out["results"] = std::move(results);
  kept.answer = out.dump(-1, ' ', false, json::error_handler_t::replace);
  if (auto s = st.checks().add(kept); !s) return s.error();
  return CheckAnswer{std::move(out), std::move(kept.answer)};
}

json stored_answer(const store::StoredCheck& check) {
  json body = json::parse(check.answer, nullptr, false);
  if (!body.is_object()) body = json::object();
  body["department"] = check.department;
  body["checked_by"] = check.actor;
  return body;
}

}  // namespace cg::checks
