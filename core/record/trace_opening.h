// The trace directory made beside the program's start-up rather than before it.
#pragma once

#include <sched.h>

#include <exception>
#include <functional>
#include <memory>
#include <thread>

#include "trace/trace_dir.h"

namespace rrtr {

// Runs `open` (making the trace directory and its meta.json, ~0.3 ms of the CPUID
// probing and file system calls) on a thread on `cpus` while the recorder execs the
// program and lets its start-up run, which needs no trace; get() waits for it. What
// `open` threw, get() throws, every time.
class TraceOpening {
 public:
  TraceOpening(std::function<std::unique_ptr<TraceWriter>()> open, const cpu_set_t& cpus);
  TraceOpening(const TraceOpening&) = delete;
  TraceOpening& operator=(const TraceOpening&) = delete;
  ~TraceOpening();

  TraceWriter& get();

 private:
  void wait();

  std::unique_ptr<TraceWriter> writer_;
  std::exception_ptr failure_;
  std::thread thread_;
};

}  // namespace rrtr
