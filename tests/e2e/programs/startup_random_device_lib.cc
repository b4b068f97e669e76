// A library-global std::random_device: made by the library's constructor, in the
// program's start-up, whose CPUID (the real one) offers RDRAND, which no trace holds.
#include <random>

std::random_device startup_rd;
unsigned startup_draw() { return startup_rd(); }
