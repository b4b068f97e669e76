/* Built by the portability test into a temporary directory, next to its library. */
#include <stdio.h>

const char* portable_greeting(void);

int main(int argc, char** argv) {
  printf("%s\n", portable_greeting());
  for (int i = 1; i < argc; ++i) printf("arg %d: %s\n", i, argv[i]);
  return 5;
}
