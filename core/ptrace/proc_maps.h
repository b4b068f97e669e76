// Parsing /proc/PID/maps.
#pragma once

#include <string>
#include <vector>

#include "common/types.h"

namespace rrtr {

// One line of /proc/PID/maps.
struct ProcMapping {
  RemotePtr start;
  RemotePtr end;
  int prot = 0;     // PROT_* bits
  bool shared = false;
  std::uint64_t offset = 0;
  std::uint64_t device = 0;  // makedev(major, minor)
  std::uint64_t inode = 0;
  std::string name;  // path, [stack], [vdso], or empty
  bool is_file() const { return inode != 0 && !name.empty() && name[0] == '/'; }
};

std::vector<ProcMapping> read_proc_maps(pid_t pid);

}  // namespace rrtr
