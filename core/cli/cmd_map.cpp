// credit-gateway map --mapping FILE [--quarantine QFILE] INPUT...
#include <fstream>
#include <iostream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "common/mask.hpp"
#include "common/text.hpp"
#include "mapping/mapper.hpp"

namespace cg::cli {

int cmd_map(const Argv& argv) {
  auto args = Args::parse(argv, {"mapping", "quarantine", "tables", "received-at", "max-file-bytes"}, {});
  if (!args.ok() || !args->get("mapping") || args->positional().empty()) {
    std::cerr << (args.ok() ? "" : args.error().message + "\n")
              << "usage: credit-gateway map --mapping FILE [--quarantine QFILE] [--tables DIR] "
                 "[--max-file-bytes N] INPUT...\n";
    return 2;
  }
  std::string file = *args->get("mapping");
  auto loaded = mapping::load_mapping(file, find_code_table_dir(args->get_or("tables", ""), file));
  if (!loaded.spec) {
    for (const auto& p : loaded.problems) std::cerr << p.where << ": error: " << p.message << "\n";
    return 2;
  }
  auto spec = std::make_shared<mapping::MappingSpec>(*loaded.spec);
  if (auto m = args->get("max-file-bytes")) spec->limits.max_file_bytes = std::stoull(*m);
  mapping::Mapper mapper(spec);

  std::ofstream qfile;
  bool to_file = false;
  if (auto q = args->get("quarantine")) {
    qfile.open(*q, std::ios::app);
    if (!qfile) {
      std::cerr << *q << ": error: cannot open quarantine file\n";
      return 2;
    }
    to_file = true;
  }
  // The quarantine file is data (kept whole for replay); stderr is a log, so
  // personal ID numbers are masked there.
  auto quarantine = [&](const nlohmann::json& j) {
    if (to_file)
      qfile << j.dump() << "\n";
    else
      std::cerr << mask_ids_in_text(j.dump()) << "\n";
  };

  mapping::MapOptions opts;
  opts.received_at = args->get_or("received-at", "");
  size_t records = 0, quarantined = 0, rejected = 0;
  auto map_one = [&](const std::string& input) {
    auto out = mapper.map_file(input, opts);
    if (out.failure) {
      ++rejected;
      std::cerr << input << ": error: " << mask_ids_in_text(out.failure->message) << " [" << out.failure->code
                << ", byte " << out.failure->byte_offset;
      if (out.failure->line) std::cerr << ", line " << out.failure->line;
      std::cerr << "]\n";
      quarantine(to_json(*out.failure));
      return;
    }
    for (const auto& r : out.records) std::cout << to_json(r).dump() << "\n";
    for (const auto& q : out.quarantined) quarantine(to_json(q));
    records += out.records.size();
    quarantined += out.quarantined.size();
  };
  for (const auto& input : args->positional()) {
    // A file that breaks what no rule foresaw is reported, and the next one is mapped.
    try {
      map_one(input);
    } catch (const std::exception& e) {
      ++rejected;
      std::cerr << input << ": error: " << mask_ids_in_text(text::valid_utf8(e.what())) << " [unreadable]\n";
    }
  }
  std::cout.flush();
  std::cerr << "map: " << args->positional().size() << " file(s), " << records << " record(s) mapped, " << quarantined
            << " quarantined, " << rejected << " file(s) rejected\n";
  return rejected ? 1 : 0;
}

}  // namespace cg::cli
