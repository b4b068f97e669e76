#include "record/trace_opening.h"

#include <pthread.h>
#include <signal.h>

namespace rrtr {

TraceOpening::TraceOpening(std::function<std::unique_ptr<TraceWriter>()> open, const cpu_set_t& cpus) {
  // Signals go to the recorder's main thread, whose waitpid they must interrupt.
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  thread_ = std::thread([this, open = std::move(open)] {
    try {
      writer_ = open();
    } catch (...) {
      failure_ = std::current_exception();
    }
  });
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  pthread_setaffinity_np(thread_.native_handle(), sizeof cpus, &cpus);
}

TraceOpening::~TraceOpening() { wait(); }

void TraceOpening::wait() {
  if (thread_.joinable()) thread_.join();
}

TraceWriter& TraceOpening::get() {
  wait();
  if (failure_) std::rethrow_exception(failure_);
  return *writer_;
}

}  // namespace rrtr
