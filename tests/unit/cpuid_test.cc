#include <asm/prctl.h>
#include <gtest/gtest.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "cpu/cpuid.h"

namespace rrtr {
namespace {

TEST(Cpuid, MissingFeaturesAreNamed) {
  nlohmann::json recorded = {{"0x7.0.ebx", (1u << 5) | (1u << 16)}, {"0x1.0.ecx", 1u << 28}};
  nlohmann::json host = {{"0x7.0.ebx", 1u << 5}, {"0x1.0.ecx", 0u}};
  auto missing = missing_features(recorded, host);
  ASSERT_EQ(missing.size(), 2u);
  EXPECT_EQ(missing[0], "avx");
  EXPECT_EQ(missing[1], "avx512f");
  EXPECT_TRUE(missing_features(host, recorded).empty());
}

TEST(Cpuid, UnnamedBitsAreStillReported) {
  auto missing = missing_features({{"0x7.0.ebx", 1u << 1}}, {{"0x7.0.ebx", 0u}});
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_NE(missing[0].find("bit 1"), std::string::npos);
}

TEST(Cpuid, MaskHidesUntrappableInstructions) {
  EXPECT_EQ(masked_cpuid(1, 0).ecx & (1u << 30), 0u);     // RDRAND
  EXPECT_EQ(masked_cpuid(7, 0).ebx & (1u << 18), 0u);     // RDSEED
  EXPECT_EQ(masked_cpuid(7, 0).ebx & (1u << 11), 0u);     // RTM
  EXPECT_EQ(masked_cpuid(0, 0).ebx, host_cpuid(0, 0).ebx);  // vendor untouched
}

TEST(Cpuid, SignatureIsStableOnOneMachine) {
  EXPECT_EQ(cpuid_signature(), cpuid_signature());
  EXPECT_TRUE(missing_features(exposed_feature_registers(false), exposed_feature_registers(false)).empty());
}

// The probe runs in the caller's own thread: it must leave cpuid executable there, and
// answer what a throwaway process finds.
TEST(Cpuid, FaultingProbeLeavesCpuidWorking) {
  const bool supported = cpuid_faulting_supported();
  EXPECT_EQ(syscall(SYS_arch_prctl, ARCH_GET_CPUID, 0), 1) << "cpuid must not fault after the probe";
  (void)host_cpuid(0, 0);  // dies of SIGSEGV if cpuid faults
  pid_t pid = fork();
  if (pid == 0) _exit(syscall(SYS_arch_prctl, ARCH_SET_CPUID, 0) == 0 ? 0 : 1);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_EQ(supported, WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

// The host description reads its leaves once per process; it must stay what the CPU answers.
TEST(Cpuid, DescriptionMatchesTheCpu) {
  for (int pass = 0; pass < 2; ++pass) {
    auto host = exposed_feature_registers(false);
    EXPECT_EQ(host["0x1.0.ecx"].get<std::uint32_t>(), host_cpuid(1, 0).ecx);
    EXPECT_EQ(host["0x7.0.ebx"].get<std::uint32_t>(), host_cpuid(7, 0).ebx);
    EXPECT_EQ(host["0x80000001.0.edx"].get<std::uint32_t>(), host_cpuid(0x80000001, 0).edx);
    auto masked = exposed_feature_registers(true);
    EXPECT_EQ(masked["0x1.0.ecx"].get<std::uint32_t>(), masked_cpuid(1, 0).ecx);
    EXPECT_EQ(masked["0x7.0.ebx"].get<std::uint32_t>(), masked_cpuid(7, 0).ebx);
    EXPECT_EQ(masked["0x7.0.ecx"].get<std::uint32_t>(), masked_cpuid(7, 0).ecx);
    EXPECT_EQ(host_xcr0() != 0, (host_cpuid(1, 0).ecx & (1u << 27)) != 0);
  }
  const std::string model = host_cpu_model();
  char first[17] = {};
  CpuidResult brand = host_cpuid(0x80000002, 0);
  std::memcpy(first, &brand, 16);
  EXPECT_EQ(model.substr(0, 16), std::string(first).substr(0, std::min<std::size_t>(model.size(), 16)));
}

}  // namespace
}  // namespace rrtr
