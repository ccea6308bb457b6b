#include "CMalloc.h"

#if defined(__linux__)
#include <features.h>
#endif

#if defined(__GLIBC__)
#include <malloc.h>

void cmalloc_fix_mmap_threshold(int bytes) { mallopt(M_MMAP_THRESHOLD, bytes); }

int cmalloc_release_free_memory(void) { return malloc_trim(0); }

#else

void cmalloc_fix_mmap_threshold(int bytes) { (void)bytes; }

int cmalloc_release_free_memory(void) { return 0; }

#endif
