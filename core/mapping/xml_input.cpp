// XML feeds: encoding from the prolog, hostile constructs refused, then
// pugixml and XPath.
#include <algorithm>
#include <cstring>
#include <map>
#include <pugixml.hpp>
#include <sstream>
#include <vector>

#include "common/text.hpp"
#include "mapping/encoding.hpp"
#include "mapping/record_view.hpp"
#include "mapping/slot_finder.hpp"
#include "mapping/xml_text_check.hpp"

namespace cg::mapping {

namespace {

// An element's own text: its text and CDATA children, joined.
void element_text(pugi::xml_node element, std::string& out) {
  pugi::xml_node first = element.first_child();
  if (!first) {
    out.clear();
    return;
  }
  if (!first.next_sibling() && (first.type() == pugi::node_pcdata || first.type() == pugi::node_cdata)) {
    out.assign(first.value());  // the usual case: one text child
    return;
  }
  out.clear();
  for (auto t : element.children())
    if (t.type() == pugi::node_pcdata || t.type() == pugi::node_cdata) out += t.value();
}

class XmlRecordView final : public RecordView {
 public:
  // What a record's location is made of, when it is asked for.
  struct Place {
    const std::string& label;
    std::string_view text;                  // the document, UTF-8
    std::optional<text::LineIndex>& lines;  // of `text`, made on first need
    const std::string& records_path;
    size_t index;  // in the document, over all record paths
    size_t nth;    // 1-based, among this record path's records
  };
  // `by_slot` is scratch space the reader lends each record's view in turn.
  XmlRecordView(pugi::xml_node node, SlotFinder& slots, std::vector<pugi::xml_node>& by_slot, size_t slot_count,
                Place place)
      : node_(node), slots_(slots), by_slot_(by_slot), slot_count_(slot_count), place_(place) {}
  [[nodiscard]] SourceLocation where() const override {
    SourceLocation loc{place_.label, place_.index, 0, place_.records_path + "[" + std::to_string(place_.nth) + "]"};
    ptrdiff_t off = node_.offset_debug();
    if (off >= 0) {
      if (!place_.lines) place_.lines.emplace(place_.text);
      loc.line = place_.lines->line(static_cast<size_t>(off));
    }
    return loc;
  }
  bool get(const SourcePath& path, std::string& out) const override {
    if (path.slot >= 0) {  // a plain child element: the record's children were indexed once
      auto c = child(static_cast<size_t>(path.slot));
      if (!c) return false;
      element_text(c, out);
      return true;
    }
    if (!path.child.empty()) {  // an attribute: no XPath evaluation
      if (path.child[0] == '@') {
        auto a = node_.attribute(path.child.c_str() + 1);
        if (!a) return false;
        out.assign(a.value());
        return true;
      }
      auto c = node_.child(path.child.c_str());
      if (!c) return false;
      element_text(c, out);
      return true;
    }
    if (!path.xpath) return false;
    pugi::xpath_node ctx(node_);
    auto type = path.xpath->return_type();
    if (type == pugi::xpath_type_node_set) {
      auto nodes = path.xpath->evaluate_node_set(ctx);
      if (nodes.empty()) return false;
      auto first = nodes.first();
      if (first.attribute())
        out.assign(first.attribute().value());
      else if (first.node().type() == pugi::node_element)
        element_text(first.node(), out);
      else
        out.assign(first.node().value());
      return true;
    }
    out = path.xpath->evaluate_string(ctx);
    return true;
  }
  [[nodiscard]] std::string raw() const override {
    std::ostringstream out;
    node_.print(out, "", pugi::format_raw);
    return out.str();
  }
  [[nodiscard]] const char* format() const override { return "xml"; }

 private:
  // The first child of each slot's name, as xml_node::child(name) finds it.
  pugi::xml_node child(size_t slot) const {
    if (!indexed_) {
      by_slot_.assign(slot_count_, pugi::xml_node());
      size_t position = 0;
      for (pugi::xml_node c = node_.first_child(); c; c = c.next_sibling()) {
        const char* name = c.name();
        if (!*name) continue;
        int i = slots_.find(position++, name);
        if (i >= 0 && !by_slot_[static_cast<size_t>(i)]) by_slot_[static_cast<size_t>(i)] = c;
      }
      indexed_ = true;
    }
    return by_slot_[slot];
  }

  pugi::xml_node node_;
  SlotFinder& slots_;
  std::vector<pugi::xml_node>& by_slot_;
  size_t slot_count_;
  mutable bool indexed_ = false;
  Place place_;
};

// Offset of "<!DOCTYPE" or "<!ENTITY" in the raw bytes ('<' and '!' are
// never trailing bytes in GB18030 or UTF-8, so this works before decoding).
// It looks for the '!', rare in a feed, not for every tag's '<'.
std::optional<size_t> find_doctype(std::string_view bytes) {
  size_t bang = 0;
  while ((bang = bytes.find('!', bang)) != std::string_view::npos) {
    if (bang > 0 && bytes[bang - 1] == '<') {
      std::string_view rest = bytes.substr(bang + 1);
      if (rest.substr(0, 7) == "DOCTYPE" || rest.substr(0, 6) == "ENTITY") return bang - 1;
    }
    ++bang;
  }
  return std::nullopt;
}

// How deep elements nest, counted until past `limit`: pugixml's own
// iterative walk (a hostile document cannot overflow the stack), one call
// back per node.
class DepthProbe final : public pugi::xml_tree_walker {
 public:
  explicit DepthProbe(int limit) : limit_(limit) {}
  bool for_each(pugi::xml_node& node) override {
    if (node.type() == pugi::node_element) deepest = std::max(deepest, depth() + 1);
    return deepest <= limit_;
  }
  int deepest = 0;

 private:
  int limit_;
};

int max_depth(pugi::xml_document& doc, int limit) {
  DepthProbe probe(limit);
  doc.traverse(probe);
  return probe.deepest;
}

// Element and attribute names as the mapping's paths spell them: a name in a
// namespace the mapping declares becomes "<its prefix>:<local name>", one in
// no namespace its local name, one in another namespace "xml-other:<local
// name>" (which no path matches: prefixes that start with "xml" are
// reserved). The document's own prefixes no longer count.
class NamespaceResolver {
 public:
  explicit NamespaceResolver(const std::map<std::string, std::string>& declared) {
    for (const auto& [prefix, uri] : declared) prefix_of_.emplace(uri, prefix);
  }

  void resolve(pugi::xml_node element) {  // depth already checked against the mapping's limit
    const size_t scope = bindings_.size();
    for (auto a : element.attributes()) {
      std::string_view name = a.name();
      if (name == "xmlns")
        bindings_.emplace_back("", a.value());
      else if (name.substr(0, 6) == "xmlns:")
        bindings_.emplace_back(std::string(name.substr(6)), a.value());
    }
    element.set_name(resolved(element.name(), true).c_str());
    for (auto a : element.attributes()) {
      std::string_view name = a.name();
      if (name != "xmlns" && name.substr(0, 6) != "xmlns:" && name.find(':') != std::string_view::npos)
        a.set_name(resolved(name, false).c_str());
    }
    for (auto c = element.first_child(); c; c = c.next_sibling())
      if (c.type() == pugi::node_element) resolve(c);
    bindings_.resize(scope);
  }

 private:
  // Unprefixed attributes are in no namespace; unprefixed elements in the default one.
  std::string resolved(std::string_view qname, bool element) const {
    const size_t colon = qname.find(':');
    const std::string prefix(colon == std::string_view::npos ? std::string_view() : qname.substr(0, colon));
    const std::string_view local = colon == std::string_view::npos ? qname : qname.substr(colon + 1);
    if (prefix.empty() && !element) return std::string(local);
    std::string uri;
    if (prefix == "xml") uri = "http://www.w3.org/XML/1998/namespace";
    for (auto it = bindings_.rbegin(); uri.empty() && it != bindings_.rend(); ++it)
      if (it->first == prefix) {
        uri = it->second;
        break;
      }
    if (uri.empty()) return std::string(local);  // no namespace (or an undeclared prefix)
    if (auto p = prefix_of_.find(uri); p != prefix_of_.end()) return p->second + ":" + std::string(local);
    return "xml-other:" + std::string(local);
  }

  std::map<std::string, std::string> prefix_of_;               // URI -> the mapping's prefix
  std::vector<std::pair<std::string, std::string>> bindings_;  // in scope: prefix -> URI
};

// No record, but the element that would hold them is there.
bool is_empty_batch(const pugi::xml_document& doc, const MappingSpec& spec) {
  for (const auto& rs : spec.records)
    if (rs.container && rs.container->evaluate_node(doc)) return true;
  return false;
}

}  // namespace

std::optional<FileFailure> read_xml(std::string_view bytes, const std::string& label, const MappingSpec& spec,
                                    RecordVisitor& visit) {
  auto fail = [&](std::string code, std::string message, size_t offset, size_t line = 0) {
    return FileFailure{label, std::move(code), std::move(message), offset, line};
  };
  if (auto at = find_doctype(bytes))
    return fail("doctype_refused",
                "DOCTYPE and entity declarations are refused (no entity expansion, no external entities)", *at,
                text::line_col(bytes, *at).line);

  std::string encoding = spec.encoding == "auto" ? detect_xml_encoding(bytes) : spec.encoding;
  if (normalise_encoding(encoding).empty()) return fail("wrong_encoding", "unsupported encoding '" + encoding + "'", 0);
  std::string converted;
  auto utf8 = as_utf8(bytes, encoding, converted);
  if (!utf8.ok()) {
    std::string off = utf8.error().where.substr(5);  // "byte N"
    size_t at = off.empty() ? 0 : std::stoul(off);
    return fail("wrong_encoding", utf8.error().message, at, text::line_col(bytes, at).line);
  }
  const std::string_view text = *utf8;
  auto not_well_formed = [&](const std::string& what, size_t at) {
    auto lc = text::line_col(text, at);
    size_t orig = original_offset(text, at, encoding);
    return fail("malformed_xml",
                "not well-formed XML: " + what + " at byte " + std::to_string(orig) + " (line " +
                    std::to_string(lc.line) + ", column " + std::to_string(lc.column) + ")",
                orig, lc.line);
  };
  if (auto bad = find_illegal_xml_text(text)) return not_well_formed(bad->message, bad->offset);

  pugi::xml_document doc;
  unsigned options = pugi::parse_default & ~pugi::parse_doctype;
  auto res = doc.load_buffer(text.data(), text.size(), options, pugi::encoding_utf8);
  if (!res) return not_well_formed(res.description(), static_cast<size_t>(std::max<ptrdiff_t>(res.offset, 0)));
  if (!doc.document_element()) return fail("malformed_xml", "no root element", 0);
  int depth = max_depth(doc, spec.limits.max_depth);
  if (depth > spec.limits.max_depth)
    return fail("too_deep", "elements nested deeper than the limit of " + std::to_string(spec.limits.max_depth), 0);

  if (!spec.namespaces.empty()) NamespaceResolver(spec.namespaces).resolve(doc.document_element());

  std::optional<text::LineIndex> lines;
  std::vector<pugi::xml_node> by_slot;
  SlotFinder slots(spec.slots);
  size_t index = 0;
  // Every kind's records found first: room for all of them is made at once
  // (a second reservation would move every record of the first kind).
  std::vector<pugi::xpath_node_set> found(spec.records.size());
  size_t total = 0;
  for (size_t s = 0; s < spec.records.size(); ++s) {
    if (!spec.records[s].xpath) continue;
    found[s] = spec.records[s].xpath->evaluate_node_set(doc);
    found[s].sort();
    total += found[s].size();
  }
  if (total == 0 && !is_empty_batch(doc, spec)) {
    std::string paths;
    for (const auto& rs : spec.records) paths += (paths.empty() ? "" : ", ") + rs.path;
    const std::string root = doc.document_element().name();
    return fail("no_records_path",
                "none of the record paths (" + paths + ") matches this document, whose root element is <" + root + ">" +
                    (spec.namespaces.empty() ? "" : " (names resolved by namespace URI)"),
                0);
  }
  visit.expect(total);
  for (size_t s = 0; s < spec.records.size(); ++s) {
    const auto& rs = spec.records[s];
    size_t n = 0;
    for (const auto& xn : found[s]) {
      pugi::xml_node node = xn.node();
      if (!node || node.type() != pugi::node_element) continue;
      ++n;
      XmlRecordView view(node, slots, by_slot, spec.slots.size(), {label, text, lines, rs.path, index++, n});
      visit.visit(s, view);
    }
  }
  return std::nullopt;
}

}  // namespace cg::mapping
