#include "fake_target.h"

#include <chrono>
#include <cstring>
#include <thread>

namespace rrtr::gdb::testing {

FakeTarget::FakeTarget() {
  for (Tid tid : thread_ids) {
    RegisterSnapshot regs;
    regs.gpr.rip = 0x401000 + static_cast<std::uint64_t>(tid.value);
    regs.gpr.rsp = 0x7ffffff000;
    regs.gpr.rax = 0x1111111111111111ull * static_cast<std::uint64_t>(tid.value - 100);
    registers[tid.value] = regs;
  }
  stop.kind = StopEvent::Kind::kSignal;
  stop.tid = thread_ids.front();
  stop.signo = SIGTRAP;
  std::uint64_t auxv_words[] = {9 /* AT_ENTRY */, 0x401000, 0 /* AT_NULL */, 0};
  auxv_bytes.assign(reinterpret_cast<const char*>(auxv_words), sizeof(auxv_words));
}

RegisterSnapshot FakeTarget::read_registers(Tid tid) { return registers[tid.value]; }

void FakeTarget::write_registers(Tid tid, const RegisterSnapshot& regs) { registers[tid.value] = regs; }

std::string FakeTarget::read_memory(RemotePtr addr, std::size_t len) {
  std::string out;
  std::uint64_t at = addr.value();
  while (out.size() < len) {
    auto it = memory.upper_bound(at);
    if (it == memory.begin()) break;
    --it;
    std::uint64_t offset = at - it->first;
    if (offset >= it->second.size()) break;
    std::size_t n = std::min<std::size_t>(len - out.size(), it->second.size() - offset);
    out.append(it->second, offset, n);
    at += n;
  }
  return out;
}

bool FakeTarget::write_memory(RemotePtr addr, std::string_view bytes) {
  if (read_memory(addr, bytes.size()).size() != bytes.size()) return false;
  std::uint64_t at = addr.value();
  for (char c : bytes) {
    auto it = std::prev(memory.upper_bound(at));
    it->second[at - it->first] = c;
    ++at;
  }
  return true;
}

bool FakeTarget::insert_breakpoint(BreakpointType type, RemotePtr addr, std::size_t kind) {
  breakpoints.insert({type, addr.value(), kind});
  return true;
}

bool FakeTarget::remove_breakpoint(BreakpointType type, RemotePtr addr, std::size_t kind) {
  return breakpoints.erase({type, addr.value(), kind}) != 0;
}

StopEvent FakeTarget::resume(Tid tid, Direction dir, ResumeKind kind, int signal) {
  resumes.push_back({tid, dir, kind, signal});
  if (on_resume) {
    stop = on_resume(tid, dir, kind, signal);
  } else if (!script.empty()) {
    stop = script.front();
    script.pop_front();
  } else {
    stop = StopEvent{};
    stop.tid = tid;
  }
  return stop;
}

void FakeTarget::resume_until_interrupted() {
  on_resume = [this](Tid tid, Direction, ResumeKind, int) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!interrupted && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    interrupted = false;
    StopEvent event;
    event.tid = tid;
    event.signo = SIGINT;
    return event;
  };
}

siginfo_t FakeTarget::last_siginfo(Tid) {
  siginfo_t info;
  std::memset(&info, 0, sizeof(info));
  info.si_signo = stop.signo;
  info.si_code = 0x80;
  return info;
}

std::optional<std::string> FakeTarget::file_contents(const std::string& path) {
  files_asked.push_back(path);
  auto it = files.find(path);
  if (it == files.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> FakeTarget::monitor(const std::string& command) {
  auto it = monitor_answers.find(command);
  if (it == monitor_answers.end()) return std::nullopt;
  return it->second;
}

void FakeTarget::restart() {
  ++restarts;
  stop = StopEvent{};
  stop.tid = thread_ids.front();
}

}  // namespace rrtr::gdb::testing
