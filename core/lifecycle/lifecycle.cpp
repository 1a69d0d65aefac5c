#include "lifecycle/lifecycle.hpp"

#include <chrono>

#include "calendar/date.hpp"

namespace cg::lifecycle {

using nlohmann::json;
using namespace std::chrono;

namespace {

std::optional<sys_days> parse_date(const std::string& d) {
  auto date = calendar::parse_date(std::string_view(d).substr(0, 10));
  if (!date.ok()) return std::nullopt;
  return *date;
}

// The CST calendar date of an RFC 3339 instant.
std::optional<sys_days> cst_date(const std::string& instant) {
  if (instant.size() < 19) return parse_date(instant);
  auto d = parse_date(instant.substr(0, 10));
  if (!d) return std::nullopt;
  int hh = std::stoi(instant.substr(11, 2)), mm = std::stoi(instant.substr(14, 2));
  int off_min = 0;
  auto tz = instant.find_first_of("Z+-", 19);
  if (tz != std::string::npos && instant[tz] != 'Z' && instant.size() >= tz + 6)
    off_min = (instant[tz] == '-' ? -1 : 1) *
              (std::stoi(instant.substr(tz + 1, 2)) * 60 + std::stoi(instant.substr(tz + 4, 2)));
  auto t = time_point<system_clock, minutes>(*d) + minutes(hh * 60 + mm) - minutes(off_min) + hours(8);
  return floor<days>(t);
}

}  // namespace

int64_t days_between(const std::string& a, const std::string& b) {
  auto da = cst_date(a), db = cst_date(b);
  if (!da || !db) return 0;
  return (*db - *da).count();
}

std::string add_days(const std::string& date, int64_t n) {
  auto d = parse_date(date);
  if (!d) return date;
  return calendar::format_date(*d + days(n));
}

Result<Change> parse_change(const json& j) {
  if (!j.is_object()) return make_error("bad_change", "a change must be an object");
  Change c;
  c.raw = j;
  c.change_id = j.value("change_id", "");
  c.type = j.value("type", "");
  c.at = j.value("at", "");
  if (c.change_id.empty() || c.type.empty()) return make_error("bad_change", "a change needs change_id and type");
  static const char* kTypes[] = {"record_upsert", "repair", "objection_opened", "objection_resolved", "revocation"};
  bool known = false;
  for (const char* t : kTypes) known = known || c.type == t;
  if (!known) return make_error("bad_change", "unknown change type '" + c.type + "'", c.change_id);
  c.record_id = j.value("record_id", "");
  c.objection_id = j.value("objection_id", "");
  c.outcome = j.value("outcome", "");
  c.reason = j.value("reason", "");
  c.repaired_on = j.value("repaired_on", "");
  if (j.contains("record")) c.record = j["record"];
  if (j.contains("authority")) c.authority = j["authority"];
  if (c.type == "record_upsert") {
    if (!c.record.is_object()) return make_error("bad_change", "record_upsert without a record", c.change_id);
    c.record_id = c.record.value("record_id", "");
  }
  if (c.record_id.empty()) return make_error("bad_change", "the change names no record", c.change_id);
  if (c.type == "objection_resolved" && c.outcome != "upheld" && c.outcome != "rejected" && c.outcome != "corrected")
    return make_error("bad_change", "objection outcome must be upheld, rejected or corrected", c.change_id);
  return c;
}

Result<Transition> apply_change(const Record& cur, const Change& c, const std::optional<std::string>& opened_at,
                                const std::string& now) {
  Transition t;
  t.next = cur;
  auto to = [&](const std::string& status) {
    t.next.status = status;
    t.changed = true;
  };
  const bool final_state = cur.status == "revoked";
  if (c.type == "repair") {
    if (final_state || cur.status == "repaired") {
      t.note = "already " + cur.status;
    } else {
      to("repaired");
      if (!c.repaired_on.empty()) t.next.detail.extra["repaired_on"] = c.repaired_on;
      if (c.authority.is_object() && c.authority.contains("name"))
        t.next.detail.extra["repair_authority"] = c.authority.value("name", "");
    }
  } else if (c.type == "objection_opened") {
    if (cur.status != "active")
      t.note = "objection on a record that is " + cur.status + ": no change";
    else
      to("suspended");
  } else if (c.type == "objection_resolved") {
    if (cur.status != "suspended") {
      t.note = "objection resolved on a record that is " + cur.status + ": no change";
    } else if (c.outcome == "rejected") {
      to("active");
      if (cur.decision.valid_until && opened_at) {
        int64_t d = days_between(*opened_at, c.at);
        if (d > 0) t.next.decision.valid_until = add_days(*cur.decision.valid_until, d);
      }
    } else if (c.outcome == "upheld") {
      to("revoked");
    } else {  // corrected: the corrected content becomes the next version
      auto corrected = record_from_json(c.record);
      if (!corrected.ok())
        return make_error("bad_change", "corrected record: " + corrected.error().message, c.change_id);
      if (corrected->record_id != cur.record_id)
        return make_error("bad_change", "the corrected record has another record_id", c.change_id);
      t.next = *corrected;
      t.next.source = cur.source;  // it stays the department's record
      t.next.status = "active";
      t.changed = true;
    }
  } else if (c.type == "revocation") {
    if (final_state) {
      t.note = "already revoked";
    } else {
      to("revoked");
      if (!c.reason.empty()) t.next.detail.extra["revocation_reason"] = c.reason;
    }
  }
  if (t.changed) {
    t.next.version = cur.version + 1;
    t.next.updated_at = now;
    t.note = cur.status + " -> " + t.next.status;
  }
  return t;
}

std::optional<Record> expire(const Record& cur, const std::string& today, const std::string& now) {
  if (cur.status != "active") return std::nullopt;
  bool past = (cur.decision.valid_until && *cur.decision.valid_until < today) ||
              (cur.decision.publish_until && *cur.decision.publish_until < today);
  if (!past) return std::nullopt;
  Record next = cur;
  next.status = "expired";
  next.version = cur.version + 1;
  next.updated_at = now;
  return next;
}

}  // namespace cg::lifecycle
