#include "gateway/wiring.hpp"

#include "catalog/catalog_loader.hpp"
#include "catalog/feedback_routes.hpp"
#include "common/clock.hpp"
#include "common/log.hpp"
#include "delivery/reconcile.hpp"
#include "delivery/routing.hpp"
#include "department_api/feedback.hpp"
#include "lifecycle/expiry.hpp"
#include "publicity/publicity_report.hpp"
#include "sync/sync_job.hpp"

namespace cg::gateway {

using nlohmann::json;

store::StoreOptions existing_store() {
  store::StoreOptions o;
  o.create = false;
  return o;
}

Result<std::unique_ptr<store::Store>> open_configured_store(const config::Config& cfg, store::StoreOptions opts) {
  opts.synchronous = cfg.store.synchronous;
  opts.checks_synchronous = cfg.store.checks_synchronous;
  auto st = store::open_sqlite_store(cfg.store.path, opts);
  if (!st.ok()) return st.error();
  if (auto routed = configure_routes(**st, cfg); !routed.ok()) return routed.error();
  return st;
}

ingest::FeedbackTaker feedback_taker(const config::Config& cfg) {
  return [destinations = cfg.feedback_destinations(), router = delivery::make_router(cfg.destinations)](
             store::Store& st, const std::string& department, const std::string& actor, std::string_view body) {
    department_api::FeedbackCall call{department, actor, destinations, router,
                                      date_cst(std::chrono::system_clock::now())};
    return department_api::take_feedback(st, call, body);
  };
}

Result<catalog::CatalogHistory> configure_routes(store::Store& st, const config::Config& cfg) {
  auto catalog = catalog::load_catalog(cfg.catalog_file, cfg.department_ids());
  if (!catalog.ok()) return catalog.error();
  // Every version ever loaded is kept, so that what names it can be read against it.
  if (auto kept = st.catalogs().keep(catalog->ref(), catalog->effective_from, catalog->text); !kept.ok())
    return make_error(kept.error().code, kept.error().message, cfg.catalog_file);
  auto calendar = calendar::WorkingDays::load_dir(cfg.calendar_dir);
  if (!calendar.ok()) return calendar.error();
  auto history = catalog::history_from_ledger(std::move(*catalog), st.catalogs());
  if (!history.ok()) return history.error();
  const std::string today = date_cst(std::chrono::system_clock::now());
  const catalog::Catalog& configured = history->configured();
  if (configured.effective_from > today) {
    const catalog::Catalog* now = history->governing(today);
    log::warn("catalog",
              "the configured catalog takes effect later; until then " +
                  (now ? now->ref() + " governs" : std::string("no catalog governs: no measure applies")),
              {{"catalog", configured.ref()}, {"effective_from", configured.effective_from}});
  }
  st.outbox().set_router(delivery::make_router(cfg.destinations));
  st.feedback().set_router(catalog::make_feedback_router(*history, std::move(*calendar)));
  return history;
}

Result<scheduler::JobFn> job_function(const config::Config& cfg, const std::string& name) {
  if (name == "sync") {
    const auto* d = sync::pull_destination(cfg);
    if (!d) return make_error("job", "no destination has \"pull\": true");
    config::DestinationConfig dest = *d;
    return scheduler::JobFn([cfg, dest](store::StoreAccess& s) { return sync::run_sync(cfg, dest, s); });
  }
  if (name == "reconcile") {
    bool requeue = true;
    for (const auto& j : cfg.jobs)
      if (j.name == "reconcile") requeue = j.options.value("requeue", true);
    return scheduler::JobFn([cfg, requeue](store::StoreAccess& s) -> Result<json> {
      // Yesterday (CST): the platform's figures for a day are final once it is over.
      std::string day = date_cst(std::chrono::system_clock::now() - std::chrono::hours(24));
      json out = json::array();
      for (const auto& d : cfg.destinations) {
        auto r = delivery::reconcile(cfg, d, s, day, requeue, "job:reconcile");
        if (!r.ok()) return r.error();
        out.push_back(*r);
      }
      return json{{"date", day}, {"destinations", out}};
    });
  }
  if (name == "expiry") {
    return scheduler::JobFn([](store::StoreAccess& access) -> Result<json> {
      const std::string today = date_cst(std::chrono::system_clock::now());
      auto n = access.call([&](store::Store& s) { return lifecycle::expire_due(s, today, "job:expiry"); });
      if (!n.ok()) return n.error();
      return json{{"expired", *n}};
    });
  }
  if (name == "overdue") {
    return scheduler::JobFn([](store::StoreAccess& access) -> Result<json> {
      const std::string today = date_cst(std::chrono::system_clock::now());
      int64_t found = 0;
      while (true) {  // each item named in the log once, when it is first found overdue
        auto items = access.call([&](store::Store& s) { return s.feedback().note_overdue(today, 1000); });
        if (!items.ok()) return items.error();
        for (const auto& f : *items)
          log::warn("feedback", "an item is overdue: its department has not reported on every measure by due_on",
                    {{"department", f.department},
                     {"item_id", f.id},
                     {"record_id", f.record_id},
                     {"due_on", f.due_on},
                     {"catalog", f.catalog}});
        found += static_cast<int64_t>(items->size());
        if (items->size() < 1000) break;
      }
      return json{{"newly_overdue", found}};
    });
  }
  if (name == "publicity") {
    return scheduler::JobFn([dir = cfg.calendar_dir](store::StoreAccess& access) -> Result<json> {
      auto days = calendar::WorkingDays::load_dir(dir);
      if (!days.ok()) return days.error();
      const std::string now = now_rfc3339_cst();
      publicity::ReportFilter f;
      f.unaccepted = true;
      auto entries = access.call([&](store::Store& s) { return publicity::report(s, *days, f, now.substr(0, 10)); });
      if (!entries.ok()) return entries.error();
      // Each licence or penalty named in the log once when it becomes at risk
      // and once when it becomes overdue.
      std::vector<store::PublicityNote> states;
      std::map<std::string, const publicity::ReportEntry*> by_id;
      for (const auto& e : *entries)
        if (e.timeliness.state == "at_risk" || e.timeliness.state == "overdue") {
          states.push_back({e.row.record_id, e.timeliness.state, e.row.department, e.row.kind});
          by_id[e.row.record_id] = &e;
        }
      auto fresh = access.call([&](store::Store& s) { return s.publicity().note(states, "job:publicity", now); });
      if (!fresh.ok()) return fresh.error();
      // First acceptances since the last run, counted on time or late.
      auto state_of = [&](const std::string& decided_on, const std::string& accepted_on) {
        auto t = publicity::timeliness(*days, decided_on, accepted_on, accepted_on, false);
        return t.ok() ? t->state : std::string("unknown");
      };
      size_t counted = 0;
      for (;;) {
        auto n = access.call([&](store::Store& s) { return s.publicity().count_first_acceptances(state_of, 2000); });
        if (!n.ok()) return n.error();
        counted += *n;
        if (*n < 2000) break;
      }
      for (const auto& note : *fresh) {
        const std::string& id = note.record_id;
        const std::string& state = note.state;
        const auto& e = *by_id.at(id);
        log::warn("publicity",
                  state == "at_risk" ? "a licence or penalty is at risk of missing its 双公示 deadline"
                                     : "a licence or penalty missed its 双公示 deadline",
                  {{"department", e.row.department},
                   {"record_id", id},
                   {"kind", e.row.kind},
                   {"decided_on", e.row.decided_on},
                   {"due_on", e.timeliness.due_on},
                   {"state", state},
                   {"reason", e.reason}});
      }
      json counts = json::object();
      for (const auto& [key, n] : publicity::counts(*entries)) counts[key.first][key.second] = n;
      return json{{"unpublished", counts}, {"newly_noted", fresh->size()}, {"acceptances_counted", counted}};
    });
  }
  return make_error("job", "unknown job '" + name + "' (sync, reconcile, expiry, overdue, publicity)");
}

Result<std::vector<JobDef>> configured_jobs(const config::Config& cfg) {
  std::vector<JobDef> out;
  for (const auto& j : cfg.jobs) {
    if (j.name == "sync" && !sync::pull_destination(cfg)) continue;
    if (j.name == "reconcile" && cfg.destinations.empty()) continue;
    auto cron = sdk::Cron::parse(j.cron);
    if (!cron.ok()) return make_error("config", cron.error().message, "/jobs/" + j.name + "/cron");
    auto fn = job_function(cfg, j.name);
    if (!fn.ok()) return fn.error();
    out.push_back({j.name, *cron, *fn});
  }
  return out;
}

}  // namespace cg::gateway
