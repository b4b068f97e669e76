// steady_clock differences are what test code uses for timeouts.
#include <chrono>
#include <iostream>

int main() {
  auto a = std::chrono::steady_clock::now();
  volatile unsigned sink = 0;
  for (unsigned i = 0; i < 100000; i++) sink = sink + i;
  auto b = std::chrono::steady_clock::now();
  std::cout << "steady_clock " << a.time_since_epoch().count() << '\n';
  std::cout << "elapsed ns " << std::chrono::nanoseconds(b - a).count() << '\n';
  return 0;
}
