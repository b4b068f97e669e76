/* Prints what its library's constructor left (startup_modes_lib.c). */
#include <stdio.h>

extern char startup_input[64];
extern char* startup_buffer;
void startup_report(void);

int main(void) {
  printf("main: input \"%s\", buffer %s\n", startup_input, startup_buffer ? "filled" : "none");
  startup_report();
  return 0;
}
