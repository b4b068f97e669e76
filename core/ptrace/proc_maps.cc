#include "ptrace/proc_maps.h"

#include <sys/mman.h>
#include <sys/sysmacros.h>

#include <cinttypes>
#include <cstdio>
#include <sstream>

#include "common/error.h"
#include "common/files.h"

namespace rrtr {

std::vector<ProcMapping> read_proc_maps(pid_t pid) {
  auto text = read_proc_file(fmt::format("/proc/{}/maps", pid));
  if (!text) fail_errno(fmt::format("read /proc/{}/maps", pid));
  std::vector<ProcMapping> out;
  std::istringstream in(*text);
  std::string line;
  while (std::getline(in, line)) {
    std::uint64_t start = 0, end = 0, offset = 0, inode = 0;
    char perms[5] = {};
    unsigned dev_major = 0, dev_minor = 0;
    int name_at = 0;
    if (std::sscanf(line.c_str(), "%" SCNx64 "-%" SCNx64 " %4s %" SCNx64 " %x:%x %" SCNu64 " %n", &start, &end, perms,
                    &offset, &dev_major, &dev_minor, &inode, &name_at) < 7)
      continue;
    ProcMapping m;
    m.start = RemotePtr(start);
    m.end = RemotePtr(end);
    m.prot = (perms[0] == 'r' ? PROT_READ : 0) | (perms[1] == 'w' ? PROT_WRITE : 0) | (perms[2] == 'x' ? PROT_EXEC : 0);
    m.shared = perms[3] == 's';
    m.offset = offset;
    m.device = makedev(dev_major, dev_minor);
    m.inode = inode;
    if (name_at > 0 && static_cast<std::size_t>(name_at) <= line.size()) m.name = line.substr(static_cast<std::size_t>(name_at));
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace rrtr
