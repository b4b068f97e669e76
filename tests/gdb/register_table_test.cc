// The register table against the XML generated from it and the g/p byte layout.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <regex>

#include "gdb/gdb_signals.h"
#include "gdb/register_table.h"
#include "gdb/target_description.h"

namespace rrtr::gdb {
namespace {

struct XmlReg {
  std::string name;
  int bitsize;
  int regnum;
};

std::vector<XmlReg> regs_in(const std::string& xml) {
  std::vector<XmlReg> out;
  std::regex reg_re(R"re(<reg name="([^"]+)" bitsize="(\d+)" type="[^"]+" group="[^"]+" regnum="(\d+)"/>)re");
  for (auto it = std::sregex_iterator(xml.begin(), xml.end(), reg_re); it != std::sregex_iterator(); ++it) {
    out.push_back({(*it)[1], std::stoi((*it)[2]), std::stoi((*it)[3])});
  }
  return out;
}

RegisterSnapshot random_snapshot(bool has_avx, unsigned seed) {
  std::mt19937 rng(seed);
  RegisterSnapshot regs;
  auto* gpr = reinterpret_cast<unsigned char*>(&regs.gpr);
  for (std::size_t i = 0; i < sizeof(regs.gpr); ++i) gpr[i] = static_cast<unsigned char>(rng());
  auto* fp = reinterpret_cast<unsigned char*>(&regs.fp);
  for (std::size_t i = 0; i < sizeof(regs.fp); ++i) fp[i] = static_cast<unsigned char>(rng());
  for (auto& y : regs.ymm_high)
    for (auto& b : y) b = static_cast<unsigned char>(rng());
  regs.has_avx = has_avx;
  return regs;
}

TEST(RegisterTable, XmlListsEveryRegisterInTableOrder) {
  for (bool avx : {false, true}) {
    auto xml = target_description_xml(avx);
    auto regs = regs_in(xml);
    auto table = register_table();
    ASSERT_EQ(regs.size(), register_count(avx));
    for (std::size_t i = 0; i < regs.size(); ++i) {
      EXPECT_EQ(regs[i].name, table[i].name);
      EXPECT_EQ(regs[i].bitsize, table[i].bitsize);
      EXPECT_EQ(regs[i].regnum, static_cast<int>(i));
    }
    EXPECT_NE(xml.find("<architecture>i386:x86-64</architecture>"), std::string::npos);
    EXPECT_NE(xml.find("org.gnu.gdb.i386.core"), std::string::npos);
    EXPECT_NE(xml.find("org.gnu.gdb.i386.sse"), std::string::npos);
    EXPECT_NE(xml.find("org.gnu.gdb.i386.linux"), std::string::npos);
    EXPECT_NE(xml.find("org.gnu.gdb.i386.segments"), std::string::npos);
    EXPECT_EQ(xml.find("org.gnu.gdb.i386.avx") != std::string::npos, avx);
  }
}

TEST(RegisterTable, KnownNumbersMatchGdbsAmd64Layout) {
  auto table = register_table();
  EXPECT_EQ(table[0].name, "rax");
  EXPECT_EQ(table[7].name, "rsp");
  EXPECT_EQ(table[16].name, "rip");
  EXPECT_EQ(table[17].name, "eflags");
  EXPECT_EQ(table[24].name, "st0");
  EXPECT_EQ(table[40].name, "xmm0");
  EXPECT_EQ(table[56].name, "mxcsr");
  EXPECT_EQ(table[57].name, "orig_rax");
  EXPECT_EQ(table[58].name, "fs_base");
  EXPECT_EQ(table[60].name, "ymm0h");
  EXPECT_EQ(register_count(false), 60u);
  EXPECT_EQ(register_count(true), 76u);
}

TEST(RegisterTable, GPacketSizeIsSumOfBitsizes) {
  for (bool avx : {false, true}) {
    RegisterSnapshot regs;
    regs.has_avx = avx;
    std::size_t bits = 0;
    for (const auto& r : regs_in(target_description_xml(avx))) bits += r.bitsize;
    EXPECT_EQ(read_all_registers(regs).size() * 8, bits);
  }
}

TEST(RegisterTable, ValuesLandInTheSnapshotFields) {
  RegisterSnapshot regs;
  regs.gpr.rax = 0x1122334455667788;
  regs.gpr.rip = 0x401000;
  regs.gpr.eflags = 0x246;
  regs.gpr.cs = 0x33;
  regs.gpr.fs_base = 0x7f0000001000;
  regs.gpr.orig_rax = static_cast<unsigned long long>(-1);
  regs.fp.mxcsr = 0x1f80;
  regs.fp.cwd = 0x37f;
  std::memset(regs.fp.xmm_space + 4, 0xab, 16);  // xmm1
  auto u64 = [&](std::size_t regno) {
    std::uint64_t v = 0;
    auto bytes = *read_register(regs, regno);
    std::memcpy(&v, bytes.data(), std::min<std::size_t>(bytes.size(), 8));
    return v;
  };
  EXPECT_EQ(u64(0), 0x1122334455667788u);
  EXPECT_EQ(u64(16), 0x401000u);
  EXPECT_EQ(u64(17), 0x246u);
  EXPECT_EQ(u64(18), 0x33u);
  EXPECT_EQ(u64(32), 0x37fu);
  EXPECT_EQ(u64(56), 0x1f80u);
  EXPECT_EQ(u64(57), ~0ull);
  EXPECT_EQ(u64(58), 0x7f0000001000u);
  EXPECT_EQ(*read_register(regs, 41), std::string(16, '\xab'));
  EXPECT_FALSE(read_register(regs, 60));  // no AVX in this snapshot
  regs.has_avx = true;
  regs.ymm_high[3].fill(0x5a);
  EXPECT_EQ(*read_register(regs, 63), std::string(16, '\x5a'));
}

TEST(RegisterTable, WriteThenReadRoundTrips) {
  for (bool avx : {false, true}) {
    RegisterSnapshot regs = random_snapshot(avx, 7);
    std::string all = read_all_registers(regs);
    RegisterSnapshot target;
    target.has_avx = avx;
    ASSERT_TRUE(write_all_registers(target, all));
    EXPECT_EQ(read_all_registers(target), all);
  }
}

TEST(RegisterTable, NarrowRegistersClearTheWiderStorage) {
  RegisterSnapshot regs;
  regs.gpr.cs = 0xffffffffffffffff;
  ASSERT_TRUE(write_register(regs, 18, std::string("\x33\0\0\0", 4)));
  EXPECT_EQ(regs.gpr.cs, 0x33u);
  EXPECT_FALSE(write_register(regs, 18, std::string(8, '\0')));  // wrong size
  EXPECT_FALSE(write_register(regs, 500, std::string(8, '\0')));
}

TEST(RegisterTable, GAcceptsOnlyWholeLeadingRegisters) {
  RegisterSnapshot regs;
  regs.gpr.rbx = 5;
  EXPECT_TRUE(write_all_registers(regs, std::string(8, '\x01')));  // just rax
  EXPECT_EQ(regs.gpr.rax, 0x0101010101010101u);
  EXPECT_EQ(regs.gpr.rbx, 5u);
  EXPECT_FALSE(write_all_registers(regs, std::string(9, '\x01')));
  EXPECT_FALSE(write_all_registers(regs, std::string(4000, '\x01')));
  EXPECT_EQ(regs.gpr.rax, 0x0101010101010101u);
}

TEST(RegisterTable, TagWordExpandsFromFxsaveForm) {
  RegisterSnapshot regs;
  // TOP = 6; ST(0) is physical 6 (a normal 1.0), ST(1) physical 7 (zero); others empty.
  regs.fp.swd = 6 << 11;
  regs.fp.ftw = (1 << 6) | (1 << 7);
  unsigned char one[10] = {0, 0, 0, 0, 0, 0, 0, 0x80, 0xff, 0x3f};
  std::memcpy(regs.fp.st_space, one, 10);
  auto tag_bytes = *read_register(regs, 34);
  std::uint32_t tag = 0;
  std::memcpy(&tag, tag_bytes.data(), 4);
  EXPECT_EQ(tag, 0x4fffu);  // phys 7 zero (01), phys 6 valid (00), rest empty (11)
  ASSERT_TRUE(write_register(regs, 34, std::string("\xff\xff\0\0", 4)));
  EXPECT_EQ(regs.fp.ftw, 0);
  ASSERT_TRUE(write_register(regs, 34, std::string("\xfc\xff\0\0", 4)));
  EXPECT_EQ(regs.fp.ftw, 1);
}

TEST(Signals, TranslatesBetweenLinuxAndGdbNumbers) {
  EXPECT_EQ(gdb_signal_from_host(SIGTRAP), 5);
  EXPECT_EQ(gdb_signal_from_host(SIGINT), 2);
  EXPECT_EQ(gdb_signal_from_host(SIGSEGV), 11);
  EXPECT_EQ(gdb_signal_from_host(SIGUSR1), 30);
  EXPECT_EQ(gdb_signal_from_host(SIGBUS), 10);
  EXPECT_EQ(gdb_signal_from_host(SIGCHLD), 20);
  EXPECT_EQ(gdb_signal_from_host(32), 77);
  EXPECT_EQ(gdb_signal_from_host(34), 46);
  EXPECT_EQ(gdb_signal_from_host(64), 78);
  EXPECT_EQ(gdb_signal_from_host(SIGSTKFLT), 143);
  for (int host = 1; host <= 64; ++host) {
    if (host == SIGSTKFLT) continue;
    EXPECT_EQ(host_signal_from_gdb(gdb_signal_from_host(host)), host) << host;
  }
  EXPECT_EQ(host_signal_from_gdb(7), 0);  // SIGEMT: not on Linux
}

}  // namespace
}  // namespace rrtr::gdb
