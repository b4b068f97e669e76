#include "record/link_map.h"

#include <elf.h>
#include <link.h>

#include <cstring>
#include <optional>

#include "ptrace/task.h"

namespace rrtr {

namespace {

std::optional<std::uint64_t> auxv_value(std::string_view auxv, std::uint64_t type) {
  for (std::size_t at = 0; at + 16 <= auxv.size(); at += 16) {
    std::uint64_t entry[2];
    std::memcpy(entry, auxv.data() + at, sizeof entry);
    if (entry[0] == type) return entry[1];
    if (entry[0] == AT_NULL) break;
  }
  return std::nullopt;
}

template <typename T>
std::optional<T> read(const Task& task, std::uint64_t addr) {
  T v;
  if (task.try_read_mem(RemotePtr(addr), &v, sizeof v) != sizeof v) return std::nullopt;
  return v;
}

// r_debug's address: the executable's DT_DEBUG, which ld.so fills in.
std::optional<std::uint64_t> r_debug_of(const Task& task, std::string_view auxv) {
  const auto phdr = auxv_value(auxv, AT_PHDR), phnum = auxv_value(auxv, AT_PHNUM);
  if (!phdr || !phnum || *phnum > 256) return std::nullopt;
  std::optional<std::uint64_t> bias, dynamic;
  for (std::uint64_t i = 0; i < *phnum; ++i) {
    const auto ph = read<Elf64_Phdr>(task, *phdr + i * sizeof(Elf64_Phdr));
    if (!ph) return std::nullopt;
    if (ph->p_type == PT_PHDR) bias = *phdr - ph->p_vaddr;
    if (ph->p_type == PT_DYNAMIC) dynamic = ph->p_vaddr;
  }
  if (!bias || !dynamic) return std::nullopt;  // static, or no PT_PHDR to place it by
  for (int i = 0; i < 1024; ++i) {
    const auto d = read<Elf64_Dyn>(task, *bias + *dynamic + i * sizeof(Elf64_Dyn));
    if (!d || d->d_tag == DT_NULL) return std::nullopt;
    if (d->d_tag == DT_DEBUG) return d->d_un.d_ptr ? std::optional(d->d_un.d_ptr) : std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

std::vector<LoadedObject> loaded_objects(const Task& task, std::string_view auxv) {
  std::vector<LoadedObject> objects;
  const auto debug = r_debug_of(task, auxv);
  if (!debug) return objects;
  const auto r = read<r_debug>(task, *debug);
  if (!r) return objects;
  auto* at = r->r_map;
  for (int i = 0; at && i < 4096; ++i) {  // a bound against a cycle
    const auto lm = read<link_map>(task, reinterpret_cast<std::uint64_t>(at));
    if (!lm) break;
    if (lm->l_name) {
      std::string name = task.read_c_string(RemotePtr(reinterpret_cast<std::uint64_t>(lm->l_name)));
      if (!name.empty()) objects.push_back({std::move(name), RemotePtr(reinterpret_cast<std::uint64_t>(lm->l_ld))});
    }
    at = lm->l_next;
  }
  return objects;
}

}  // namespace rrtr
