// A mapping file, loaded and checked (docs/mappings.md describes the format).
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/jsonc.hpp"
#include "common/result.hpp"
#include "mapping/canonical_fields.hpp"

namespace pugi {
class xpath_query;
}

namespace cg::mapping {

enum class Format { Xml, Json };

// A compiled source path: an XPath relative to the record element (XML) or a
// JSON pointer relative to the record object (JSON).
struct SourcePath {
  std::string text;
  std::shared_ptr<pugi::xpath_query> xpath;  // XML only
  std::string child;                         // XML fast path: a plain child element name, or "@attr"
  std::string pointer_text;                  // JSON only: a JSON pointer ("/a/b")
  // A plain child element (XML) or a top-level member (JSON): its place in
  // the spec's SourceSlots, found for a record in one pass over its
  // children; -1 for any other path.
  int slot = -1;
};

// The names of the plain children and members a mapping reads, numbered:
// a record view looks each of its children up here once, instead of
// searching the record for each path.
// Hashes std::string and std::string_view alike: a lookup by a view makes no string.
struct TextHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

struct SourceSlots {
  std::unordered_map<std::string, int, TextHash, std::equal_to<>> index;
  int add(const std::string& name) { return index.try_emplace(name, static_cast<int>(index.size())).first->second; }
  [[nodiscard]] int find(std::string_view name) const {
    auto it = index.find(name);
    return it == index.end() ? -1 : it->second;
  }
  [[nodiscard]] size_t size() const { return index.size(); }
};

struct Condition {
  enum class Op { Equals, In, Matches, LooksLike, Present, Empty, All, Any, Not };
  Op op = Op::Present;
  std::optional<SourcePath> from;  // a source value ...
  std::string field;               // ... or a canonical field mapped earlier
  int field_index = -1;            // that field's place in its RecordSpec's fields
  std::vector<std::string> values;
  std::string pattern;
  std::shared_ptr<std::regex> regex;
  std::string looks_like;  // resident_id | uscc
  std::vector<Condition> children;
};

struct CodeTable {
  std::unordered_map<std::string, std::string, TextHash, std::equal_to<>> entries;
  std::optional<std::string> fallback;  // "default": for codes not listed
};

struct Transform {
  enum class Op { Trim, FullwidthToAscii, Upper, Lower, Date, Money, CodeTable, Replace, RemoveSpaces };
  Op op = Op::Trim;
  std::vector<std::string> date_formats;  // empty = every known form
  std::vector<std::string> open_ended;    // normalised YYYY-MM-DD values meaning "no end"
  int64_t money_scale = 100;              // fen per unit: fen 1, yuan 100, wan_yuan 1000000
  std::string money_unit;
  std::string table;
  std::shared_ptr<const CodeTable> code_table;  // `table`, found when the mapping loads
  std::vector<std::string> split;               // separators: the value is a list
  std::shared_ptr<std::regex> regex;
  std::string replacement;
};

struct ValueSpec {
  enum class Kind { From, Const, Concat, When };
  Kind kind = Kind::From;
  std::optional<SourcePath> from;
  std::string constant;
  std::vector<ValueSpec> parts;  // concat
  std::string separator;
  struct Case;
  std::vector<Case> cases;           // when
  std::vector<ValueSpec> otherwise;  // when: zero or one
  std::vector<Transform> transforms;
  std::optional<Condition> only_if;
  std::optional<std::string> default_value;
};

// One case of a "when": its condition and the value it gives.
struct ValueSpec::Case {
  Condition when;
  ValueSpec then;
};

struct FieldMapping {
  std::string field;
  FieldType type = FieldType::String;
  ValueSpec value;
  std::string where;  // file:line of the mapping entry, for error messages
};

struct KeyPart {
  std::vector<std::string> alternatives;  // first present wins
  std::vector<int> indexes;               // their places in the RecordSpec's fields
  bool optional = false;                  // dropped when absent (else "")
};

struct RecordSpec {
  std::string path;  // XPath (XML) or JSON pointer (JSON) to the records
  std::shared_ptr<pugi::xpath_query> xpath;
  // XML: the path's parent ("/FEED" of "/FEED/REC"), when it has one: a
  // document where it matches and the records do not is an empty batch.
  std::shared_ptr<pugi::xpath_query> container;
  std::string kind;
  std::vector<KeyPart> key;
  std::vector<FieldMapping> fields;
};

struct Limits {
  uint64_t max_file_bytes = 512ull * 1024 * 1024;
  int max_depth = 64;
};

struct MappingSpec {
  std::string file;
  std::string name;  // department.feed
  int revision = 1;
  std::string department;
  std::string system;
  std::string region;
  Format format = Format::Xml;
  std::string encoding = "auto";
  std::map<std::string, std::string> envelope;    // JSON pointer -> required value
  std::map<std::string, std::string> namespaces;  // XML: prefix used in paths -> namespace URI
  std::map<std::string, std::shared_ptr<const CodeTable>> code_tables;
  std::vector<RecordSpec> records;
  Limits limits;
  SourceSlots slots;

  [[nodiscard]] std::string id() const { return name + "@" + std::to_string(revision); }
};

// Loads a mapping file. Every problem found is returned (an empty list means
// it loaded); each names the file, the line and, for an unknown key, the
// nearest valid key. `code_table_dir` holds shared code tables (NAME.json).
struct LoadResult {
  std::shared_ptr<const MappingSpec> spec;  // set when no problem was found
  std::vector<Error> problems;
};
LoadResult load_mapping(const std::string& path, const std::string& code_table_dir = "");
// The same for a document already read (the fuzzers give one made of bytes).
LoadResult load_mapping_document(const JsoncDocument& doc, const std::string& code_table_dir = "");

}  // namespace cg::mapping
