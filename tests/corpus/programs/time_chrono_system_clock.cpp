// libstdc++ reaches the clock through its own wrapper, not through time().
#include <chrono>
#include <iostream>

int main() {
  auto now = std::chrono::system_clock::now();
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch());
  std::cout << "system_clock ns since epoch " << ns.count() << '\n';
  return 0;
}
