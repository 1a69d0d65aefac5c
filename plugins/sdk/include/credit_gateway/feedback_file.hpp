// A helper for adapters whose department takes feedback as files.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

#include "credit_gateway/adapter.hpp"

namespace cg::sdk {

// Writes a feedback document into a folder: under a temporary name first, then
// renamed, so the department never reads half a file. The same item again
// overwrites the same file.
inline bool write_feedback_file(const std::string& dir, const cg::sdk::Feedback& item, std::string& error) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  std::string name = item.file_name.empty() ? "feedback-" + item.feedback_id : item.file_name;
  if (name.find('/') != std::string::npos || name.find("..") != std::string::npos) {
    error = "refusing a file name with a path in it";
    return false;
  }
  std::string tmp = dir + "/." + name + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(item.data.data(), static_cast<std::streamsize>(item.data.size()));
    if (!out) {
      error = "cannot write " + tmp;
      return false;
    }
  }
  std::filesystem::rename(tmp, dir + "/" + name, ec);
  if (ec) {
    error = "cannot rename into " + dir + ": " + ec.message();
    return false;
  }
  return true;
}

}  // namespace cg::sdk
