/* The syscall buffer: how the preload library records system calls without a ptrace
 * stop, and how the engine reads them back.
 *
 * A ptrace stop costs 15-90 us on the machines this engine is for, two per recorded
 * call. The preload library (core/preload/syscall_buffer.c) replaces the entry of a
 * few libc wrappers (read, write, openat, fstatat, ...) with hooks that make the call
 * through the engine page's buffered gadget, which the recording's seccomp filter lets
 * through, and append what it returned and wrote to a log in the engine's buffer
 * region. The recorder turns the log into ordinary syscall events at the next stop
 * that appends an event, and empties it there; replay empties it at the same events,
 * so the hooks see the same free space and take the same paths in both.
 *
 * In replay the engine also fills a queue, after each event it applies, with the
 * buffered calls the recording made before its next event: a hook whose call is next
 * in the queue (same number, arguments and call site) takes the result and the
 * memory from there instead of making the call, and logs it as in the recording.
 * Anything else goes to the gadget, where the replay stops and answers or reports a
 * divergence.
 *
 * The region is mapped at a fixed address by the engine after every exec (rrtr_page.h)
 * and the engine writes the header before the program runs: without the magic, the
 * hooks are never installed. This header is C and C++ and depends on nothing. */
#ifndef RRTR_SYSCALL_BUFFER_ABI_H
#define RRTR_SYSCALL_BUFFER_ABI_H

#include <stdint.h>

#define RRTR_BUFFER_ADDR 0x70002000UL      /* after the engine page's gadget and scratch pages */
#define RRTR_BUFFER_LOG_END (1UL << 20)    /* header + log */
#define RRTR_BUFFER_SIZE (2UL << 20)       /* header + log, then the replay queue */
#define RRTR_BUFFERED_GADGET 0x70000010UL  /* "syscall; ret", allowed without a stop while recording */
#define RRTR_BUFFER_MAGIC 0x3146554252545252ULL /* "RRTRBUF1" */

/* Flags the engine sets in the header. */
#define RRTR_BUFFER_HOOKS 1u           /* install the hooks */
#define RRTR_BUFFER_RANDOM_DEVICE 2u   /* point std::random_device at /dev/urandom */
#define RRTR_BUFFER_REPLAY 4u          /* a replay: take calls from the queue */
#define RRTR_BUFFER_STARTUP 8u         /* a recording's start-up: make RRTR_STARTUP_SYSCALL
                                          before installing the hooks */

/* What ioctl(TCGETS) writes: the kernel's struct termios (four flag words, c_line,
 * 19 control characters), smaller than glibc's, which tcgetattr fills from it. The
 * preload logs exactly this much; the engine's table says the same. */
#define RRTR_KERNEL_TERMIOS_SIZE 36u

/* A syscall number no kernel assigns. The preload makes it first thing while
 * RRTR_BUFFER_STARTUP is set: the recorder lets the program's start-up (ld.so's
 * loading and relocation, libraries' constructors) run without stops and snapshots
 * the address space at this call, before any hook can reach the buffered gadget,
 * which the start-up lets through unrecorded. */
#define RRTR_STARTUP_SYSCALL 0x7274

struct rrtr_buffer_header {
  uint64_t magic;
  uint32_t flags;
  uint32_t busy;      /* program-private: a hook is between its call and its commit */
  uint64_t log_used;  /* bytes of committed records after the header; the engine resets it */
  uint64_t queue_used; /* replay: bytes of records in the queue, written by the engine */
  uint64_t queue_next; /* replay: offset of the next record a hook takes */
  uint64_t call_recorded; /* the engine made the call in flight an event (a signal came
                             with its return): the hook must not log it; it resets this */
  uint64_t reserved[2];
};

/* Kinds of memory a record carries. */
enum rrtr_region_kind {
  RRTR_REGION_OUT = 1,      /* the kernel wrote these bytes at addr (read's buffer, stat) */
  RRTR_REGION_WRITTEN = 2,  /* the program handed these bytes to the kernel (write) */
  RRTR_REGION_PATH = 3,     /* a path argument, NUL excluded (openat) */
};

struct rrtr_buffer_region {
  uint64_t addr;
  uint32_t kind;
  uint32_t len; /* followed by len bytes, padded to 8 */
};

/* What `len` bytes of a region take in a record. */
static inline uint64_t rrtr_buffer_padded(uint64_t len) { return (len + 7) & ~(uint64_t)7; }

/* Record flags. */
#define RRTR_RECORD_QUEUED 1u /* replay: answered from the queue, not made */

/* A logged record's regions at most: a hook has one rule. (The replay queue's records
 * carry one region per write the event has.) */
#define RRTR_LOG_RECORD_MAX_REGIONS 1u

/* One completed call: the header, then `regions` regions. */
struct rrtr_buffer_record {
  uint32_t size;    /* of the whole record, a multiple of 8 */
  uint16_t regions;
  uint16_t flags;
  int64_t nr;
  uint64_t args[6];
  int64_t result;   /* the raw kernel result: -errno on failure */
  uint64_t caller;  /* where the libc function was called from; also in r12 at the gadget */
};

#define RRTR_BUFFER_LOG_CAPACITY (RRTR_BUFFER_LOG_END - sizeof(struct rrtr_buffer_header))
#define RRTR_BUFFER_QUEUE_CAPACITY (RRTR_BUFFER_SIZE - RRTR_BUFFER_LOG_END)

#endif
