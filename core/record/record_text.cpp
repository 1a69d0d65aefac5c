// The canonical record as JSON text, written directly (no JSON tree): the
// store's hot path. Byte for byte what to_json(r).dump() gives (keys sorted,
// UTF-8 kept, control characters escaped), so digests and bodies do not
// depend on which of the two produced them; a unit test holds them equal.
#include <cstdio>
#include <cstring>

#include "common/hash.hpp"
#include "common/json_string.hpp"
#include "record/record.hpp"

namespace cg {

namespace {

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  void open() {
    out_ += '{';
    first_ = true;
  }
  void close() {
    out_ += '}';
    first_ = false;
  }
  void key(const char* k) {
    if (!first_) out_ += ',';
    first_ = false;
    out_ += '"';
    out_ += k;
    out_ += "\":";
  }
  void key(const std::string& k) {  // a key that may need escaping (detail.extra)
    if (!first_) out_ += ',';
    first_ = false;
    quoted(k);
    out_ += ':';
  }
  void str(const char* k, const std::string& v) {
    key(k);
    quoted(v);
  }
  void str(const char* k, const std::optional<std::string>& v) {
    if (v) str(k, *v);
  }
  void num(const char* k, int64_t v) {
    key(k);
    out_ += std::to_string(v);
  }
  void num(const char* k, const std::optional<int64_t>& v) {
    if (v) num(k, *v);
  }
  // An object opened under a key; after it, the next key needs a comma.
  void object(const char* k) {
    key(k);
    open();
  }
  void end_object() { close(); }

  void quoted(const std::string& v) { append_json_string(out_, v); }

 private:
  std::string& out_;
  bool first_ = true;
};

bool person_empty(const Person& p) {
  return !p.name && !p.id_type && !p.id_number;
}
bool authority_empty(const Authority& a) {
  return !a.name && !a.uscc;
}

bool detail_empty(const Detail& t) {
  return !t.violation_type && !t.facts && !t.basis && !t.penalty_types && !t.content && !t.fine_fen &&
         !t.confiscated_fen && !t.license_name && !t.license_number && !t.license_category && !t.case_number &&
         !t.court && !t.obligation && !t.performance && !t.amount_fen && !t.removal_reason && !t.removed_on &&
         !t.honour && !t.commitment_type && !t.commitment_matter && !t.commitment_status && !t.fulfilment_due &&
         !t.breach_facts && t.extra.empty();
}

}  // namespace

namespace {

// Where the stored text differs from the content digest's (see
// body_and_digest): byte ranges of the stored text, in order.
struct DigestSpans {
  size_t mapping[2] = {0, 0};      // the member source.mapping, its comma first
  size_t received_at[2] = {0, 0};  // the member source.received_at, its comma first
  size_t status[2] = {0, 0};       // the value of status
  size_t updated_at[2] = {0, 0};   // the member updated_at, its comma first
  size_t version[2] = {0, 0};      // the value of version
};

// The text as stored with version `version`, or (for the content digest) as
// if version, updated_at, status and the source's mapping and received_at
// were unset: without copying the record to unset them. `spans`, for the
// stored text, receives where those fields are.
std::string write_record(const Record& r, bool for_digest, int64_t version, DigestSpans* spans = nullptr) {
  static const std::optional<std::string> kNone;
  static const std::string kEmpty;
  std::string out;
  out.reserve(2048);  // a record is 1.1-1.6 KB: no growth on the way
  Writer w(out);
  w.open();  // keys in byte order at every level, as nlohmann's std::map keeps them

  w.object("decision");
  const Decision& d = r.decision;
  if (d.authority && !authority_empty(*d.authority)) {
    w.object("authority");
    w.str("name", d.authority->name);
    w.str("uscc", d.authority->uscc);
    w.end_object();
  }
  w.str("decided_on", d.decided_on);
  w.str("document_number", d.document_number);
  w.str("publish_until", d.publish_until);
  w.str("valid_from", d.valid_from);
  w.str("valid_until", d.valid_until);
  w.end_object();

  const Detail& t = r.detail;
  if (!detail_empty(t)) {
    w.object("detail");
    w.num("amount_fen", t.amount_fen);
    w.str("basis", t.basis);
    w.str("breach_facts", t.breach_facts);
    w.str("case_number", t.case_number);
    w.str("commitment_matter", t.commitment_matter);
    w.str("commitment_status", t.commitment_status);
    w.str("commitment_type", t.commitment_type);
    w.num("confiscated_fen", t.confiscated_fen);
    w.str("content", t.content);
    w.str("court", t.court);
    if (!t.extra.empty()) {
      w.object("extra");
      for (const auto& [k, v] : t.extra) {
        w.key(k);
        w.quoted(v);
      }
      w.end_object();
    }
    w.str("facts", t.facts);
    w.num("fine_fen", t.fine_fen);
    w.str("fulfilment_due", t.fulfilment_due);
    w.str("honour", t.honour);
    w.str("license_category", t.license_category);
    w.str("license_name", t.license_name);
    w.str("license_number", t.license_number);
    w.str("obligation", t.obligation);
    if (t.penalty_types) {
      w.key("penalty_types");
      out += '[';
      for (size_t i = 0; i < t.penalty_types->size(); ++i) {
        if (i) out += ',';
        w.quoted((*t.penalty_types)[i]);
      }
      out += ']';
    }
    w.str("performance", t.performance);
    w.str("removal_reason", t.removal_reason);
    w.str("removed_on", t.removed_on);
    w.str("violation_type", t.violation_type);
    w.end_object();
  }

  w.str("kind", r.kind);
  w.str("record_id", r.record_id);
  w.str("region", r.region);

  w.object("source");
  w.str("department", r.source.department);  // always there: the members after it start with a comma
  if (spans) spans->mapping[0] = out.size();
  w.str("mapping", for_digest ? kNone : r.source.mapping);
  if (spans) spans->mapping[1] = spans->received_at[0] = out.size();
  w.str("received_at", for_digest ? kNone : r.source.received_at);
  if (spans) spans->received_at[1] = out.size();
  w.str("source_key", r.source.source_key);
  w.str("system", r.source.system);
  w.end_object();

  w.key("status");
  if (spans) spans->status[0] = out.size();
  w.quoted(for_digest ? kEmpty : r.status);
  if (spans) spans->status[1] = out.size();

  const Subject& s = r.subject;
  w.object("subject");
  w.str("id_number", s.id_number);
  w.str("id_type", s.id_type);
  if (s.legal_representative && !person_empty(*s.legal_representative)) {
    w.object("legal_representative");
    w.str("id_number", s.legal_representative->id_number);
    w.str("id_type", s.legal_representative->id_type);
    w.str("name", s.legal_representative->name);
    w.end_object();
  }
  w.str("name", s.name);
  w.str("type", s.type);
  w.str("uscc", s.uscc);
  w.end_object();

  if (spans) spans->updated_at[0] = out.size();  // after the subject: a comma first
  w.str("updated_at", for_digest ? kNone : r.updated_at);
  if (spans) spans->updated_at[1] = out.size();
  w.key("version");
  if (spans) spans->version[0] = out.size();
  out += std::to_string(for_digest ? int64_t{0} : version);
  if (spans) spans->version[1] = out.size();
  w.close();
  return out;
}

}  // namespace

std::string to_json_text(const Record& r) {
  return write_record(r, false, r.version);
}

std::string content_digest_text(const Record& r) {
  return write_record(r, true, 0);
}

BodyAndDigest body_and_digest(const Record& r, int64_t version) {
  DigestSpans sp;
  BodyAndDigest out;
  out.body = write_record(r, false, version, &sp);
  // content_digest_text(r) is this text without the spans' members and with
  // an empty status and version 0: hashed piece by piece, not written again.
  const std::string_view b = out.body;
  auto between = [&](size_t from, size_t to) { return b.substr(from, to - from); };
  out.digest = sha256_hex_concat({between(0, sp.mapping[0]), between(sp.received_at[1], sp.status[0]), "\"\"",
                                  between(sp.status[1], sp.updated_at[0]), between(sp.updated_at[1], sp.version[0]),
                                  "0", between(sp.version[1], b.size())});
  return out;
}

}  // namespace cg
