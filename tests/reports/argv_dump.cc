// Writes "<length>:<bytes>\n" per argument after argv[0]; lengths make embedded
// newlines and quotes unambiguous.
#include <cstdio>
#include <cstring>

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::printf("%zu:", std::strlen(argv[i]));
    std::fwrite(argv[i], 1, std::strlen(argv[i]), stdout);
    std::putchar('\n');
  }
  return 0;
}
