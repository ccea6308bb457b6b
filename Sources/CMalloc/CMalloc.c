#include "CMalloc.h"

#if defined(__linux__)
#include <features.h>
#endif

#if defined(__GLIBC__)
#include <malloc.h>

int cmalloc_release_free_memory(void) { return malloc_trim(0); }

#else

int cmalloc_release_free_memory(void) { return 0; }

#endif
