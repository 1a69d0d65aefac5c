#include "supervisor/plugin_supervisor.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "common/clock.hpp"
#include "common/log.hpp"
#include "plugin_host/plugin_library.hpp"

namespace cg::supervisor {

namespace fs = std::filesystem;
using nlohmann::json;
using State = PluginInstance::State;

const char* state_name(State s) {
  switch (s) {
    case State::Starting:
      return "starting";
    case State::Running:
      return "running";
    case State::Draining:
      return "draining";
    case State::Backoff:
      return "backoff";
    case State::Failed:
      return "failed";
    case State::Refused:
      return "refused";
    case State::Stopped:
      return "stopped";
  }
  return "?";
}

namespace {

// A file's SHA-256, or empty when it cannot be read (it is looked at again
// at the next scan).
std::string file_sha256(const std::string& path) {
  auto sha = plugin_host::file_sha256(path);
  return sha.ok() ? *sha : std::string();
}

std::string identity_of(pid_t pid) {
  return "h" + std::to_string(pid);
}

}  // namespace

PluginSupervisor::PluginSupervisor(const config::Config& cfg, std::string self_exe, Sender send)
    : cfg_(cfg), exe_(std::move(self_exe)), send_(std::move(send)) {
  std::error_code ec;
  fs::create_directories(cfg_.plugin_copies_dir(), ec);
  fs::create_directories(cfg_.plugins.dir, ec);
}

PluginSupervisor::~PluginSupervisor() {
  for (auto& [_, inst] : instances_)
    if (inst.pid > 0) {
      kill(inst.pid, SIGKILL);
      waitpid(inst.pid, nullptr, 0);
    }
}

bool PluginSupervisor::allowed(const std::string& sha) {
  auto digests = config::allowed_digests(cfg_.plugins);
  if (!digests.ok()) {
    log::error("supervisor", digests.error().to_string());
    return false;
  }
  return std::find(digests->begin(), digests->end(), sha) != digests->end();
}

void PluginSupervisor::tick() {
  reap();
  auto now = Clock::now();
  if (!shutting_down_ && now >= next_scan_) {
    scan();
    next_scan_ = now + std::chrono::milliseconds(cfg_.plugins.scan_interval_ms);
  }
  for (auto it = instances_.begin(); it != instances_.end();) {
    auto& inst = it->second;
    if ((inst.state == State::Running || inst.state == State::Starting) && inst.pid > 0) {
      auto since = now - std::max(inst.last_beat, inst.started);
      if (since > std::chrono::milliseconds(cfg_.plugins.hang_timeout_ms)) {
        log::error("supervisor", "plugin host stopped answering; killing it",
                   {{"file", inst.file},
                    {"plugin", inst.plugin},
                    {"pid", inst.pid},
                    {"hang_timeout_ms", cfg_.plugins.hang_timeout_ms}});
        inst.last_error = "hung (no heartbeat)";
        kill(inst.pid, SIGKILL);
      }
    }
    if (inst.state == State::Draining && inst.pid > 0 &&
        now - inst.started > std::chrono::milliseconds(cfg_.plugins.drain_timeout_ms) && inst.next_start < now) {
      // next_start doubles as the drain deadline while draining.
      log::warn("supervisor", "plugin did not drain in time; killing it (its unacknowledged input stays at the source)",
                {{"file", inst.file}, {"pid", inst.pid}});
      kill(inst.pid, SIGKILL);
    }
    if (inst.state == State::Backoff && now >= inst.next_start) {
      if (shutting_down_)
        inst.state = State::Stopped;
      else
        start(inst);
    }
    if (inst.state == State::Stopped && inst.remove_when_stopped) {
      it = instances_.erase(it);
      continue;
    }
    ++it;
  }
}

void PluginSupervisor::scan() {
  const bool first_scan = !scanned_once_;
  scanned_once_ = true;
  const auto interval = std::chrono::milliseconds(cfg_.plugins.scan_interval_ms);
  std::error_code ec;
  std::map<std::string, bool> present;
  for (const auto& e : fs::directory_iterator(cfg_.plugins.dir, ec)) {
    if (!e.is_regular_file() || e.path().extension() != ".so") continue;
    std::string file = e.path().filename().string();
    present[file] = true;
    auto size = e.file_size(ec);
    auto mtime = static_cast<int64_t>(e.last_write_time(ec).time_since_epoch().count());
    Seen& s = seen_[file];
    if (s.size != size || s.mtime != mtime) {  // new or still being written: wait one more scan
      s = Seen{size, mtime, false, ""};
      // A file already there when the gateway starts, and not written since
      // the scan interval, is taken at once (its copy is checked by digest).
      if (!first_scan || fs::file_time_type::clock::now() - e.last_write_time(ec) < interval) continue;
    }
    if (!s.stable) {
      s.sha = file_sha256(e.path().string());
      if (s.sha.empty()) continue;  // not readable now: the next scan
      s.stable = true;
    }
    auto it = instances_.find(file);
    if (it != instances_.end() && it->second.state != State::Refused &&
        (it->second.sha256 == s.sha || it->second.pending_sha == s.sha))
      continue;
    if (!allowed(s.sha)) {  // asked again on every scan: an allowlisted digest is taken without a reload
      if (refused_logged_[file] != s.sha) {
        log::error("supervisor",
                   "plugin refused: its SHA-256 is not on the allowlist; add it there (sha256sum format) and the "
                   "plugin starts at the next scan",
                   {{"file", file}, {"sha256", s.sha}, {"allowlist_file", cfg_.plugins.allowlist_file}});
        refused_logged_[file] = s.sha;
      }
      if (it == instances_.end()) {
        PluginInstance inst;
        inst.file = file;
        inst.sha256 = s.sha;
        inst.state = State::Refused;
        inst.last_error = "not on the allowlist";
        instances_[file] = inst;
      }
      continue;
    }
    auto verified = plugin_host::copy_verified(e.path().string(), s.sha, cfg_.plugin_copies_dir());
    if (!verified.ok()) {  // changed while copying, say: the next scan looks again
      log::warn("supervisor", "plugin not copied: " + verified.error().message, {{"file", file}});
      s.stable = false;
      continue;
    }
    const std::string& copy = *verified;
    if (it == instances_.end() || it->second.state == State::Refused || it->second.state == State::Failed ||
        it->second.state == State::Stopped || it->second.state == State::Backoff) {
      PluginInstance inst;
      if (it != instances_.end()) inst.restarts = it->second.restarts;
      inst.file = file;
      inst.sha256 = s.sha;
      inst.copy_path = copy;
      instances_[file] = inst;
      const char* why = it == instances_.end()               ? "new plugin found"
                        : it->second.state == State::Refused ? "plugin now on the allowlist; starting it"
                                                             : "plugin file changed; starting it";
      log::info("supervisor", why, {{"file", file}, {"sha256", s.sha}});
      start(instances_[file]);
    } else {
      log::info("supervisor", "plugin replaced; the old version drains first",
                {{"file", file}, {"old_sha256", it->second.sha256}, {"new_sha256", s.sha}});
      it->second.pending_sha = s.sha;
      stop(it->second);
    }
  }
  for (auto& [file, inst] : instances_) {
    if (present.count(file) || inst.remove_when_stopped) continue;
    log::info("supervisor", "plugin removed from the folder; stopping it", {{"file", file}});
    inst.remove_when_stopped = true;
    inst.pending_sha.clear();
    if (inst.pid > 0)
      stop(inst);
    else
      inst.state = State::Stopped;
    seen_.erase(file);
  }
}

void PluginSupervisor::start(PluginInstance& inst) {
  std::string adapters_file = cfg_.run_dir() + "/adapters.json";
  {
    std::ofstream out(adapters_file + ".tmp", std::ios::trunc);
    out << cfg_.adapters.dump();
  }
  std::error_code ec;
  fs::rename(adapters_file + ".tmp", adapters_file, ec);
  std::vector<std::string> args = {exe_,
                                   "plugin-host",
                                   "--plugin",
                                   inst.copy_path,
                                   "--file",
                                   inst.file,
                                   "--sha256",
                                   inst.sha256,
                                   "--endpoint",
                                   cfg_.router_endpoint,
                                   "--adapters",
                                   adapters_file,
                                   "--state-root",
                                   cfg_.data_dir + "/state",
                                   "--max-inflight",
                                   std::to_string(cfg_.plugins.max_inflight),
                                   "--heartbeat-ms",
                                   std::to_string(cfg_.plugins.heartbeat_ms),
                                   "--log-level",
                                   cfg_.log_level};
  pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(exe_.c_str(), argv.data());
    _exit(127);
  }
  if (pid < 0) {
    crashed(inst, "fork failed");
    return;
  }
  inst.pid = pid;
  inst.state = State::Starting;
  inst.started = Clock::now();
  inst.last_beat = inst.started;
  log::info("supervisor", "plugin host started", {{"file", inst.file}, {"pid", pid}});
}

void PluginSupervisor::stop(PluginInstance& inst) {
  if (inst.pid <= 0) {
    inst.state = State::Stopped;
    return;
  }
  inst.state = State::Draining;
  inst.started = Clock::now();
  inst.next_start = Clock::now() + std::chrono::milliseconds(cfg_.plugins.drain_timeout_ms);
  send_(identity_of(inst.pid), router::Drain{});
}

void PluginSupervisor::crashed(PluginInstance& inst, const std::string& why) {
  inst.restarts++;
  inst.backoff_ms =
      inst.backoff_ms == 0 ? cfg_.plugins.restart_min_ms : std::min(cfg_.plugins.restart_max_ms, inst.backoff_ms * 2);
  static thread_local std::mt19937 rng{std::random_device{}()};
  int64_t jitter = std::uniform_int_distribution<int64_t>(0, inst.backoff_ms / 4)(rng);
  inst.state = State::Backoff;
  inst.next_start = Clock::now() + std::chrono::milliseconds(inst.backoff_ms + jitter);
  inst.last_error = why;
  log::error("supervisor", "plugin host died; restarting it after backoff (its unacknowledged input is taken again)",
             {{"file", inst.file},
              {"plugin", inst.plugin},
              {"reason", why},
              {"restarts", inst.restarts},
              {"backoff_ms", inst.backoff_ms + jitter}});
}

void PluginSupervisor::reap() {
  while (true) {
    int status = 0;
    pid_t pid = waitpid(-1, &status, WNOHANG);
    if (pid <= 0) return;
    for (auto& [file, inst] : instances_) {
      if (inst.pid != pid) continue;
      inst.pid = 0;
      bool clean = WIFEXITED(status) && WEXITSTATUS(status) == router::kExitDrained;
      bool fatal = WIFEXITED(status) && WEXITSTATUS(status) == router::kExitFatal;
      if (inst.state == State::Draining) {
        if (!inst.pending_sha.empty()) {
          std::string sha = inst.pending_sha;
          inst.pending_sha.clear();
          inst.sha256 = sha;
          inst.copy_path = cfg_.plugin_copies_dir() + "/" + sha + ".so";
          inst.backoff_ms = 0;
          log::info("supervisor", "old plugin drained; starting the new version", {{"file", file}, {"sha256", sha}});
          start(inst);
        } else {
          inst.state = State::Stopped;
        }
      } else if (fatal) {
        inst.state = State::Failed;
        log::error("supervisor", "plugin cannot run; it stays stopped until its file changes",
                   {{"file", file}, {"error", inst.last_error}});
      } else if (clean) {
        inst.state = State::Stopped;
      } else {
        std::string why = WIFSIGNALED(status) ? std::string("killed by signal ") + std::to_string(WTERMSIG(status))
                                              : "exited with status " + std::to_string(WEXITSTATUS(status));
        if (inst.last_error == "hung (no heartbeat)") why = "hung (no heartbeat), " + why;
        crashed(inst, why);
      }
      break;
    }
  }
}

PluginInstance* PluginSupervisor::by_identity(const std::string& identity) {
  for (auto& [_, inst] : instances_)
    if (inst.pid > 0 && identity_of(inst.pid) == identity) return &inst;
  return nullptr;
}

void PluginSupervisor::on_hello(const std::string& identity, const router::Hello& m) {
  auto* inst = by_identity(identity);
  if (!inst) return;
  inst->plugin = m.plugin;
  inst->version = m.version;
  inst->department = m.department;
  inst->feedback = m.feedback;
  if (inst->state == State::Starting) inst->state = State::Running;
  inst->last_beat = Clock::now();
  // A host that has been up for a while resets its backoff (see on_beat).
  log::info("supervisor", "plugin running",
            {{"file", inst->file},
             {"plugin", inst->plugin},
             {"version", inst->version},
             {"department", inst->department},
             {"pid", inst->pid}});
}

void PluginSupervisor::on_beat(const std::string& identity) {
  auto* inst = by_identity(identity);
  if (!inst) return;
  inst->last_beat = Clock::now();
  if (inst->state == State::Running && inst->backoff_ms && Clock::now() - inst->started > std::chrono::seconds(60))
    inst->backoff_ms = 0;
}

void PluginSupervisor::on_fatal(const std::string& identity, const router::Fatal& m) {
  auto* inst = by_identity(identity);
  log::error("supervisor", "plugin refused to load: " + m.message,
             {{"file", m.file}, {"code", m.code}, {"gateway_abi", m.gateway_abi}});
  if (inst) inst->last_error = m.code + ": " + m.message;
}

void PluginSupervisor::on_unit_done(const std::string& identity, int status, size_t records, size_t quarantined) {
  auto* inst = by_identity(identity);
  if (!inst) return;
  inst->units++;
  inst->records += static_cast<int64_t>(records);
  inst->quarantined += static_cast<int64_t>(quarantined);
  if (status != 0) inst->failures++;
  inst->last_input_at = now_rfc3339_cst();
}

bool PluginSupervisor::drain_all(std::chrono::milliseconds deadline) {
  auto until = Clock::now() + deadline;
  shutting_down_ = true;
  for (auto& [_, inst] : instances_) {
    inst.pending_sha.clear();
    if (inst.pid > 0) stop(inst);
  }
  return until > Clock::now();
}

void PluginSupervisor::update_config(const config::Config& cfg) {
  config::Config old = cfg_;
  cfg_ = cfg;
  for (auto& [file, inst] : instances_) {
    if (inst.plugin.empty() || inst.pid <= 0) continue;
    json before = old.adapters.contains(inst.plugin) ? old.adapters[inst.plugin] : json::object();
    json after = cfg.adapters.contains(inst.plugin) ? cfg.adapters[inst.plugin] : json::object();
    if (before == after) continue;
    log::info("supervisor", "adapter config changed; the plugin drains and restarts with it",
              {{"file", file}, {"plugin", inst.plugin}});
    inst.pending_sha = inst.sha256;  // same code, new config
    stop(inst);
  }
  seen_.clear();  // the allowlist may have changed: look at every file again
  refused_logged_.clear();
  // A plugin that refused to start (its config, say) is tried again with the new config.
  for (auto it = instances_.begin(); it != instances_.end();)
    it = it->second.state == State::Refused || it->second.state == State::Failed ? instances_.erase(it) : std::next(it);
}

std::vector<std::pair<std::string, const PluginInstance*>> PluginSupervisor::running() const {
  std::vector<std::pair<std::string, const PluginInstance*>> out;
  for (const auto& [_, inst] : instances_)
    if (inst.state == State::Running && inst.pid > 0) out.emplace_back(identity_of(inst.pid), &inst);
  return out;
}

json PluginSupervisor::status() const {
  json out = json::array();
  for (const auto& [file, inst] : instances_) {
    out.push_back({{"file", file},
                   {"plugin", inst.plugin},
                   {"version", inst.version},
                   {"department", inst.department},
                   {"sha256", inst.sha256},
                   {"state", state_name(inst.state)},
                   {"pid", inst.pid},
                   {"restarts", inst.restarts},
                   {"last_error", inst.last_error},
                   {"units", inst.units},
                   {"records", inst.records},
                   {"quarantined", inst.quarantined},
                   {"failures", inst.failures},
                   {"last_input_at", inst.last_input_at}});
  }
  return out;
}

}  // namespace cg::supervisor
