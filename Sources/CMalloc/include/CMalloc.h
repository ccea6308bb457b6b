#ifndef CMALLOC_H
#define CMALLOC_H

/// glibc's malloc_trim, which Swift's Glibc module does not import (it leaves out malloc.h). Elsewhere
/// (macOS, musl) it does nothing: those allocators return freed memory on their own.

/// Returns the free pages of every malloc arena to the operating system (`malloc_trim(0)`); 1 when some were.
int cmalloc_release_free_memory(void);

#endif
