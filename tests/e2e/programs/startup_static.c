/* Statically linked: no preload, no announcement, and glibc's own start-up makes only
 * calls the start-up lets through, so the first call of main (or a signal) ends it.
 *   crash   faults before any call
 *   bigmap  maps 2 GiB, past the start-up's bound, then writes
 *   read    blocks reading stdin, then writes what it read
 *   bigheap fills 200 MiB of heap, then writes: more than a snapshot carries */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "";
  if (strcmp(mode, "crash") == 0) *(volatile int*)0 = 1;
  if (strcmp(mode, "bigmap") == 0) {
    void* p = mmap(NULL, 2UL << 30, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) return 2;
    write(1, "mapped\n", 7);
  }
  if (strcmp(mode, "bigheap") == 0) {
    const size_t size = 200UL << 20;
    char* heap = malloc(size);
    if (!heap) return 2;
    memset(heap, 'x', size);
    heap[size - 1] = '\n';
    write(1, heap + size - 8, 8);  /* the buffer escapes: the memset cannot be left out */
    return 0;
  }
  if (strcmp(mode, "read") == 0) {
    char buf[64];
    ssize_t n = read(0, buf, sizeof buf);
    if (n > 0) write(1, buf, (size_t)n);
  }
  return 0;
}
