/* The program the gdb smoke test "debugs": never run, only loaded from its ELF file by
   a fake target. Static, no libc, so its memory is exactly its PT_LOAD segments. */
volatile int counter;

__attribute__((noinline)) void step_one(void) { counter += 1; }

__attribute__((noinline)) void step_two(void) { counter += 2; }

void _start(void) {
  step_one();
  step_two();
  for (;;) __asm__ volatile("mov $60, %%eax\n\txor %%edi, %%edi\n\tsyscall" ::: "rax", "rdi", "rcx", "r11", "memory");
}
