#include "sync/sync_job.hpp"

#include "common/log.hpp"
#include "delivery/connector.hpp"
#include "objections/send.hpp"
#include "sync/apply_changes.hpp"

namespace cg::sync {

using nlohmann::json;

namespace {
std::string url_encode(const std::string& s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}
}  // namespace

const config::DestinationConfig* pull_destination(const config::Config& cfg) {
  for (const auto& d : cfg.destinations)
    if (d.pull) return &d;
  return nullptr;
}

Result<json> run_sync(const config::Config& cfg, const config::DestinationConfig& dest, store::StoreAccess& store) {
  auto conn = delivery::Connector::open(cfg, dest);
  if (!conn.ok()) return conn.error();
  // Objections raised here go first: their answers suspend records before
  // the feed is read (platform-api.md §8).
  auto sent = objections::send_pending(**conn, dest.name, store);
  if (!sent.ok()) return sent.error();
  json totals = {{"pages", 0}, {"applied", 0}, {"repeated", 0}, {"no_change", 0}, {"invalid", 0}, {"waiting", 0}};
  for (int page = 0; page < 100000; ++page) {
    auto cursor = store.call([&](store::Store& s) { return s.sync().cursor(dest.name); });
    if (!cursor.ok()) return cursor.error();
    std::string path = "/api/v1/changes?";
    if (*cursor) path += "cursor=" + url_encode(**cursor) + "&";
    path += "limit=" + std::to_string(cfg.sync_page_size);
    auto a = delivery::get_with_retries(**conn, path);
    if (a.status != 200)
      return make_error("sync", "the platform answered " + (a.status ? "HTTP " + std::to_string(a.status) : a.error) +
                                    " for " + path);
    json body = json::parse(a.body, nullptr, false);
    if (!body.is_object() || !body.contains("changes") || !body["changes"].is_array())
      return make_error("sync", "the change feed's answer has no changes list");
    // Read with their types checked: a platform's odd answer is an error that says so, not an exception.
    if ((body.contains("next_cursor") && !body["next_cursor"].is_string() && !body["next_cursor"].is_null()) ||
        (body.contains("has_more") && !body["has_more"].is_boolean()))
      return make_error("sync", "the change feed's next_cursor must be text and has_more true or false");
    std::string next = body.contains("next_cursor") && body["next_cursor"].is_string()
                           ? body["next_cursor"].get<std::string>()
                           : std::string();
    auto applied = store.call(
        [&](store::Store& s) { return apply_changes(s, dest.name, body["changes"], next, "sync:" + dest.name); });
    if (!applied.ok()) return applied.error();
    totals["pages"] = totals["pages"].get<int64_t>() + 1;
    for (const auto& [k, v] : (*applied)["counts"].items()) totals[k] = totals[k].get<int64_t>() + v.get<int64_t>();
    if (!(body.contains("has_more") && body["has_more"].get<bool>()) || next.empty()) break;
  }
  totals["objections"] = *sent;
  log::info("sync", "change feed applied", {{"destination", dest.name}, {"counts", totals}});
  return totals;
}

}  // namespace cg::sync
