// The state of one gdb connection, and the few services handlers need beyond the
// target: sending console output ahead of a reply, and running the target with Ctrl-C
// wired up.
#pragma once

#include <cstddef>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "gdb/debug_target.h"
#include "gdb/host_io.h"
#include "gdb/stop_reply.h"
#include "gdb/thread_id.h"

namespace rrtr::gdb {

class Connection;

// Largest packet payload we tell gdb to send (qSupported PacketSize).
constexpr std::size_t kPacketSize = 0x4000;
// Incoming payloads up to this are accepted; longer ones are refused. The slack over
// kPacketSize tolerates clients that count the framing differently.
constexpr std::size_t kMaxIncomingPayload = 2 * kPacketSize;
// Bulk replies (m, qXfer, vFile:pread) carry at most this many bytes of data, so that
// even fully hex-encoded or escaped they stay within kPacketSize.
constexpr std::size_t kMaxReplyData = kPacketSize / 2 - 32;

// Handlers' view of a connection.
class Session {
 public:
  Session(DebugTarget& target, Connection& connection) : target_(target), connection_(connection) {}

  DebugTarget& target() { return target_; }

  // Sends `text` as gdb console output (`O` packets) before the handler's reply.
  bool send_console_output(std::string_view text);

  // Runs the target; a Ctrl-C from gdb meanwhile becomes request_interrupt(). Returns
  // the stop reply and makes the stopped thread the current one.
  std::string resume(Tid tid, Direction direction, ResumeKind kind, int host_signal);
  // The reply for `event` (which the target reported after running in `direction`).
  std::string stop_reply(const StopEvent& event, Direction direction);

  // The thread `selector` means: a named thread as is, a wildcard the current thread.
  Tid resolve(const ThreadSelector& selector);
  // The Hg thread if it exists, else the thread of the last stop, else the first one.
  Tid current_thread();
  bool thread_exists(Tid tid);

  // Client capabilities from qSupported.
  bool gdb_reports_swbreak = false;
  bool gdb_reports_hwbreak = false;
  // `!` seen: kill leaves the server up for a `run` (vRun).
  bool extended_mode = false;
  // Set by Hg / Hc.
  ThreadSelector general_thread{ThreadSelector::Kind::kAny, {}};
  ThreadSelector continue_thread{ThreadSelector::Kind::kAll, {}};
  // Direction of the last resume: ? must report the same replaylog end as it did.
  Direction last_direction = Direction::kForward;
  // Breakpoints gdb inserted, to tell a hardware from a software breakpoint stop.
  std::set<std::pair<BreakpointType, std::uint64_t>> breakpoints;
  FileTable files;

 private:
  DebugTarget& target_;
  Connection& connection_;
  // request_interrupt() is called only while a resume is under way, not for a Ctrl-C
  // that raced with the stop it would have caused.
  std::mutex interrupt_mutex_;
  bool resuming_ = false;
};

}  // namespace rrtr::gdb
