#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace cg::test {

inline std::string source_dir() {
  return CG_SOURCE_DIR;
}
inline std::string fixture(const std::string& rel) {
  return source_dir() + "/tests/fixtures/" + rel;
}
inline std::string mapping_file(const std::string& rel) {
  return source_dir() + "/mappings/" + rel;
}
inline std::string code_tables() {
  return source_dir() + "/config/code-tables";
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A fresh temporary folder, removed when the object goes.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "cg-test-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline void write_file(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
}

}  // namespace cg::test
