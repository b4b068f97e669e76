// The registers gdb sees, in one table: gdb's register number is the row index, and the
// row says how gdb describes the register (target.xml) and where its value lives in a
// RegisterSnapshot (g/G/p/P). Both the XML and the packets are generated from it, so
// they cannot disagree.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "gdb/debug_target.h"

namespace rrtr::gdb {

// The target.xml feature a register belongs to, in the order they appear.
enum class RegisterFeature : std::uint8_t { kCore, kSse, kLinux, kSegments, kAvx };

// Which part of a RegisterSnapshot holds a register.
enum class RegisterStorage : std::uint8_t {
  kGpr,          // user_regs_struct, at byte `offset`
  kFpu,          // user_fpregs_struct (the FXSAVE image), at byte `offset`
  kYmmHigh,      // RegisterSnapshot::ymm_high, at byte `offset` of the 16x16 bytes
  kFullTagWord,  // x87 tag word: FXSAVE keeps one bit per register, gdb wants two
};

// One register as gdb knows it.
struct RegisterInfo {
  std::string_view name;
  std::uint16_t bitsize;
  std::string_view type;   // a target.xml type name
  std::string_view group;  // a gdb register group
  RegisterFeature feature;
  RegisterStorage storage;
  std::uint16_t offset;  // byte offset within the storage
  // Bytes the storage keeps. Where it differs from bitsize/8 (segment selectors and
  // eflags are 8 bytes in user_regs_struct but 32 bits to gdb), the value is
  // zero-extended towards gdb and truncated, clearing the rest, towards the snapshot.
  std::uint16_t size;
};

// All registers, by gdb register number; the AVX ones come last.
std::span<const RegisterInfo> register_table();
// How many registers a target with (or without) AVX has.
std::size_t register_count(bool has_avx);

// A register's value in target byte order (bitsize/8 bytes); nullopt for a number past
// the registers of this snapshot.
std::optional<std::string> read_register(const RegisterSnapshot& regs, std::size_t regno);
// Sets a register from exactly bitsize/8 bytes; false for a bad number or size.
bool write_register(RegisterSnapshot& regs, std::size_t regno, std::string_view bytes);

// The `g` packet body as raw bytes: every register of the snapshot in number order.
std::string read_all_registers(const RegisterSnapshot& regs);
// `G`: `bytes` must cover a whole number of leading registers (gdb may send fewer than
// all); false, with `regs` untouched, otherwise.
bool write_all_registers(RegisterSnapshot& regs, std::string_view bytes);

}  // namespace rrtr::gdb
