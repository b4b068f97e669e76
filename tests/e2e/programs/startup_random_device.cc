// Prints two draws of a std::random_device its library made in the start-up
// (startup_random_device_lib.cc): different on every native run.
#include <cstdio>

unsigned startup_draw();

int main() {
  const unsigned a = startup_draw(), b = startup_draw();
  std::printf("%u %u\n", a, b);
  return 0;
}
