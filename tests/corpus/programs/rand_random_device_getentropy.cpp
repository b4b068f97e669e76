// The "getentropy" token forces libstdc++ onto the getentropy/getrandom path,
// the syscall-backed counterpart of the default RDRAND-backed device.
#include <iostream>
#include <random>

int main() {
  std::random_device rd("getentropy");
  for (int i = 0; i < 4; i++) std::cout << "value " << rd() << '\n';
  return 0;
}
