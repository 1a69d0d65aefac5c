// A SQLite VFS that gathers the writes of a transaction into its
// write-ahead log, so that a commit puts its frames into the file with a few
// large writes instead of two system calls per page.
//
// SQLite writes each WAL frame as two writes: its 24-byte header, then the
// page. A commit of 1,000 records writes some 500 pages: about 1,000
// `pwrite` calls on the store writer's thread, where a system call is dear
// (its commits were a fifth of that thread's time in a profile, most of it
// these calls). This VFS wraps the default one; for a WAL file it keeps consecutive writes in a buffer
// (at most 1 MiB) and hands them to the file, 64 KiB per write:
//   - at the end of a commit: the page after a commit frame's header (a
//     header whose "database size after commit" field is set) is the
//     transaction's last write, so the commit's frames are all in the file,
//     and any error reported, before SQLite makes them visible to other
//     connections (the WAL index header is written after the frames);
//   - before anything that reads or syncs the file, truncates it or asks its
//     size, before a write elsewhere in it, and when the buffer is full.
// Each full buffer written in the middle of a transaction is also handed to
// the disk at once (sync_file_range, write only: a hint), so that the
// commit's fsync does not start the writing of all of a large transaction.
// The database file (which only checkpoints write) is written through, and
// handed to the disk likewise after each 1 MiB, so that a checkpoint's
// closing fsync (162 ms for one RESTART, traced) waits only for the rest.
// A process that dies with frames still in the buffer loses only frames of a
// transaction that had not committed, which SQLite's recovery ignores as it
// would a torn write. Every other file is the default VFS's own.
//
// It relies on how SQLite writes today (a frame as two writes, the unix
// VFS's file object starting with its descriptor's neighbours), and SQLite is
// the distribution's shared library, which an upgrade replaces: so it is off
// unless `store.wal_gather` asks for it, and then on only after a self-test
// against the library that runs.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>

#include "common/result.hpp"

namespace cg::sqlite {

// `store.wal_gather`: the VFS around the default one becomes the process's
// default, once the self-test below has passed against the SQLite library
// this process runs (once per process; the first answer is kept). The store's
// connections opened after it use it. An error names what failed: the
// gateway does not start with the option it cannot honour.
Status enable_wal_write_gather(const std::string& test_dir);

// What the VFS relies on, checked against the running SQLite, in a folder
// made and removed under `test_dir` (the store's, so that the file system is
// the store's too): that each commit's frames reach the file when its commit
// frame's page is written (SQLite writes a frame as its 24-byte header, then
// its page), that a connection through `gather`'s base VFS sees every
// committed row (with synchronous=NORMAL, where no sync flushes the buffer),
// including a transaction larger than the buffer and one after a RESTART
// checkpoint, and that the database passes integrity_check. The writer opens
// through `writer_vfs` (default: `gather` itself).
Status wal_write_gather_self_test(const std::string& test_dir, sqlite3_vfs* gather, const char* writer_vfs = nullptr);

// Registers one around `base` under `name` (a string that outlives it), the
// default if `make_default`; it stays registered. Null if SQLite refuses it.
sqlite3_vfs* register_wal_write_gather(sqlite3_vfs* base, const char* name, bool make_default);

// Commits `gather` (a VFS register_wal_write_gather made) has written at
// their commit frame, since it was registered.
uint64_t wal_write_gather_commits(sqlite3_vfs* gather);
// The VFS a gather VFS wraps.
sqlite3_vfs* wal_write_gather_base(sqlite3_vfs* gather);

}  // namespace cg::sqlite
