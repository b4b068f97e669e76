#include "cpu/cpuid.h"

#include <asm/prctl.h>
#include <cpuid.h>
#include <fmt/format.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <iterator>
#include <mutex>
#include <optional>

#include "common/error.h"

namespace rrtr {

namespace {

// One named feature bit. Only bits that change which instructions a program may
// execute matter for replay; the table names the ones users will recognise.
struct FeatureBit {
  std::uint32_t leaf, subleaf;
  char reg;  // 'a', 'b', 'c', 'd'
  int bit;
  const char* name;
};

constexpr FeatureBit kFeatures[] = {
    {1, 0, 'd', 23, "mmx"},       {1, 0, 'd', 25, "sse"},         {1, 0, 'd', 26, "sse2"},
    {1, 0, 'c', 0, "sse3"},       {1, 0, 'c', 1, "pclmulqdq"},    {1, 0, 'c', 9, "ssse3"},
    {1, 0, 'c', 12, "fma"},       {1, 0, 'c', 13, "cx16"},        {1, 0, 'c', 19, "sse4_1"},
    {1, 0, 'c', 20, "sse4_2"},    {1, 0, 'c', 22, "movbe"},       {1, 0, 'c', 23, "popcnt"},
    {1, 0, 'c', 25, "aes"},       {1, 0, 'c', 26, "xsave"},       {1, 0, 'c', 28, "avx"},
    {1, 0, 'c', 29, "f16c"},      {1, 0, 'c', 30, "rdrand"},      {7, 0, 'b', 3, "bmi1"},
    {7, 0, 'b', 4, "hle"},        {7, 0, 'b', 5, "avx2"},         {7, 0, 'b', 8, "bmi2"},
    {7, 0, 'b', 9, "erms"},       {7, 0, 'b', 11, "rtm"},         {7, 0, 'b', 16, "avx512f"},
    {7, 0, 'b', 17, "avx512dq"},  {7, 0, 'b', 18, "rdseed"},      {7, 0, 'b', 19, "adx"},
    {7, 0, 'b', 21, "avx512ifma"}, {7, 0, 'b', 23, "clflushopt"}, {7, 0, 'b', 24, "clwb"},
    {7, 0, 'b', 28, "avx512cd"},  {7, 0, 'b', 29, "sha_ni"},      {7, 0, 'b', 30, "avx512bw"},
    {7, 0, 'b', 31, "avx512vl"},  {7, 0, 'c', 1, "avx512vbmi"},   {7, 0, 'c', 6, "avx512_vbmi2"},
    {7, 0, 'c', 8, "gfni"},       {7, 0, 'c', 9, "vaes"},         {7, 0, 'c', 10, "vpclmulqdq"},
    {7, 0, 'c', 11, "avx512_vnni"}, {7, 0, 'c', 12, "avx512_bitalg"}, {7, 0, 'c', 14, "avx512_vpopcntdq"},
    {7, 0, 'c', 22, "rdpid"},     {7, 0, 'd', 4, "fsrm"},         {7, 0, 'd', 8, "avx512_vp2intersect"},
    {0x80000001, 0, 'c', 5, "abm"}, {0x80000001, 0, 'c', 6, "sse4a"}, {0x80000001, 0, 'd', 27, "rdtscp"},
};

// Registers compared between recording and replay host.
struct FeatureReg {
  std::uint32_t leaf, subleaf;
  char reg;
};
constexpr FeatureReg kFeatureRegs[] = {{1, 0, 'c'}, {1, 0, 'd'}, {7, 0, 'b'}, {7, 0, 'c'},
                                       {7, 0, 'd'}, {0x80000001, 0, 'c'}, {0x80000001, 0, 'd'}};

std::uint32_t pick(const CpuidResult& r, char reg) {
  switch (reg) {
    case 'a': return r.eax;
    case 'b': return r.ebx;
    case 'c': return r.ecx;
    default: return r.edx;
  }
}

std::string key(std::uint32_t leaf, std::uint32_t subleaf, char reg) {
  return fmt::format("{:#x}.{}.e{}x", leaf, subleaf, reg);
}

// The leaves that describe the host: those of the signature (vendor, family, features,
// cache and XSAVE geometry), which include every leaf the feature registers, the
// model name and XCR0 support come from.
struct Leaf {
  std::uint32_t leaf, subleaf;
};
constexpr Leaf kDescriptiveLeaves[] = {{0, 0}, {1, 0}, {4, 0}, {4, 1}, {4, 2}, {4, 3}, {7, 0}, {7, 1}, {0xd, 0},
                                       {0xd, 1}, {0x80000000, 0}, {0x80000001, 0}, {0x80000002, 0},
                                       {0x80000003, 0}, {0x80000004, 0}, {0x80000006, 0}, {0x80000008, 0}};

CpuidResult apply_mask(std::uint32_t leaf, std::uint32_t subleaf, CpuidResult r) {
  if (leaf == 1) r.ecx &= ~(1u << 30);  // RDRAND
  if (leaf == 7 && subleaf == 0) {
    r.ebx &= ~((1u << 18) | (1u << 11) | (1u << 4));  // RDSEED, RTM, HLE
    r.ecx &= ~(1u << 22);                              // RDPID reads the CPU number
  }
  return r;
}

// A descriptive leaf, executed once per process: on a VM every cpuid is a trap to the
// hypervisor (4-8 us here), and record and replay read these leaves through several of
// the functions below. Only for describing the host: the fields that depend on the CPU
// the caller runs on (APIC ids) are not used from these. A program's own cpuid is
// always executed afresh (masked_cpuid).
CpuidResult descriptive_cpuid(std::uint32_t leaf, std::uint32_t subleaf) {
  static std::mutex mutex;
  static std::optional<CpuidResult> known[std::size(kDescriptiveLeaves)];
  for (std::size_t i = 0; i < std::size(kDescriptiveLeaves); ++i) {
    if (kDescriptiveLeaves[i].leaf != leaf || kDescriptiveLeaves[i].subleaf != subleaf) continue;
    std::lock_guard lock(mutex);
    if (!known[i]) known[i] = host_cpuid(leaf, subleaf);
    return *known[i];
  }
  return host_cpuid(leaf, subleaf);
}

}  // namespace

CpuidResult host_cpuid(std::uint32_t leaf, std::uint32_t subleaf) {
  CpuidResult r;
  __cpuid_count(leaf, subleaf, r.eax, r.ebx, r.ecx, r.edx);
  return r;
}

CpuidResult masked_cpuid(std::uint32_t leaf, std::uint32_t subleaf) {
  return apply_mask(leaf, subleaf, host_cpuid(leaf, subleaf));
}

nlohmann::json exposed_feature_registers(bool faulting) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& f : kFeatureRegs) {
    CpuidResult r = descriptive_cpuid(f.leaf, f.subleaf);
    if (faulting) r = apply_mask(f.leaf, f.subleaf, r);
    j[key(f.leaf, f.subleaf, f.reg)] = pick(r, f.reg);
  }
  return j;
}

std::uint64_t cpuid_signature() {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const auto& l : kDescriptiveLeaves) {
    CpuidResult r = descriptive_cpuid(l.leaf, l.subleaf);
    if (l.leaf == 1) r.ebx &= 0x00ffffff;  // initial APIC id: which CPU we run on
    for (std::uint32_t v : {r.eax, r.ebx, r.ecx, r.edx}) h = (h ^ v) * 0x100000001b3ULL;
  }
  return h;
}

std::vector<std::string> missing_features(const nlohmann::json& recorded, const nlohmann::json& host) {
  std::vector<std::string> missing;
  for (const auto& f : kFeatureRegs) {
    auto k = key(f.leaf, f.subleaf, f.reg);
    std::uint32_t rec = recorded.value(k, 0u);
    std::uint32_t have = host.value(k, 0u);
    std::uint32_t lacking = rec & ~have;
    if (!lacking) continue;
    for (int bit = 0; bit < 32; ++bit) {
      if (!(lacking & (1u << bit))) continue;
      const char* name = nullptr;
      for (const auto& fb : kFeatures)
        if (fb.leaf == f.leaf && fb.subleaf == f.subleaf && fb.reg == f.reg && fb.bit == bit) name = fb.name;
      missing.push_back(name ? name : fmt::format("cpuid {} bit {}", k, bit));
    }
  }
  return missing;
}

std::uint64_t host_xcr0() {
  if (!(descriptive_cpuid(1, 0).ecx & (1u << 27))) return 0;  // OSXSAVE
  std::uint32_t lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (static_cast<std::uint64_t>(hi) << 32) | lo;
}

std::string host_cpu_model() {
  char brand[49] = {};
  for (std::uint32_t i = 0; i < 3; ++i) {
    CpuidResult r = descriptive_cpuid(0x80000002 + i, 0);
    std::memcpy(brand + i * 16, &r, 16);
  }
  std::string s(brand);
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

bool cpuid_faulting_supported() {
  // Probed on this thread and undone at once (the setting is per thread), with signals
  // blocked so that no handler can execute cpuid in between: a fork would cost
  // ~0.25 ms of every record and replay.
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &old);
  const bool supported = syscall(SYS_arch_prctl, ARCH_SET_CPUID, 0) == 0;
  const bool restored = !supported || syscall(SYS_arch_prctl, ARCH_SET_CPUID, 1) == 0;
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  if (!restored) fail(ExitCode::kInternal, "cannot turn CPUID faulting off again after probing it");
  return supported;
}

}  // namespace rrtr
