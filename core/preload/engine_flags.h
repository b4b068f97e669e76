/* What the engine asked of this preload for the current exec: the flags it wrote into
 * the syscall buffer's header (rrtr/syscall_buffer_abi.h). Only the engine preloads
 * this library, and it maps that page before the program's first instruction. */
#ifndef RRTR_PRELOAD_ENGINE_FLAGS_H
#define RRTR_PRELOAD_ENGINE_FLAGS_H

#include "rrtr/syscall_buffer_abi.h"

static inline int rrtr_engine_flag(uint32_t flag) {
  const struct rrtr_buffer_header* h = (const struct rrtr_buffer_header*)RRTR_BUFFER_ADDR;
  return h->magic == RRTR_BUFFER_MAGIC && (h->flags & flag);
}

#endif
