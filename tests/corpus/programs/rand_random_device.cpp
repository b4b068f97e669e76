// libstdc++'s default random_device picks RDRAND/RDSEED when CPUID advertises
// them, so this value may come from an instruction rather than a syscall.
#include <iostream>
#include <random>

int main() {
  std::random_device rd;
  std::cout << "random_device entropy " << rd.entropy() << '\n';
  for (int i = 0; i < 4; i++) std::cout << "value " << rd() << '\n';
  return 0;
}
