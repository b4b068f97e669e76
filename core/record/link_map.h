// The names ld.so gave the objects it loaded, read from the program's link map.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/types.h"

namespace rrtr {

class Task;

// One loaded object: its link_map l_name (the path ld.so opened, through symlinks: the
// name a debugger asks the target for) and l_ld, the address of its dynamic section.
struct LoadedObject {
  std::string name;
  RemotePtr dynamic;
};

// Walks r_debug's list from the executable's DT_DEBUG (found through `auxv`'s AT_PHDR).
// Empty for a static program or a list not set up yet; a damaged list ends the walk:
// the names only help a debugger.
std::vector<LoadedObject> loaded_objects(const Task& task, std::string_view auxv);

}  // namespace rrtr
