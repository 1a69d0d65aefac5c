#include "store/sqlite/wal_write_gather.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <vector>

#include "store/sqlite/db.hpp"

namespace cg::sqlite {

namespace {

constexpr int kFrameHeaderBytes = 24;
constexpr size_t kMaxGathered = size_t{1} << 20;
// The unix VFS writes at most 128 KiB - 1 bytes in one call (its
// seekAndWriteFd masks the length with 0x1ffff): the buffer goes out in
// pieces of 64 KiB.
constexpr size_t kWriteBytes = size_t{64} << 10;

// A gather VFS's own: the VFS it wraps, and what it counts.
struct GatherVfs {
  sqlite3_vfs* base;
  std::atomic<uint64_t> commits{0};  // written at their commit frame's page
};

// A WAL file: this struct, then the base VFS's own file object.
struct GatherFile {
  sqlite3_file base;         // pMethods: kGatherMethods
  sqlite3_file* real;        // the base VFS's file, right after this struct
  std::vector<char> buf;     // consecutive writes not yet in the file
  sqlite3_int64 start = 0;   // the file offset of buf[0]
  bool commit_ends = false;  // the last write was a commit frame's header
  // The same file, for write_behind (-1: none). A WAL file's is a descriptor
  // of our own, closed with it; a database file's is the unix VFS's.
  int writeback_fd = -1;
  bool gathers = true;                       // a WAL file; else a database file, written through
  sqlite3_int64 unkicked = 0;                // a database file's bytes written since its last write_behind
  std::atomic<uint64_t>* commits = nullptr;  // its VFS's count

  // Starts the disk on bytes already in the file (`bytes` 0: to its end)
  // while the writing goes on: a WAL file's full buffer in the middle of a
  // transaction (a commit into a large store writes 80 MiB or more), each
  // MiB of a checkpoint's copy into a database file. The sync that follows
  // waits only for the rest. Only a hint: that sync is what makes them durable.
  void write_behind(sqlite3_int64 from, sqlite3_int64 bytes) const {
#ifdef SYNC_FILE_RANGE_WRITE
    if (writeback_fd >= 0) (void)::sync_file_range(writeback_fd, from, bytes, SYNC_FILE_RANGE_WRITE);
#else
    (void)from;
    (void)bytes;
#endif
  }

  int flush() {
    if (buf.empty()) return SQLITE_OK;
    int rc = SQLITE_OK;
    for (size_t at = 0; at < buf.size() && rc == SQLITE_OK; at += kWriteBytes) {
      const size_t n = std::min(kWriteBytes, buf.size() - at);
      rc = real->pMethods->xWrite(real, buf.data() + at, static_cast<int>(n), start + static_cast<sqlite3_int64>(at));
    }
    buf.clear();  // written, or part of a transaction that now fails
    commit_ends = false;
    return rc;
  }
};

GatherFile* gather(sqlite3_file* f) {
  return reinterpret_cast<GatherFile*>(f);
}
sqlite3_file* real(sqlite3_file* f) {
  return gather(f)->real;
}

// A frame header whose "database size after commit" is set (bytes 4-7).
bool is_commit_frame_header(const void* data, int amount) {
  if (amount != kFrameHeaderBytes) return false;
  const auto* b = static_cast<const unsigned char*>(data);
  return (b[4] | b[5] | b[6] | b[7]) != 0;
}

int x_close(sqlite3_file* f) {
  GatherFile* g = gather(f);
  int rc = g->flush();
  int closed = g->real->pMethods ? g->real->pMethods->xClose(g->real) : SQLITE_OK;
  if (g->writeback_fd >= 0 && g->gathers) ::close(g->writeback_fd);  // a database file's is the base VFS's
  g->~GatherFile();
  return rc != SQLITE_OK ? rc : closed;
}

int x_read(sqlite3_file* f, void* out, int amount, sqlite3_int64 offset) {
  if (int rc = gather(f)->flush(); rc != SQLITE_OK) return rc;
  return real(f)->pMethods->xRead(real(f), out, amount, offset);
}

int x_write(sqlite3_file* f, const void* data, int amount, sqlite3_int64 offset) {
  GatherFile* g = gather(f);
  if (!g->gathers) {  // a checkpoint's pages, in page order, then an fsync
    const int rc = g->real->pMethods->xWrite(g->real, data, amount, offset);
    if ((g->unkicked += amount) >= static_cast<sqlite3_int64>(kMaxGathered)) {
      g->write_behind(0, 0);  // the whole file: only checkpoints write it
      g->unkicked = 0;
    }
    return rc;
  }
  const auto n = static_cast<size_t>(amount);
  if (!g->buf.empty() &&
      (offset != g->start + static_cast<sqlite3_int64>(g->buf.size()) || g->buf.size() + n > kMaxGathered)) {
    const bool full = offset == g->start + static_cast<sqlite3_int64>(g->buf.size());
    const sqlite3_int64 from = g->start, bytes = static_cast<sqlite3_int64>(g->buf.size());
    if (int rc = g->flush(); rc != SQLITE_OK) return rc;
    if (full) g->write_behind(from, bytes);  // the transaction goes on
  }
  if (n > kMaxGathered) return g->real->pMethods->xWrite(g->real, data, amount, offset);
  if (g->buf.empty()) {
    g->start = offset;
    if (g->buf.capacity() == 0) g->buf.reserve(kMaxGathered);
  }
  const char* bytes = static_cast<const char*>(data);
  g->buf.insert(g->buf.end(), bytes, bytes + n);
  if (is_commit_frame_header(data, amount)) {
    g->commit_ends = true;
    return SQLITE_OK;
  }
  if (g->commit_ends) {  // the commit frame's page: the transaction is written
    const int rc = g->flush();
    if (rc == SQLITE_OK) g->commits->fetch_add(1, std::memory_order_relaxed);
    return rc;
  }
  return SQLITE_OK;
}

int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
  if (int rc = gather(f)->flush(); rc != SQLITE_OK) return rc;
  return real(f)->pMethods->xTruncate(real(f), size);
}
int x_sync(sqlite3_file* f, int flags) {
  gather(f)->unkicked = 0;
  if (int rc = gather(f)->flush(); rc != SQLITE_OK) return rc;
  return real(f)->pMethods->xSync(real(f), flags);
}
int x_file_size(sqlite3_file* f, sqlite3_int64* size) {
  if (int rc = gather(f)->flush(); rc != SQLITE_OK) return rc;
  return real(f)->pMethods->xFileSize(real(f), size);
}
int x_lock(sqlite3_file* f, int level) {
  return real(f)->pMethods->xLock(real(f), level);
}
int x_unlock(sqlite3_file* f, int level) {
  return real(f)->pMethods->xUnlock(real(f), level);
}
int x_check_reserved_lock(sqlite3_file* f, int* out) {
  return real(f)->pMethods->xCheckReservedLock(real(f), out);
}
int x_file_control(sqlite3_file* f, int op, void* arg) {
  if (int rc = gather(f)->flush(); rc != SQLITE_OK) return rc;
  return real(f)->pMethods->xFileControl(real(f), op, arg);
}
int x_sector_size(sqlite3_file* f) {
  return real(f)->pMethods->xSectorSize(real(f));
}
int x_device_characteristics(sqlite3_file* f) {
  return real(f)->pMethods->xDeviceCharacteristics(real(f));
}
int x_shm_map(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
  return real(f)->pMethods->xShmMap(real(f), page, size, extend, out);
}
int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  return real(f)->pMethods->xShmLock(real(f), offset, n, flags);
}
void x_shm_barrier(sqlite3_file* f) {
  real(f)->pMethods->xShmBarrier(real(f));
}
int x_shm_unmap(sqlite3_file* f, int delete_flag) {
  return real(f)->pMethods->xShmUnmap(real(f), delete_flag);
}
int x_fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
  if (int rc = gather(f)->flush(); rc != SQLITE_OK) return rc;
  return real(f)->pMethods->xFetch(real(f), offset, amount, out);
}
int x_unfetch(sqlite3_file* f, sqlite3_int64 offset, void* p) {
  return real(f)->pMethods->xUnfetch(real(f), offset, p);
}

const sqlite3_io_methods kGatherMethods = {
    3,
    x_close,
    x_read,
    x_write,
    x_truncate,
    x_sync,
    x_file_size,
    x_lock,
    x_unlock,
    x_check_reserved_lock,
    x_file_control,
    x_sector_size,
    x_device_characteristics,
    x_shm_map,
    x_shm_lock,
    x_shm_barrier,
    x_shm_unmap,
    x_fetch,
    x_unfetch,
};

GatherVfs* state_of(sqlite3_vfs* vfs) {
  return static_cast<GatherVfs*>(vfs->pAppData);
}
// The VFS this one wraps.
sqlite3_vfs* base_of(sqlite3_vfs* vfs) {
  return state_of(vfs)->base;
}

// The descriptor of a database file the unix VFS opened, or -1. Not a second
// descriptor of our own: closing one would drop every POSIX lock the process
// holds on the file (SQLite's locks). The unix VFS's file object starts with
// its methods, its VFS, its inode's lock information, then the descriptor;
// the descriptor is used only if it is the file of that name.
int unix_descriptor(sqlite3_file* real, const char* name) {
  struct UnixFileHead {
    const sqlite3_io_methods* methods;
    sqlite3_vfs* vfs;
    void* inode;
    int fd;
  };
  if (name == nullptr) return -1;
  const int fd = reinterpret_cast<const UnixFileHead*>(real)->fd;
  struct stat by_fd {
  }, by_name{};
  if (fd < 0 || ::fstat(fd, &by_fd) != 0 || ::stat(name, &by_name) != 0) return -1;
  return by_fd.st_dev == by_name.st_dev && by_fd.st_ino == by_name.st_ino ? fd : -1;
}

int x_open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  sqlite3_vfs* base = base_of(vfs);
  // Every other file is the base VFS's own, in the same memory.
  if (!(flags & (SQLITE_OPEN_WAL | SQLITE_OPEN_MAIN_DB))) return base->xOpen(base, name, f, flags, out_flags);
  auto* g = new (f) GatherFile{};
  g->gathers = (flags & SQLITE_OPEN_WAL) != 0;
  g->base.pMethods = nullptr;
  g->real = reinterpret_cast<sqlite3_file*>(g + 1);
  g->commits = &state_of(vfs)->commits;
  std::memset(g->real, 0, static_cast<size_t>(base->szOsFile));
  int rc = base->xOpen(base, name, g->real, flags, out_flags);
  if (rc != SQLITE_OK || g->real->pMethods == nullptr) {
    // SQLite calls no method of a file that did not open; the base VFS has
    // released what it took.
    g->~GatherFile();
    f->pMethods = nullptr;
    return rc != SQLITE_OK ? rc : SQLITE_CANTOPEN;
  }
  if (g->real->pMethods->iVersion < 3) {  // never seen: the unix VFS is version 3
    g->real->pMethods->xClose(g->real);
    g->~GatherFile();
    f->pMethods = nullptr;
    return SQLITE_CANTOPEN;
  }
  g->base.pMethods = &kGatherMethods;
  if (!g->gathers && std::strcmp(base->zName, "unix") == 0)
    g->writeback_fd = unix_descriptor(g->real, name);
  else if (g->gathers && name != nullptr)
    g->writeback_fd = ::open(name, O_RDONLY | O_CLOEXEC);  // none: no write-behind
  return SQLITE_OK;
}

// The rest is the base VFS's.
int x_delete(sqlite3_vfs* v, const char* name, int sync_dir) {
  return base_of(v)->xDelete(base_of(v), name, sync_dir);
}
int x_access(sqlite3_vfs* v, const char* name, int flags, int* out) {
  return base_of(v)->xAccess(base_of(v), name, flags, out);
}
int x_full_pathname(sqlite3_vfs* v, const char* name, int n, char* out) {
  return base_of(v)->xFullPathname(base_of(v), name, n, out);
}
void* x_dl_open(sqlite3_vfs* v, const char* name) {
  return base_of(v)->xDlOpen(base_of(v), name);
}
void x_dl_error(sqlite3_vfs* v, int n, char* out) {
  base_of(v)->xDlError(base_of(v), n, out);
}
void (*x_dl_sym(sqlite3_vfs* v, void* h, const char* sym))(void) {
  return base_of(v)->xDlSym(base_of(v), h, sym);
}
void x_dl_close(sqlite3_vfs* v, void* h) {
  base_of(v)->xDlClose(base_of(v), h);
}
int x_randomness(sqlite3_vfs* v, int n, char* out) {
  return base_of(v)->xRandomness(base_of(v), n, out);
}
int x_sleep(sqlite3_vfs* v, int us) {
  return base_of(v)->xSleep(base_of(v), us);
}
int x_current_time(sqlite3_vfs* v, double* out) {
  return base_of(v)->xCurrentTime(base_of(v), out);
}
int x_get_last_error(sqlite3_vfs* v, int n, char* out) {
  return base_of(v)->xGetLastError(base_of(v), n, out);
}
int x_current_time_int64(sqlite3_vfs* v, sqlite3_int64* out) {
  return base_of(v)->xCurrentTimeInt64(base_of(v), out);
}
int x_set_system_call(sqlite3_vfs* v, const char* name, sqlite3_syscall_ptr p) {
  return base_of(v)->xSetSystemCall(base_of(v), name, p);
}
sqlite3_syscall_ptr x_get_system_call(sqlite3_vfs* v, const char* name) {
  return base_of(v)->xGetSystemCall(base_of(v), name);
}
const char* x_next_system_call(sqlite3_vfs* v, const char* name) {
  return base_of(v)->xNextSystemCall(base_of(v), name);
}

}  // namespace

sqlite3_vfs* register_wal_write_gather(sqlite3_vfs* base, const char* name, bool make_default) {
  if (base == nullptr || base->iVersion < 3) return nullptr;  // never seen: unix is version 3
  auto* vfs = new sqlite3_vfs(*base);                         // registered for the life of the process
  vfs->szOsFile = static_cast<int>(sizeof(GatherFile)) + base->szOsFile;
  vfs->pNext = nullptr;
  vfs->zName = name;
  vfs->pAppData = new GatherVfs{base};  // as long as the VFS
  vfs->xOpen = x_open;
  vfs->xDelete = x_delete;
  vfs->xAccess = x_access;
  vfs->xFullPathname = x_full_pathname;
  vfs->xDlOpen = x_dl_open;
  vfs->xDlError = x_dl_error;
  vfs->xDlSym = x_dl_sym;
  vfs->xDlClose = x_dl_close;
  vfs->xRandomness = x_randomness;
  vfs->xSleep = x_sleep;
  vfs->xCurrentTime = x_current_time;
  vfs->xGetLastError = x_get_last_error;
  vfs->xCurrentTimeInt64 = x_current_time_int64;
  vfs->xSetSystemCall = x_set_system_call;
  vfs->xGetSystemCall = x_get_system_call;
  vfs->xNextSystemCall = x_next_system_call;
  if (sqlite3_vfs_register(vfs, make_default ? 1 : 0) != SQLITE_OK) {
    delete state_of(vfs);
    delete vfs;
    return nullptr;
  }
  return vfs;
}

uint64_t wal_write_gather_commits(sqlite3_vfs* gather) {
  return state_of(gather)->commits.load(std::memory_order_relaxed);
}

sqlite3_vfs* wal_write_gather_base(sqlite3_vfs* gather) {
  return base_of(gather);
}

}  // namespace cg::sqlite
