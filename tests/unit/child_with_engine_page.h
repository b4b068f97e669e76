// A real traced child for tests of remote syscalls: the engine page mapped, whatever
// `setup` does done, then stopped at a SIGSTOP it raised itself.
#pragma once

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <functional>

#include "ptrace/rrtr_page.h"
#include "ptrace/tracee_process.h"

namespace rrtr {

struct ChildWithEnginePage {
  explicit ChildWithEnginePage(const std::function<void()>& setup = [] {})
      : proc{0, [&] {
               using namespace rrtr_page;
               void* page = mmap(reinterpret_cast<void*>(kAddr.value()), kSize, PROT_READ | PROT_WRITE,
                                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
               if (page == MAP_FAILED) _exit(3);
               std::memcpy(page, kGadgetBytes, sizeof kGadgetBytes);
               mprotect(page, kPageSize, PROT_READ | PROT_EXEC);
               setup();
               raise(SIGSTOP);
               for (;;) pause();
             }} {
    proc.task().resume(Resume::kCont);
    WaitStatus st = proc.task().wait();
    if (st.delivered_signal() != SIGSTOP) ADD_FAILURE() << st.describe();
  }
  TraceeProcess proc;
};

}  // namespace rrtr
