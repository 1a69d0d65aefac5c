// What the fuzz targets share: the source tree (for the shipped mappings and
// code tables) and the rule every target checks, that an input may be refused
// but never throw.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

namespace cg::fuzz {

inline std::string source_dir() {
  return CG_SOURCE_DIR;
}

// Runs `fn`; an exception is a finding (libFuzzer keeps the input that made it).
template <typename F>
void must_not_throw(const char* what, F&& fn) {
  try {
    fn();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s threw: %s\n", what, e.what());
    std::abort();
  } catch (...) {
    std::fprintf(stderr, "%s threw something that is not a std::exception\n", what);
    std::abort();
  }
}

}  // namespace cg::fuzz
