#include "checks/run_check.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <optional>
#include <set>
#include <system_error>
#include <thread>

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

// The subjects of one check, answered by the threads that share it: each
// takes the next subject not yet taken (a company with thousands of
// records does not hold one thread while the others wait) and writes its
// answer as text, so that the check's text is these joined.
struct Answers {
  explicit Answers(size_t n) : texts(n), ranks(n, -1) {}
  std::atomic<size_t> next{0};
  std::vector<std::string> texts;
  std::vector<int> ranks;  // verdict_rank of each
  std::mutex failed_mu;
  std::optional<Error> failed;
};

void answer_subjects(store::Store& st, const catalog::Catalog& catalog, const ScenarioKinds& kinds,
                     const CheckRequest& request, Answers& out) noexcept {
  const size_t n = request.subjects.size();
  auto fail = [&](Error e) noexcept {
    std::lock_guard<std::mutex> lock(out.failed_mu);
    if (!out.failed) out.failed = std::move(e);
    out.next = n;  // the others stop too
  };
  try {
    for (size_t i = out.next++; i < n; i = out.next++) {
      const CheckSubject& s = request.subjects[i];
      auto records = records_of(st, kinds, s);
      if (!records.ok()) return fail(records.error());
      const json answer = answer_subject(catalog, request.scenario, request.on, s, *records);
      out.ranks[i] = verdict_rank(answer["verdict"].get_ref<const std::string&>());
      out.texts[i] = answer.dump(-1, ' ', false, json::error_handler_t::replace);
    }
  } catch (const std::exception& e) {
    fail(make_error("store", std::string("credit check: ") + e.what()));
  }
}

}  // namespace

Result<CheckAnswer> run_check(store::Store& st, const catalog::CatalogHistory& catalogs, const CheckCall& call,
                              const CheckRequest& request, std::span<store::Store* const> helpers) {
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
  const ScenarioKinds kinds = kinds_of(*catalog, request.scenario);
  const size_t n = request.subjects.size();
  const size_t threads_wanted = n < kSharedCheckFrom ? 0 : std::min(helpers.size(), n / (kSharedCheckFrom / 2) - 1);
  Answers answers(n);
  {
    std::vector<std::jthread> threads;
    for (size_t t = 0; t < threads_wanted; ++t) try {
        threads.emplace_back([&, t] { answer_subjects(*helpers[t], *catalog, kinds, request, answers); });
      } catch (const std::system_error&) {  // no thread to be had: fewer share the check
        break;
      }
    answer_subjects(st, *catalog, kinds, request, answers);
  }
  if (answers.failed) return *answers.failed;
  json head = {{"check_id", kept.check_id},
               {"checked_at", kept.checked_at},
               {"catalog", kept.catalog},
               {"scenario", kept.scenario},
               {"on", kept.on},
               {"purpose", kept.purpose}};
  if (!kept.case_ref.empty()) head["case_ref"] = kept.case_ref;
  std::string text = head.dump(-1, ' ', false, json::error_handler_t::replace);
  size_t size = text.size() + 16;
  for (const auto& t : answers.texts) size += t.size() + 1;
  text.reserve(size);
  text.pop_back();  // the closing brace: the results follow
  text += ",\"results\":[";
  CheckAnswer out;
  out.results.reserve(n);
  int worst = -1;
  for (size_t i = 0; i < n; ++i) {
    const int rank = answers.ranks[i];
    if (rank == verdict_rank("restricted") || rank == verdict_rank("incentive")) ++kept.hits;
    worst = std::max(worst, rank);
    if (i) text += ',';
    text += answers.texts[i];
    out.results.push_back(std::move(answers.texts[i]));
  }
  text += "]}";
  kept.verdict = verdict_name(worst);
  kept.answer = std::move(text);
  if (auto s = st.checks().add(kept); !s) return s.error();
  out.check_id = kept.check_id;
  out.catalog = kept.catalog;
  out.text = std::move(kept.answer);
  return out;
}

json stored_answer(const store::StoredCheck& check) {
  json body = json::parse(check.answer, nullptr, false);
  if (!body.is_object()) body = json::object();
  body["department"] = check.department;
  body["checked_by"] = check.actor;
  return body;
}

}  // namespace cg::checks
