// target.xml, which tells gdb the architecture and every register's number, size and
// type; generated from the register table.
#pragma once

#include <string>

namespace rrtr::gdb {

// The description for an x86-64 GNU/Linux thread, with the AVX feature when the CPU
// state has it.
std::string target_description_xml(bool has_avx);

}  // namespace rrtr::gdb
