#include "common/private_file.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>

namespace cg {

Status check_private_file(const std::string& path, const std::string& what) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return {};
  if ((st.st_mode & 077) == 0) return {};
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
  return make_error("file_permissions",
                    what + " can be read or written by others than its owner (mode " + mode +
                        "); it is not used until it is private: chmod 600 " + path,
                    path);
}

}  // namespace cg
