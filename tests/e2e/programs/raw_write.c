/* Writes with the write(2) wrapper, no stdio, so the trace holds exactly one write to
 * fd 1 of a known length. */
#include <unistd.h>

int main(void) {
  static const char msg[] = "raw write to stdout\n";
  return write(1, msg, sizeof msg - 1) == (ssize_t)(sizeof msg - 1) ? 0 : 1;
}
