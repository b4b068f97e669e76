// std::hash of a pointer is its value, so bucket order follows the heap
// addresses, which ASLR moves.
#include <cstdio>
#include <memory>
#include <unordered_map>
#include <vector>

int main() {
  std::vector<std::unique_ptr<int>> owned;
  std::unordered_map<const int *, int> map;
  for (int i = 0; i < 8; i++) {
    owned.push_back(std::make_unique<int>(i));
    map[owned.back().get()] = i;
  }
  for (const auto &[key, value] : map) std::printf("%p -> %d\n", (const void *)key, value);
  return 0;
}
