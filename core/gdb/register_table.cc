#include "gdb/register_table.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstring>
#include <utility>

namespace rrtr::gdb {

namespace {

using F = RegisterFeature;
using S = RegisterStorage;

#define GPR(field) S::kGpr, offsetof(user_regs_struct, field), sizeof(user_regs_struct::field)
#define FPU_AT(byte_offset, bytes) S::kFpu, (byte_offset), (bytes)

constexpr std::uint16_t kSt = offsetof(user_fpregs_struct, st_space);
constexpr std::uint16_t kXmm = offsetof(user_fpregs_struct, xmm_space);
constexpr std::uint16_t kFip = offsetof(user_fpregs_struct, rip);
constexpr std::uint16_t kFdp = offsetof(user_fpregs_struct, rdp);

// The layout of gdb's amd64 GNU/Linux description: core, sse, linux, segments, avx.
// The names are the ones gdb's i386 code looks up, so it treats them as the real
// registers rather than as unknown extras.
constexpr RegisterInfo kRegisters[] = {
    {"rax", 64, "int64", "general", F::kCore, GPR(rax)},
    {"rbx", 64, "int64", "general", F::kCore, GPR(rbx)},
    {"rcx", 64, "int64", "general", F::kCore, GPR(rcx)},
    {"rdx", 64, "int64", "general", F::kCore, GPR(rdx)},
    {"rsi", 64, "int64", "general", F::kCore, GPR(rsi)},
    {"rdi", 64, "int64", "general", F::kCore, GPR(rdi)},
    {"rbp", 64, "data_ptr", "general", F::kCore, GPR(rbp)},
    {"rsp", 64, "data_ptr", "general", F::kCore, GPR(rsp)},
    {"r8", 64, "int64", "general", F::kCore, GPR(r8)},
    {"r9", 64, "int64", "general", F::kCore, GPR(r9)},
    {"r10", 64, "int64", "general", F::kCore, GPR(r10)},
    {"r11", 64, "int64", "general", F::kCore, GPR(r11)},
    {"r12", 64, "int64", "general", F::kCore, GPR(r12)},
    {"r13", 64, "int64", "general", F::kCore, GPR(r13)},
    {"r14", 64, "int64", "general", F::kCore, GPR(r14)},
    {"r15", 64, "int64", "general", F::kCore, GPR(r15)},
    {"rip", 64, "code_ptr", "general", F::kCore, GPR(rip)},
    {"eflags", 32, "i386_eflags", "general", F::kCore, GPR(eflags)},
    {"cs", 32, "int32", "general", F::kCore, GPR(cs)},
    {"ss", 32, "int32", "general", F::kCore, GPR(ss)},
    {"ds", 32, "int32", "general", F::kCore, GPR(ds)},
    {"es", 32, "int32", "general", F::kCore, GPR(es)},
    {"fs", 32, "int32", "general", F::kCore, GPR(fs)},
    {"gs", 32, "int32", "general", F::kCore, GPR(gs)},
    {"st0", 80, "i387_ext", "float", F::kCore, FPU_AT(kSt + 0 * 16, 10)},
    {"st1", 80, "i387_ext", "float", F::kCore, FPU_AT(kSt + 1 * 16, 10)},
    {"st2", 80, "i387_ext", "float", F::kCore, FPU_AT(kSt + 2 * 16, 10)},
    {"st3", 80, "i387_ext", "float", F::kCore, FPU_AT(kSt + 3 * 16, 10)},
    {"st4", 80, "i387_ext", "float", F::kCore, FPU_AT(kSt + 4 * 16, 10)},
    {"st5", 80, "i387_ext", "float", F::kCore, FPU_AT(kSt + 5 * 16, 10)},
    {"st6", 80, "i387_ext", "float", F::kCore, FPU_AT(kSt + 6 * 16, 10)},
    {"st7", 80, "i387_ext", "float", F::kCore, FPU_AT(kSt + 7 * 16, 10)},
    {"fctrl", 32, "int32", "float", F::kCore, FPU_AT(offsetof(user_fpregs_struct, cwd), 2)},
    {"fstat", 32, "int32", "float", F::kCore, FPU_AT(offsetof(user_fpregs_struct, swd), 2)},
    {"ftag", 32, "int32", "float", F::kCore, S::kFullTagWord, offsetof(user_fpregs_struct, ftw), 2},
    // In the 64-bit FXSAVE image the instruction and operand pointers are 64 bits;
    // gdb splits each into a "segment" (high half) and an "offset" (low half).
    {"fiseg", 32, "int32", "float", F::kCore, FPU_AT(kFip + 4, 4)},
    {"fioff", 32, "int32", "float", F::kCore, FPU_AT(kFip, 4)},
    {"foseg", 32, "int32", "float", F::kCore, FPU_AT(kFdp + 4, 4)},
    {"fooff", 32, "int32", "float", F::kCore, FPU_AT(kFdp, 4)},
    {"fop", 32, "int32", "float", F::kCore, FPU_AT(offsetof(user_fpregs_struct, fop), 2)},
    {"xmm0", 128, "vec128", "vector", F::kSse, FPU_AT(kXmm + 0 * 16, 16)},
    {"xmm1", 128, "vec128", "vector", F::kSse, FPU_AT(kXmm + 1 * 16, 16)},
    {"xmm2", 128, "vec128", "vector", F::kSse, FPU_AT(kXmm + 2 * 16, 16)},
    {"xmm3", 128, "vec128", "vector", F::kSse, FPU_AT(kXmm + 3 * 16, 16)},
    {"xmm4", 128, "vec128", "vector", F::kSse, FPU_AT(kXmm + 4 * 16, 16)},
    {"xmm5", 128, "vec128", "vector", F::kSse, FPU_AT(kXmm + 5 * 16, 16)},
    {"xmm6", 128, "vec128", "vector", F::kSse, FPU_AT(kXmm + 6 * 16, 16)},
    {"xmm7", 128, "vec128", "vector", F::kSse, FPU_AT(kXmm + 7 * 16, 16)},
    {"xmm8", 128, "vec128", "vector", F::kSse, FPU_AT(kXmm + 8 * 16, 16)},
    {"xmm9", 128, "vec128", "vector", F::kSse, FPU_AT(kXmm + 9 * 16, 16)},
    {"xmm10", 128, "vec128", "vector", F::kSse, FPU_AT(kXmm + 10 * 16, 16)},
    {"xmm11", 128, "vec128", "vector", F::kSse, FPU_AT(kXmm + 11 * 16, 16)},
    {"xmm12", 128, "vec128", "vector", F::kSse, FPU_AT(kXmm + 12 * 16, 16)},
    {"xmm13", 128, "vec128", "vector", F::kSse, FPU_AT(kXmm + 13 * 16, 16)},
    {"xmm14", 128, "vec128", "vector", F::kSse, FPU_AT(kXmm + 14 * 16, 16)},
    {"xmm15", 128, "vec128", "vector", F::kSse, FPU_AT(kXmm + 15 * 16, 16)},
    {"mxcsr", 32, "i386_mxcsr", "vector", F::kSse, FPU_AT(offsetof(user_fpregs_struct, mxcsr), 4)},
    {"orig_rax", 64, "int64", "system", F::kLinux, GPR(orig_rax)},
    {"fs_base", 64, "int64", "system", F::kSegments, GPR(fs_base)},
    {"gs_base", 64, "int64", "system", F::kSegments, GPR(gs_base)},
    {"ymm0h", 128, "uint128", "vector", F::kAvx, S::kYmmHigh, 0 * 16, 16},
    {"ymm1h", 128, "uint128", "vector", F::kAvx, S::kYmmHigh, 1 * 16, 16},
    {"ymm2h", 128, "uint128", "vector", F::kAvx, S::kYmmHigh, 2 * 16, 16},
    {"ymm3h", 128, "uint128", "vector", F::kAvx, S::kYmmHigh, 3 * 16, 16},
    {"ymm4h", 128, "uint128", "vector", F::kAvx, S::kYmmHigh, 4 * 16, 16},
    {"ymm5h", 128, "uint128", "vector", F::kAvx, S::kYmmHigh, 5 * 16, 16},
    {"ymm6h", 128, "uint128", "vector", F::kAvx, S::kYmmHigh, 6 * 16, 16},
    {"ymm7h", 128, "uint128", "vector", F::kAvx, S::kYmmHigh, 7 * 16, 16},
    {"ymm8h", 128, "uint128", "vector", F::kAvx, S::kYmmHigh, 8 * 16, 16},
    {"ymm9h", 128, "uint128", "vector", F::kAvx, S::kYmmHigh, 9 * 16, 16},
    {"ymm10h", 128, "uint128", "vector", F::kAvx, S::kYmmHigh, 10 * 16, 16},
    {"ymm11h", 128, "uint128", "vector", F::kAvx, S::kYmmHigh, 11 * 16, 16},
    {"ymm12h", 128, "uint128", "vector", F::kAvx, S::kYmmHigh, 12 * 16, 16},
    {"ymm13h", 128, "uint128", "vector", F::kAvx, S::kYmmHigh, 13 * 16, 16},
    {"ymm14h", 128, "uint128", "vector", F::kAvx, S::kYmmHigh, 14 * 16, 16},
    {"ymm15h", 128, "uint128", "vector", F::kAvx, S::kYmmHigh, 15 * 16, 16},
};

#undef GPR
#undef FPU_AT

constexpr std::size_t kAvxCount = 16;
constexpr std::size_t kAllCount = std::size(kRegisters);

static_assert(std::all_of(std::begin(kRegisters), std::end(kRegisters) - kAvxCount,
                          [](const RegisterInfo& r) { return r.feature != F::kAvx; }));
static_assert(std::all_of(std::end(kRegisters) - kAvxCount, std::end(kRegisters),
                          [](const RegisterInfo& r) { return r.feature == F::kAvx; }));

// The bytes a register is stored in; the tag word is special-cased by the callers.
const unsigned char* storage_bytes(const RegisterSnapshot& regs, const RegisterInfo& info) {
  switch (info.storage) {
    case S::kGpr: return reinterpret_cast<const unsigned char*>(&regs.gpr) + info.offset;
    case S::kFpu:
    case S::kFullTagWord: return reinterpret_cast<const unsigned char*>(&regs.fp) + info.offset;
    case S::kYmmHigh: return regs.ymm_high[info.offset / 16].data() + info.offset % 16;
  }
  return nullptr;
}

unsigned char* storage_bytes(RegisterSnapshot& regs, const RegisterInfo& info) {
  return const_cast<unsigned char*>(storage_bytes(std::as_const(regs), info));
}

// x87 tags, two bits per physical register: valid, zero, special, empty.
constexpr unsigned kTagValid = 0, kTagZero = 1, kTagSpecial = 2, kTagEmpty = 3;

unsigned classify_x87(const unsigned char* value80) {
  std::uint64_t mantissa = 0;
  std::memcpy(&mantissa, value80, 8);
  unsigned exponent = (value80[8] | (value80[9] << 8)) & 0x7fff;
  if (exponent == 0x7fff) return kTagSpecial;
  if (exponent == 0) return mantissa == 0 ? kTagZero : kTagSpecial;
  return (mantissa >> 63) != 0 ? kTagValid : kTagSpecial;
}

// FXSAVE marks each physical register only used or empty; gdb wants the full tag,
// which follows from the register's value. ST(i) is physical register (TOP + i) % 8.
std::uint16_t full_tag_word(const user_fpregs_struct& fp) {
  unsigned top = (fp.swd >> 11) & 7;
  std::uint16_t tags = 0;
  for (unsigned phys = 0; phys < 8; ++phys) {
    unsigned tag = kTagEmpty;
    if ((fp.ftw >> phys) & 1) {
      unsigned st = (phys - top) & 7;
      tag = classify_x87(reinterpret_cast<const unsigned char*>(fp.st_space) + st * 16);
    }
    tags = static_cast<std::uint16_t>(tags | (tag << (2 * phys)));
  }
  return tags;
}

std::uint16_t abridged_tag_word(std::uint16_t full) {
  std::uint16_t abridged = 0;
  for (unsigned phys = 0; phys < 8; ++phys) {
    if (((full >> (2 * phys)) & 3) != kTagEmpty) abridged = static_cast<std::uint16_t>(abridged | (1u << phys));
  }
  return abridged;
}

}  // namespace

std::span<const RegisterInfo> register_table() { return kRegisters; }

std::size_t register_count(bool has_avx) { return has_avx ? kAllCount : kAllCount - kAvxCount; }

std::optional<std::string> read_register(const RegisterSnapshot& regs, std::size_t regno) {
  if (regno >= register_count(regs.has_avx)) return std::nullopt;
  const RegisterInfo& info = kRegisters[regno];
  std::string value(info.bitsize / 8, '\0');
  if (info.storage == S::kFullTagWord) {
    std::uint16_t tags = full_tag_word(regs.fp);
    std::memcpy(value.data(), &tags, sizeof(tags));
    return value;
  }
  std::memcpy(value.data(), storage_bytes(regs, info), std::min<std::size_t>(info.size, value.size()));
  return value;
}

bool write_register(RegisterSnapshot& regs, std::size_t regno, std::string_view bytes) {
  if (regno >= register_count(regs.has_avx)) return false;
  const RegisterInfo& info = kRegisters[regno];
  if (bytes.size() != info.bitsize / 8u) return false;
  if (info.storage == S::kFullTagWord) {
    std::uint16_t full = 0;
    std::memcpy(&full, bytes.data(), sizeof(full));
    regs.fp.ftw = abridged_tag_word(full);
    return true;
  }
  unsigned char* dst = storage_bytes(regs, info);
  std::memset(dst, 0, info.size);
  std::memcpy(dst, bytes.data(), std::min<std::size_t>(info.size, bytes.size()));
  return true;
}

std::string read_all_registers(const RegisterSnapshot& regs) {
  std::string out;
  for (std::size_t i = 0; i < register_count(regs.has_avx); ++i) out += *read_register(regs, i);
  return out;
}

bool write_all_registers(RegisterSnapshot& regs, std::string_view bytes) {
  RegisterSnapshot updated = regs;
  for (std::size_t i = 0; i < register_count(regs.has_avx) && !bytes.empty(); ++i) {
    std::size_t n = kRegisters[i].bitsize / 8u;
    if (bytes.size() < n) return false;
    write_register(updated, i, bytes.substr(0, n));
    bytes.remove_prefix(n);
  }
  if (!bytes.empty()) return false;
  regs = updated;
  return true;
}

}  // namespace rrtr::gdb
