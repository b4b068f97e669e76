/* What the engine asked of this preload for the current exec: the flags it wrote into
 * the syscall buffer's header (rrtr/syscall_buffer_abi.h). The engine maps that page
 * before the program's first instruction; a process it does not trace (the library
 * preloaded by hand) has no such page, and reading it there would crash: madvise says
 * whether it is mapped, a native call that runs without a stop or an event, recording
 * and replay alike. */
#ifndef RRTR_PRELOAD_ENGINE_FLAGS_H
#define RRTR_PRELOAD_ENGINE_FLAGS_H

#include <sys/mman.h>

#include "rrtr/syscall_buffer_abi.h"

static inline int rrtr_engine_flag(uint32_t flag) {
  const struct rrtr_buffer_header* h = (const struct rrtr_buffer_header*)RRTR_BUFFER_ADDR;
  if (madvise((void*)h, sizeof *h, MADV_NORMAL) != 0) return 0;
  return h->magic == RRTR_BUFFER_MAGIC && (h->flags & flag);
}

#endif
