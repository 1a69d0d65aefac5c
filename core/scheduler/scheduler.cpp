#include "scheduler/scheduler.hpp"

#include <unistd.h>

#include "common/clock.hpp"
#include "common/log.hpp"
#include "common/thread_name.hpp"

namespace cg::scheduler {

using nlohmann::json;
using SysClock = std::chrono::system_clock;

Result<store::JobRun> run_job_now(const std::string& name, const JobFn& fn, store::StoreAccess& store,
                                  const std::string& owner) {
  auto locked = store.call([&](store::Store& s) { return s.jobs().try_lock(name, owner, 6 * 3600 * 1000); });
  if (!locked.ok()) return locked.error();
  if (!*locked) return make_error("job_running", "a run of '" + name + "' is already under way");
  store::JobRun run;
  run.job = name;
  run.started_at = now_rfc3339_cst();
  run.started_ms = unix_millis(SysClock::now());
  log::info("scheduler", "job started", {{"job", name}});
  Result<json> r = make_error("job", "not run");
  try {
    r = fn(store);
  } catch (const std::exception& e) {
    r = make_error("job", e.what());
  }
  run.finished_at = now_rfc3339_cst();
  if (r.ok()) {
    run.status = "ok";
    run.counts = *r;
  } else {
    run.status = "error";
    run.error = r.error().to_string();
  }
  store.call([&](store::Store& s) {
    (void)s.jobs().record_run(run);
    (void)s.jobs().unlock(name, owner);
  });
  log::write(r.ok() ? log::Level::Info : log::Level::Error, "scheduler", "job finished",
             {{"job", name}, {"status", run.status}, {"counts", run.counts}, {"error", run.error}});
  return run;
}

Scheduler::Scheduler(StoreFactory open_store, std::string owner)
    : open_store_(std::move(open_store)), owner_(std::move(owner)) {}

Scheduler::~Scheduler() {
  stop();
}

void Scheduler::add(const std::string& name, sdk::Cron cron, JobFn fn) {
  auto j = std::make_unique<Job>();
  j->name = name;
  j->cron = std::move(cron);
  j->fn = std::move(fn);
  jobs_[name] = std::move(j);
}

void Scheduler::launch(Job& job, const char* why) {
  if (job.running.exchange(true)) return;
  if (job.thread.joinable()) job.thread.join();
  log::info("scheduler", std::string("running job: ") + why, {{"job", job.name}});
  job.thread = std::thread([this, &job] {
    name_this_thread("cg-job-" + job.name);
    auto st = open_store_();
    if (!st.ok()) {
      std::lock_guard<std::mutex> lock(mu_);
      job.last_status = "error";
      job.last_error = st.error().to_string();
    } else {
      auto run = run_job_now(job.name, job.fn, **st, owner_);
      std::lock_guard<std::mutex> lock(mu_);
      if (run.ok()) {
        job.last_status = run->status;
        job.last_started_at = run->started_at;
        job.last_finished_at = run->finished_at;
        job.last_error = run->error;
        job.last_counts = run->counts;
      } else {
        job.last_status = "skipped";
        job.last_error = run.error().message;
      }
    }
    job.running = false;
  });
}

void Scheduler::start() {
  auto now = SysClock::now();
  auto st = open_store_();
  for (auto& [name, job] : jobs_) {
    job->next = job->cron.next_after(now).value_or(SysClock::time_point::max());
    if (!st.ok()) continue;
    auto runs = (*st)->call([&job = *job](store::Store& s) { return s.jobs().runs(job.name, 1); });
    if (!runs.ok() || runs->empty()) continue;  // never ran: nothing was missed
    auto due = job->cron.last_at_or_before(now);
    auto last = SysClock::time_point(std::chrono::milliseconds(runs->front().started_ms));
    if (due && last < *due) launch(*job, "a run was missed while the gateway was down");
  }
  thread_ = std::thread([this] {
    name_this_thread("cg-scheduler");
    loop();
  });
}

void Scheduler::loop() {
  while (!stop_) {
    auto now = SysClock::now();
    for (auto& [name, job] : jobs_) {
      if (now < job->next) continue;
      job->next = job->cron.next_after(now).value_or(SysClock::time_point::max());
      if (job->running) {
        log::warn("scheduler", "previous run still under way; this run is skipped", {{"job", name}});
        continue;
      }
      launch(*job, "scheduled");
    }
    for (int i = 0; i < 10 && !stop_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

void Scheduler::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  for (auto& [_, job] : jobs_)
    if (job->thread.joinable()) job->thread.join();
}

Status Scheduler::trigger(const std::string& name) {
  auto it = jobs_.find(name);
  if (it == jobs_.end()) {
    std::string known;
    for (const auto& [n, _] : jobs_) known += (known.empty() ? "" : ", ") + n;
    return make_error("unknown_job", "no job named '" + name + "' (jobs: " + known + ")");
  }
  if (it->second->running) return make_error("job_running", "job '" + name + "' is running; try again when it ends");
  launch(*it->second, "triggered");
  return {};
}

json Scheduler::status() const {
  std::lock_guard<std::mutex> lock(mu_);
  json out = json::array();
  for (const auto& [name, j] : jobs_) {
    out.push_back({{"job", name},
                   {"cron", j->cron.text()},
                   {"running", j->running.load()},
                   {"next_run", j->next == SysClock::time_point::max() ? std::string() : rfc3339_cst(j->next)},
                   {"last_status", j->last_status},
                   {"last_started_at", j->last_started_at},
                   {"last_finished_at", j->last_finished_at},
                   {"last_error", j->last_error},
                   {"last_counts", j->last_counts}});
  }
  return out;
}

}  // namespace cg::scheduler
