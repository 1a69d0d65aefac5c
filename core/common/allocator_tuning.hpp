// glibc malloc settings for the long-running gateway process.
#pragma once

namespace cg {

// Large buffers (feed files, decoded text, batch bodies: over 1 MiB) are
// mapped and unmapped on their own instead of staying in the heap once freed
// (glibc otherwise raises its mmap threshold after the first such free):
// measured on a backlog of 10,000-record files, peak RSS 310 -> 242 MiB.
// The threads share at most eight malloc arenas (glibc's default is eight
// per core). Two had been set with the threshold, but the busy threads (the
// store writer, the mapping thread, the commit hand-off, the router, the
// delivery lanes) then queued for an arena's lock: the writer and the mapping
// thread spent much of their time in futex calls inside malloc, and the
// mapping thread's CPU per record doubled once the writer got faster. With
// eight, a 5 M record backlog peaks at the same RSS (docs/performance.md).
// Environment GLIBC_TUNABLES are overridden.
void tune_allocator_for_gateway();

}  // namespace cg
