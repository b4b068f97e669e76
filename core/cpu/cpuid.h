// CPUID as the engine and its tracees see it: the host's answers, the masked answers
// given to recorded programs, and the comparison that refuses a replay on a CPU that
// lacks a feature the recording used.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace rrtr {

struct CpuidResult {
  std::uint32_t eax = 0, ebx = 0, ecx = 0, edx = 0;
};

CpuidResult host_cpuid(std::uint32_t leaf, std::uint32_t subleaf);
// What a recorded program is told: the host's answer with the features whose
// instructions cannot be trapped (RDRAND, RDSEED, RTM/HLE, RDPID) turned off, so
// libraries take the syscall paths the recorder sees.
CpuidResult masked_cpuid(std::uint32_t leaf, std::uint32_t subleaf);

// The feature registers a program sees, as {"0x1.0.ecx": value, ...}: the masked ones
// under CPUID faulting, the host's own without it.
nlohmann::json exposed_feature_registers(bool faulting);
// A hash of the CPUID leaves that steer library code (vendor, family, features, cache
// and XSAVE geometry), without per-CPU fields such as APIC ids. Without CPUID faulting
// a replay host must give the same hash, since the program reads the real CPUID.
std::uint64_t cpuid_signature();
// Names of features set in `recorded` but missing from `host` (same shape as above).
std::vector<std::string> missing_features(const nlohmann::json& recorded, const nlohmann::json& host);

std::uint64_t host_xcr0();
std::string host_cpu_model();
// True when arch_prctl(ARCH_SET_CPUID, 0) works here; the calling thread keeps cpuid.
bool cpuid_faulting_supported();

}  // namespace rrtr
