// A SQLite VFS that gathers the writes of a transaction into its
// write-ahead log, so that a commit puts its frames into the file with a few
// large writes instead of two system calls per page.
//
// SQLite writes each WAL frame as two writes: its 24-byte header, then the
// page. A commit of 1,000 records writes some 500 pages: about 1,000
// `pwrite` calls on the store writer's thread, where a system call is dear
// (its commits were a fifth of that thread's time in session 9's profile,
// most of it these calls). This VFS wraps
// the default one; for a WAL file it keeps consecutive writes in a buffer
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
#pragma once

#include <sqlite3.h>

namespace cg::sqlite {

// Registers the VFS around the default one as the process's default (once;
// later calls do nothing). The store's connections open with it.
void use_wal_write_gather();

// Registers one around `base` under `name` (a string that outlives it), the
// default if `make_default`; it stays registered. Null if SQLite refuses it.
sqlite3_vfs* register_wal_write_gather(sqlite3_vfs* base, const char* name, bool make_default);

}  // namespace cg::sqlite
