// Names the calling thread (at most 15 bytes are kept), so that top -H,
// perf and gdb tell the gateway's threads apart.
#pragma once

#include <pthread.h>

#include <string>

namespace cg {

inline void name_this_thread(const std::string& name) {
  pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
}

}  // namespace cg
