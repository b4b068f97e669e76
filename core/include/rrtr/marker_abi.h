/* Side channel between an instrumented test binary and the rr-test-runner recorder.
 *
 * A test-framework adapter reports test events by making a system call with a number
 * that Linux does not assign. Outside recording the kernel answers -ENOSYS, so the
 * channel costs one failed syscall per event and changes nothing else. Under recording
 * the recorder intercepts the call, stores the payload in the trace as a marker event,
 * and lets the call fail with -ENOSYS exactly as it would natively, so recorded and
 * native runs see the same result.
 *
 * This header is C and C++, depends on nothing, and is the whole ABI: adapters include
 * it, the recorder includes it. */
#ifndef RRTR_MARKER_ABI_H
#define RRTR_MARKER_ABI_H

#include <stddef.h>

#define RRTR_MARKER_SYSCALL 0x7272L /* 29298; far above every assigned x86_64 number */

/* Payloads are UTF-8 JSON objects (not NUL-terminated; the length is passed):
 *   TEST_STARTED      {"framework":"gtest","name":"Suite.Case"}
 *   ASSERTION_FAILED  {"name":"Suite.Case","file":"a.cc","line":12,"message":"..."}
 *   TEST_ENDED        {"name":"Suite.Case","passed":false,"duration_ms":3}          */
enum rrtr_marker_kind {
  RRTR_MARKER_TEST_STARTED = 1,
  RRTR_MARKER_ASSERTION_FAILED = 2,
  RRTR_MARKER_TEST_ENDED = 3,
};

/* Payloads longer than this are truncated by the recorder. */
#define RRTR_MARKER_MAX_PAYLOAD 65536

/* Raw syscall rather than syscall(2): the libc wrapper would set errno, and a test that
 * inspects errno must see the same value with and without the adapter. */
static inline void rrtr_marker(long kind, const char* payload, size_t len) {
#if defined(__x86_64__)
  long ret;
  __asm__ volatile("syscall"
                   : "=a"(ret)
                   : "0"(RRTR_MARKER_SYSCALL), "D"(kind), "S"(payload), "d"(len)
                   : "rcx", "r11", "memory");
  (void)ret;
#else
  (void)kind; (void)payload; (void)len;
#endif
}

#endif
