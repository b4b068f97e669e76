#include "elf_program_target.h"

#include <elf.h>

#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace rrtr::gdb::testing {

namespace {

constexpr std::uint64_t kStackTop = 0x7ffffffff000;
constexpr std::uint64_t kStackSize = 0x10000;

}  // namespace

namespace {

std::map<std::string, Elf64_Sym> function_symbols(const std::string& elf, const Elf64_Ehdr& eh) {
  std::map<std::string, Elf64_Sym> out;
  for (int i = 0; i < eh.e_shnum; ++i) {
    Elf64_Shdr sh;
    std::memcpy(&sh, elf.data() + eh.e_shoff + i * sizeof(sh), sizeof(sh));
    if (sh.sh_type != SHT_SYMTAB) continue;
    Elf64_Shdr strtab;
    std::memcpy(&strtab, elf.data() + eh.e_shoff + sh.sh_link * sizeof(strtab), sizeof(strtab));
    for (std::size_t off = 0; off + sizeof(Elf64_Sym) <= sh.sh_size; off += sizeof(Elf64_Sym)) {
      Elf64_Sym sym;
      std::memcpy(&sym, elf.data() + sh.sh_offset + off, sizeof(sym));
      if (ELF64_ST_TYPE(sym.st_info) != STT_FUNC) continue;
      out[std::string(elf.c_str() + strtab.sh_offset + sym.st_name)] = sym;
    }
  }
  return out;
}

}  // namespace

ElfProgramTarget::ElfProgramTarget(const std::string& real_path, std::string reported_path,
                                   const std::vector<std::string>& timeline)
    : reported_path_(std::move(reported_path)) {
  std::ifstream in(real_path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  elf_ = ss.str();
  Elf64_Ehdr eh;
  if (elf_.size() < sizeof(eh)) throw std::runtime_error("not an ELF file: " + real_path);
  std::memcpy(&eh, elf_.data(), sizeof(eh));
  if (std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0) throw std::runtime_error("not an ELF file: " + real_path);
  entry_ = eh.e_entry;
  for (int i = 0; i < eh.e_phnum; ++i) {
    Elf64_Phdr ph;
    std::memcpy(&ph, elf_.data() + eh.e_phoff + i * sizeof(ph), sizeof(ph));
    if (ph.p_type != PT_LOAD) continue;
    std::string bytes = elf_.substr(ph.p_offset, ph.p_filesz);
    bytes.resize(ph.p_memsz, '\0');
    memory_[ph.p_vaddr] = std::move(bytes);
  }
  memory_[kStackTop - kStackSize] = std::string(kStackSize, '\0');
  auto symbols = function_symbols(elf_, eh);
  for (const auto& name : timeline) {
    auto it = symbols.find(name);
    if (it == symbols.end()) throw std::runtime_error("no function " + name + " in " + real_path);
    timeline_.push_back({it->second.st_value, it->second.st_value + it->second.st_size});
  }
  if (timeline_.empty() || timeline_.front().begin != entry_) throw std::runtime_error("timeline must start at the entry");
  reset_to_entry();
}

void ElfProgramTarget::restart() {
  ++restarts;
  reset_to_entry();
}

void ElfProgramTarget::reset_to_entry() {
  regs_ = RegisterSnapshot{};
  regs_.gpr.rip = entry_;
  regs_.gpr.rsp = kStackTop - 0x100;
  regs_.gpr.cs = 0x33;
  regs_.gpr.ss = 0x2b;
  regs_.gpr.eflags = 0x202;
  regs_.fp.cwd = 0x37f;
  regs_.fp.mxcsr = 0x1f80;
  stop_ = StopEvent{};
  stop_.tid = Tid{kTid};
  position_ = 0;
}

std::size_t ElfProgramTarget::range_of(std::uint64_t pc) const {
  const Range& current = timeline_[position_];
  if (pc >= current.begin && pc < current.end) return position_;
  for (std::size_t i = 0; i < timeline_.size(); ++i) {
    if (pc >= timeline_[i].begin && pc < timeline_[i].end) return i;
  }
  return position_;
}

std::optional<std::uint64_t> ElfProgramTarget::next_breakpoint(bool forward) const {
  std::uint64_t pc = regs_.gpr.rip;
  if (forward) {
    for (std::size_t i = position_; i < timeline_.size(); ++i) {
      auto it = code_breakpoints_.lower_bound(i == position_ ? pc : timeline_[i].begin);
      if (it != code_breakpoints_.end() && *it < timeline_[i].end) return *it;
    }
    return std::nullopt;
  }
  for (std::size_t i = position_ + 1; i-- > 0;) {
    auto it = code_breakpoints_.lower_bound(i == position_ ? pc : timeline_[i].end);
    if (it != code_breakpoints_.begin() && *std::prev(it) >= timeline_[i].begin) return *std::prev(it);
  }
  return std::nullopt;
}

std::string ElfProgramTarget::read_memory(RemotePtr addr, std::size_t len) {
  auto it = memory_.upper_bound(addr.value());
  if (it == memory_.begin()) return {};
  --it;
  std::uint64_t offset = addr.value() - it->first;
  if (offset >= it->second.size()) return {};
  return it->second.substr(offset, len);
}

bool ElfProgramTarget::write_memory(RemotePtr addr, std::string_view bytes) {
  auto it = memory_.upper_bound(addr.value());
  if (it == memory_.begin()) return false;
  --it;
  std::uint64_t offset = addr.value() - it->first;
  if (offset + bytes.size() > it->second.size()) return false;
  it->second.replace(offset, bytes.size(), bytes);
  return true;
}

bool ElfProgramTarget::insert_breakpoint(BreakpointType type, RemotePtr addr, std::size_t) {
  inserted.emplace_back(type, addr.value());
  if (type == BreakpointType::kSoftware || type == BreakpointType::kHardware) {
    code_breakpoints_.insert(addr.value());
  } else if (type == BreakpointType::kWriteWatch) {
    write_watches_.insert(addr.value());
  } else {
    return false;
  }
  return true;
}

bool ElfProgramTarget::remove_breakpoint(BreakpointType type, RemotePtr addr, std::size_t) {
  if (type == BreakpointType::kWriteWatch) return write_watches_.erase(addr.value()) != 0;
  return code_breakpoints_.erase(addr.value()) != 0;
}

StopEvent ElfProgramTarget::resume(Tid, Direction dir, ResumeKind kind, int) {
  stop_ = StopEvent{};
  stop_.tid = Tid{kTid};
  auto& pc = regs_.gpr.rip;
  position_ = range_of(pc);
  auto move_to = [&](std::uint64_t addr) {
    pc = addr;
    position_ = range_of(addr);
  };
  if (dir == Direction::kReverse) {
    ++reverse_resumes;
    if (kind == ResumeKind::kStep && pc > timeline_[position_].begin) {
      --pc;
    } else if (auto bp = kind == ResumeKind::kContinue ? next_breakpoint(false) : std::nullopt) {
      move_to(*bp);
      stop_.breakpoint = true;
    } else {
      move_to(entry_);
      stop_.kind = StopEvent::Kind::kNoHistory;
    }
    return stop_;
  }
  ++forward_resumes;
  if (kind == ResumeKind::kStep) {
    ++pc;  // not an instruction boundary, but gdb only needs the pc to move
    return stop_;
  }
  if (!write_watches_.empty()) {
    std::uint64_t addr = *write_watches_.begin();
    std::string value = read_memory(RemotePtr(addr), 4);
    if (value.size() == 4) {
      std::int32_t v;
      std::memcpy(&v, value.data(), 4);
      ++v;
      write_memory(RemotePtr(addr), std::string_view(reinterpret_cast<const char*>(&v), 4));
    }
    stop_.kind = StopEvent::Kind::kWatchpoint;
    stop_.watch_addr = RemotePtr(addr);
    return stop_;
  }
  auto bp = next_breakpoint(true);
  if (!bp) {
    stop_.kind = StopEvent::Kind::kExited;
    return stop_;
  }
  move_to(*bp);
  stop_.breakpoint = true;
  return stop_;
}

siginfo_t ElfProgramTarget::last_siginfo(Tid) {
  siginfo_t info;
  std::memset(&info, 0, sizeof(info));
  info.si_signo = stop_.signo;
  return info;
}

std::string ElfProgramTarget::auxv() {
  std::uint64_t words[] = {AT_ENTRY, entry_, AT_PAGESZ, 4096, AT_NULL, 0};
  return std::string(reinterpret_cast<const char*>(words), sizeof(words));
}

std::optional<std::string> ElfProgramTarget::file_contents(const std::string& path) {
  if (path != reported_path_) return std::nullopt;
  files_served.push_back(path);
  return elf_;
}

std::optional<std::string> ElfProgramTarget::monitor(const std::string& command) {
  if (command == "when") return std::string("Current event: 42\n");
  return std::nullopt;
}

}  // namespace rrtr::gdb::testing
