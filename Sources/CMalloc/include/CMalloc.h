#ifndef CMALLOC_H
#define CMALLOC_H

/// glibc's allocator controls, which Swift's Glibc module does not import (it leaves out malloc.h). Elsewhere
/// (macOS, musl) both functions do nothing: those allocators return freed memory on their own.

/// Fixes the size from which allocations are mapped on their own (and unmapped when freed). Without it glibc
/// raises the threshold after each large free, so later large buffers stay in the heap once freed.
void cmalloc_fix_mmap_threshold(int bytes);

/// Returns the free pages of every malloc arena to the operating system (`malloc_trim(0)`); 1 when some were.
int cmalloc_release_free_memory(void);

#endif
