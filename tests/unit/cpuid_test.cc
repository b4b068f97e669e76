#include <gtest/gtest.h>

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

}  // namespace
}  // namespace rrtr
