// `rr-test-runner replay TRACE`: the replay served to gdb.
#pragma once

#include "commands.h"

namespace rrtr::cli {

// Starts the system gdb connected to the replay (or, with --gdb-port, waits for one
// client on 127.0.0.1:PORT). Returns gdb's exit status.
int replay_under_gdb(const ReplayArgs& a);

}  // namespace rrtr::cli
