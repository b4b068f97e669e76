/* Active in recorded programs: where the program sees RDRAND (machines without CPUID
 * faulting, and everywhere during the start-up, whose CPUID is the real one: a
 * library's global std::random_device is made there), libstdc++'s std::random_device
 * would read RDRAND, whose values no trace can capture. This override sends the
 * hardware tokens to /dev/urandom, whose reads are recorded like any other file.
 *
 * It is C, not C++, so that preloading it into a C program does not drag libstdc++
 * into that program's address space. It relies on the layout of std::string in the
 * GCC C++11 ABI (pointer, length, 16-byte local buffer), which that ABI fixes. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>
#include <string.h>

#include "engine_flags.h"

struct cxx11_string {
  const char* data;
  size_t length;
  union {
    char local[16];
    size_t capacity;
  } u;
};

typedef void (*init_fn)(void* self, const struct cxx11_string* token);

static int is_hardware_token(const struct cxx11_string* t) {
  static const char* const tokens[] = {"default", "rdrand", "rdrnd", "rdseed", "hw", "hardware"};
  for (size_t i = 0; i < sizeof tokens / sizeof tokens[0]; ++i)
    if (t->length == strlen(tokens[i]) && memcmp(t->data, tokens[i], t->length) == 0) return 1;
  return 0;
}

#define RANDOM_DEVICE_INIT "_ZNSt13random_device7_M_initERKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEE"

void _ZNSt13random_device7_M_initERKNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEE(
    void* self, const struct cxx11_string* token) {
  init_fn real = (init_fn)dlsym(RTLD_NEXT, RANDOM_DEVICE_INIT);
  if (!rrtr_engine_flag(RRTR_BUFFER_RANDOM_DEVICE) || !is_hardware_token(token)) {
    real(self, token);
    return;
  }
  struct cxx11_string urandom;
  memcpy(urandom.u.local, "/dev/urandom", 13);
  urandom.data = urandom.u.local;
  urandom.length = 12;
  real(self, &urandom);
}
