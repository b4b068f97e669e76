/* The program side of the syscall buffer (rrtr/syscall_buffer_abi.h).
 *
 * At load time, when the engine has enabled the buffer, the entries of a few libc
 * syscall wrappers are overwritten with a jump to a hook here. A hook makes the call
 * through the engine page's buffered gadget, which the recording's seccomp filter lets
 * through without a stop, and appends what the call returned and wrote to the log.
 * Patching the functions themselves, not their PLT entries, also catches libc's calls
 * to itself (stdio's writes, fstat through fstatat).
 *
 * A hook gives the program what the wrapper would: the same system call with the same
 * arguments, the result, errno on failure. When the log has no room, or a hook is
 * already running (a signal handler interrupted one), the call is made from here with
 * a plain syscall instruction: an ordinary traced call, after which the engine has
 * emptied the log. In replay the same code runs and the gadget stops: the engine
 * answers from the trace, so the hooks take the same paths with the same results.
 *
 * Built with -mno-red-zone: the gadget is reached with a call, whose return address
 * would overwrite data the compiler keeps below the stack pointer. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "engine_flags.h"

#define PATH_REGION_MAX 4096

static struct rrtr_buffer_header* header(void) { return (struct rrtr_buffer_header*)RRTR_BUFFER_ADDR; }

/* The unused argument registers are zero, so that a replay sees the logged arguments. */
static long traced_syscall(long nr, long a0, long a1, long a2, long a3) {
  long r;
  register long r10 __asm__("r10") = a3;
  register long r8 __asm__("r8") = 0;
  register long r9 __asm__("r9") = 0;
  __asm__ volatile("syscall"
                   : "=a"(r)
                   : "0"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8), "r"(r9)
                   : "rcx", "r11", "memory");
  return r;
}

/* r12 carries the caller to the gadget, where a replay compares it with the log's: a
 * call from elsewhere (a debugger's inferior call) is not the recorded one. */
static long gadget_syscall(long nr, long a0, long a1, long a2, long a3, uint64_t caller) {
  long r;
  register long r10 __asm__("r10") = a3;
  register long r8 __asm__("r8") = 0;
  register long r9 __asm__("r9") = 0;
  register uint64_t r12 __asm__("r12") = caller;
  __asm__ volatile("call *%[gadget]"
                   : "=a"(r)
                   : "0"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8), "r"(r9), "r"(r12),
                     [gadget] "r"(RRTR_BUFFERED_GADGET)
                   : "rcx", "r11", "memory");
  return r;
}

static long with_errno(long r) {
  if ((unsigned long)r > -4096UL) {
    errno = (int)-r;
    return -1;
  }
  return r;
}

/* The memory a call hands back (or takes) besides its result: `max` bounds it before
 * the call, `len` gives it after, from the result. */
struct region_rule {
  uint32_t kind;
  const void* addr;
  uint64_t max;
  uint64_t (*len)(const void* addr, uint64_t max, long result);
};

static uint64_t len_by_result(const void* addr, uint64_t max, long r) {
  (void)addr;
  return r > 0 && (uint64_t)r <= max ? (uint64_t)r : 0;
}
static uint64_t len_if_ok(const void* addr, uint64_t max, long r) {
  (void)addr;
  return r == 0 ? max : 0;
}
static uint64_t len_unless_failed(const void* addr, uint64_t max, long r) {
  (void)addr;
  return (unsigned long)r > -4096UL ? 0 : max;
}
/* Only for a call that succeeded: then the kernel read the string, so it is there. */
static uint64_t len_of_path(const void* addr, uint64_t max, long r) {
  if (r < 0) return 0;
  uint64_t n = strnlen((const char*)addr, max);
  return n < max ? n : 0;
}

static void append_region(unsigned char** at, uint32_t* count, const struct region_rule* rule, long r) {
  const uint64_t len = rule->len(rule->addr, rule->max, r);
  if (len == 0) return;
  struct rrtr_buffer_region* g = (struct rrtr_buffer_region*)*at;
  g->addr = (uint64_t)(uintptr_t)rule->addr;
  g->kind = rule->kind;
  g->len = (uint32_t)len;
  memcpy(g + 1, rule->addr, len);
  *at += sizeof *g + rrtr_buffer_padded(len);
  ++*count;
}

/* Replay: the next queued call if it is this one (number, arguments, call site), with
 * its memory written where the recording's kernel wrote it; else NULL. */
static const struct rrtr_buffer_record* take_queued(struct rrtr_buffer_header* h, const struct rrtr_buffer_record* call) {
  if (!(h->flags & RRTR_BUFFER_REPLAY) || h->queue_next >= h->queue_used) return NULL;
  const unsigned char* queue = (const unsigned char*)h + RRTR_BUFFER_LOG_END;
  const struct rrtr_buffer_record* q = (const struct rrtr_buffer_record*)(queue + h->queue_next);
  if (q->nr != call->nr || memcmp(q->args, call->args, sizeof q->args) != 0 || q->caller != call->caller) return NULL;
  const unsigned char* at = (const unsigned char*)(q + 1);
  for (uint16_t i = 0; i < q->regions; ++i) {
    const struct rrtr_buffer_region* g = (const struct rrtr_buffer_region*)at;
    memcpy((void*)(uintptr_t)g->addr, g + 1, g->len);
    at += sizeof *g + rrtr_buffer_padded(g->len);
  }
  h->queue_next += q->size;
  return q;
}

/* One call, logged when there is room; `rule` may be NULL. Returns the raw result.
 * `caller`: the return address of the hook, which libc's caller called. */
static long buffered_from(uint64_t caller, long nr, long a0, long a1, long a2, long a3,
                          const struct region_rule* rule) {
  struct rrtr_buffer_header* h = header();
  const uint64_t need =
      sizeof(struct rrtr_buffer_record) + (rule ? sizeof(struct rrtr_buffer_region) + rrtr_buffer_padded(rule->max) : 0);
  if (h->busy || (rule && rule->max > RRTR_BUFFER_LOG_CAPACITY) || need > RRTR_BUFFER_LOG_CAPACITY - h->log_used)
    return traced_syscall(nr, a0, a1, a2, a3);
  h->busy = 1;
  __atomic_signal_fence(__ATOMIC_SEQ_CST);
  struct rrtr_buffer_record* rec = (struct rrtr_buffer_record*)((unsigned char*)(h + 1) + h->log_used);
  rec->nr = nr;
  rec->args[0] = (uint64_t)a0;
  rec->args[1] = (uint64_t)a1;
  rec->args[2] = (uint64_t)a2;
  rec->args[3] = (uint64_t)a3;
  rec->args[4] = rec->args[5] = 0;
  rec->caller = caller;
  rec->flags = 0;
  const struct rrtr_buffer_record* queued = take_queued(h, rec);
  const long r = queued ? queued->result : gadget_syscall(nr, a0, a1, a2, a3, caller);
  if (h->call_recorded) {  /* a signal came as it returned: the engine has it already */
    h->call_recorded = 0;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    h->busy = 0;
    return r;
  }
  if (queued) rec->flags = RRTR_RECORD_QUEUED;
  unsigned char* end = (unsigned char*)(rec + 1);
  uint32_t regions = 0;
  if (rule) append_region(&end, &regions, rule, r);
  rec->size = (uint32_t)(end - (unsigned char*)rec);
  rec->regions = (uint16_t)regions;
  rec->result = r;
  __atomic_signal_fence(__ATOMIC_SEQ_CST);
  h->log_used += rec->size;
  __atomic_signal_fence(__ATOMIC_SEQ_CST);
  h->busy = 0;
  return r;
}

/* In a hook only: the hook was jumped to from libc's entry, so its return address is
 * the program's call site. */
#define buffered(...) buffered_from((uint64_t)(uintptr_t)__builtin_return_address(0), __VA_ARGS__)

/* --- The hooks: each has its wrapper's signature and POSIX meaning. --- */

static ssize_t hook_read(int fd, void* buf, size_t n) {
  const struct region_rule out = {RRTR_REGION_OUT, buf, n, len_by_result};
  return with_errno(buffered(SYS_read, fd, (long)buf, (long)n, 0, &out));
}

static ssize_t hook_pread64(int fd, void* buf, size_t n, off_t off) {
  const struct region_rule out = {RRTR_REGION_OUT, buf, n, len_by_result};
  return with_errno(buffered(SYS_pread64, fd, (long)buf, (long)n, off, &out));
}

static ssize_t hook_write(int fd, const void* buf, size_t n) {
  const struct region_rule written = {RRTR_REGION_WRITTEN, buf, n, len_by_result};
  return with_errno(buffered(SYS_write, fd, (long)buf, (long)n, 0, &written));
}

static int hook_close(int fd) { return (int)with_errno(buffered(SYS_close, fd, 0, 0, 0, NULL)); }

static off_t hook_lseek(int fd, off_t off, int whence) {
  return with_errno(buffered(SYS_lseek, fd, off, whence, 0, NULL));
}

/* The mode is an argument only when the flags create a file, as in libc. */
static long open_mode(int flags, va_list ap) {
  return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? (long)va_arg(ap, int) : 0;
}

static int openat_call(uint64_t caller, int dirfd, const char* path, int flags, long mode) {
  const struct region_rule p = {RRTR_REGION_PATH, path, PATH_REGION_MAX, len_of_path};
  return (int)with_errno(buffered_from(caller, SYS_openat, dirfd, (long)path, flags, mode, &p));
}

static int hook_open(const char* path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  const long mode = open_mode(flags, ap);
  va_end(ap);
  return openat_call((uint64_t)(uintptr_t)__builtin_return_address(0), AT_FDCWD, path, flags, mode);
}

static int hook_openat(int dirfd, const char* path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  const long mode = open_mode(flags, ap);
  va_end(ap);
  return openat_call((uint64_t)(uintptr_t)__builtin_return_address(0), dirfd, path, flags, mode);
}

static int hook_fstatat(int dirfd, const char* path, struct stat* st, int flags) {
  const struct region_rule out = {RRTR_REGION_OUT, st, sizeof *st, len_if_ok};
  return (int)with_errno(buffered(SYS_newfstatat, dirfd, (long)path, (long)st, flags, &out));
}

static int hook_unlink(const char* path) { return (int)with_errno(buffered(SYS_unlink, (long)path, 0, 0, 0, NULL)); }

static int hook_access(const char* path, int mode) {
  return (int)with_errno(buffered(SYS_access, (long)path, mode, 0, 0, NULL));
}

static int hook_rename(const char* from, const char* to) {
  return (int)with_errno(buffered(SYS_rename, (long)from, (long)to, 0, 0, NULL));
}

static int hook_truncate(const char* path, off_t len) {
  return (int)with_errno(buffered(SYS_truncate, (long)path, len, 0, 0, NULL));
}

static int hook_fsync(int fd) { return (int)with_errno(buffered(SYS_fsync, fd, 0, 0, 0, NULL)); }

/* time(NULL) writes nothing: then there is no region, as the table ignores a NULL output. */
static time_t hook_time(time_t* t) {
  const struct region_rule out = {RRTR_REGION_OUT, t, sizeof *t, len_unless_failed};
  return (time_t)with_errno(buffered(SYS_time, (long)t, 0, 0, 0, t ? &out : NULL));
}

/* glibc's isatty is tcgetattr's ioctl(TCGETS), made inline: gtest asks it of stdout
 * to choose colours. Its answer is TCGETS's success, its errno TCGETS's. */
static int hook_isatty(int fd) {
  unsigned char kernel_termios[RRTR_KERNEL_TERMIOS_SIZE];
  const struct region_rule out = {RRTR_REGION_OUT, kernel_termios, sizeof kernel_termios, len_if_ok};
  return with_errno(buffered(SYS_ioctl, fd, TCGETS, (long)kernel_termios, 0, &out)) == 0;
}

#define JMP_LEN 5 /* a hook's jump over a libc entry: jmp rel32 */

/* glibc's own getcwd, for what the kernel's cannot answer (a path longer than a page, a
 * directory outside the root): it walks the tree itself. Set by install_hooks. */
static unsigned char* getcwd_entry;
static unsigned char getcwd_entry_bytes[JMP_LEN];

/* Makes the pages of libc's text over [lo, hi) writable, or read-and-execute again;
 * false if the system refuses. */
static int protect_text(uintptr_t lo, uintptr_t hi, int writable) {
  const uintptr_t page = 4096, start = lo & ~(page - 1);
  const size_t len = (hi - start + page - 1) & ~(size_t)(page - 1);
  return mprotect((void*)start, len, PROT_READ | PROT_EXEC | (writable ? PROT_WRITE : 0)) == 0;
}

/* Writes the first JMP_LEN bytes of glibc's getcwd: its own, or the jump to the hook;
 * false if its text cannot be made writable. */
static int set_getcwd_entry(const unsigned char* bytes) {
  const uintptr_t lo = (uintptr_t)getcwd_entry, hi = lo + JMP_LEN;
  if (!protect_text(lo, hi, 1)) return 0;
  memcpy(getcwd_entry, bytes, JMP_LEN);
  protect_text(lo, hi, 0);
  return 1;
}

static char* glibc_getcwd(char* buf, size_t size) {
  /* Its entry put back for the call. One thread: the recorder refuses a second, which
   * would meanwhile call it unhooked. A program that has since forbidden itself
   * mprotect (a seccomp sandbox) gets the kernel's answer. */
  unsigned char hook_jump[JMP_LEN];
  memcpy(hook_jump, getcwd_entry, sizeof hook_jump);
  if (!set_getcwd_entry(getcwd_entry_bytes)) {
    errno = ENAMETOOLONG;
    return NULL;
  }
  char* r = ((char* (*)(char*, size_t))(void*)getcwd_entry)(buf, size);
  const int err = errno;
  set_getcwd_entry(hook_jump);
  errno = err;
  return r;
}

/* glibc's getcwd: into the caller's buffer, or into one it allocates (`size` bytes, or
 * with size 0 a page, then trimmed to fit); the kernel answers the length with the NUL. */
static char* hook_getcwd(char* buf, size_t size) {
  size_t alloc_size = size;
  if (size == 0) {
    if (buf != NULL) {
      errno = EINVAL;
      return NULL;
    }
    const long page = sysconf(_SC_PAGESIZE);
    alloc_size = page > PATH_MAX ? (size_t)page : PATH_MAX;
  }
  char* path = buf ? buf : malloc(alloc_size);
  if (path == NULL) return NULL;
  const struct region_rule out = {RRTR_REGION_OUT, path, alloc_size, len_by_result};
  const long r = buffered(SYS_getcwd, (long)path, (long)alloc_size, 0, 0, &out);
  if (r > 0 && path[0] == '/') {
    if (buf != NULL || size != 0) return path;
    char* fitted = realloc(path, (size_t)r);
    return fitted ? fitted : path;
  }
  if (buf == NULL) free(path);
  if (r >= 0 || r == -ENAMETOOLONG) return glibc_getcwd(buf, size);
  errno = (int)-r;
  return NULL;
}

static pid_t hook_getpid(void) { return (pid_t)buffered(SYS_getpid, 0, 0, 0, 0, NULL); }

static pid_t hook_getppid(void) { return (pid_t)buffered(SYS_getppid, 0, 0, 0, 0, NULL); }

static int hook_clock_gettime(clockid_t clock, struct timespec* ts) {
  const struct region_rule out = {RRTR_REGION_OUT, ts, sizeof *ts, len_if_ok};
  return (int)with_errno(buffered(SYS_clock_gettime, clock, (long)ts, 0, 0, &out));
}

/* libc's names for each hooked function; the _nocancel ones are what stdio calls. */
static const struct {
  const char* name;
  void* hook;
} hooked[] = {
    {"read", (void*)hook_read},
    {"__read_nocancel", (void*)hook_read},
    {"pread64", (void*)hook_pread64},
    {"write", (void*)hook_write},
    {"__write_nocancel", (void*)hook_write},
    {"close", (void*)hook_close},
    {"__close_nocancel", (void*)hook_close},
    {"lseek64", (void*)hook_lseek},
    {"open64", (void*)hook_open},
    {"__open64_nocancel", (void*)hook_open},
    {"openat64", (void*)hook_openat},
    {"fstatat64", (void*)hook_fstatat},
    {"unlink", (void*)hook_unlink},
    {"access", (void*)hook_access},
    {"rename", (void*)hook_rename},
    {"truncate64", (void*)hook_truncate},
    {"fsync", (void*)hook_fsync},
    {"time", (void*)hook_time},
    {"isatty", (void*)hook_isatty},
    {"getpid", (void*)hook_getpid},
    {"getppid", (void*)hook_getppid},
    {"clock_gettime", (void*)hook_clock_gettime},
    {"getcwd", (void*)hook_getcwd},
};
#define HOOKED_COUNT (sizeof hooked / sizeof hooked[0])

/* Every target must be reachable with a 32-bit jump, and all of them must lie in one
 * range that mprotect can open at once (libc's text): two mprotects, not two per hook.
 * Anything unexpected leaves libc as it is, and every call is simply traced. */
static void install_hooks(void) {
  /* libc's own definitions, whatever else is preloaded. */
  void* libc = dlopen("libc.so.6", RTLD_LAZY | RTLD_NOLOAD);
  if (!libc) return;
  unsigned char* target[HOOKED_COUNT];
  uintptr_t lo = UINTPTR_MAX, hi = 0;
  for (size_t i = 0; i < HOOKED_COUNT; ++i) {
    target[i] = (unsigned char*)dlsym(libc, hooked[i].name);
    if (!target[i]) continue;
    const intptr_t rel = (intptr_t)hooked[i].hook - (intptr_t)(target[i] + JMP_LEN);
    if (rel != (int32_t)rel) return;
    if ((uintptr_t)target[i] < lo) lo = (uintptr_t)target[i];
    if ((uintptr_t)target[i] + JMP_LEN > hi) hi = (uintptr_t)target[i] + JMP_LEN;
  }
  if (hi == 0 || !protect_text(lo, hi, 1)) return;
  for (size_t i = 0; i < HOOKED_COUNT; ++i) {
    if (!target[i]) continue;
    if (hooked[i].hook == (void*)hook_getcwd) {
      getcwd_entry = target[i];
      memcpy(getcwd_entry_bytes, target[i], JMP_LEN);
    }
    const int32_t rel = (int32_t)((intptr_t)hooked[i].hook - (intptr_t)(target[i] + JMP_LEN));
    target[i][0] = 0xe9; /* jmp rel32 */
    memcpy(target[i] + 1, &rel, sizeof rel);
  }
  protect_text(lo, hi, 0);
}

__attribute__((constructor)) static void rrtr_syscall_buffer_init(void) {
  if (rrtr_engine_flag(RRTR_BUFFER_STARTUP)) traced_syscall(RRTR_STARTUP_SYSCALL, 0, 0, 0, 0);
  if (rrtr_engine_flag(RRTR_BUFFER_HOOKS)) install_hooks();
}
