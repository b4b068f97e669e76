# The libraries the engine links, as rrtr::zstd, rrtr::xxhash and rrtr::fmt.
#
# rr-test-runner is linked as a static PIE where the toolchain can (RRTR_STATIC_RUNNER,
# runner/CMakeLists.txt): every `record` and `replay` is a fresh process, and a
# dynamically linked one spends ~0.6 ms of each in the loader (mapping, relocating and
# faulting in libstdc++ and friends), as much as a whole native run of a small C program.
# So zstd and xxhash are taken as archives when their packages have them, and fmt is
# compiled from its own headers (core/common/fmt_library.cc): Debian ships no libfmt.a.

include(CheckLinkerFlag)

find_library(RRTR_ZSTD_ARCHIVE NAMES libzstd.a HINTS ${ZSTD_LIBRARY_DIRS})
find_library(RRTR_XXHASH_ARCHIVE NAMES libxxhash.a HINTS ${XXHASH_LIBRARY_DIRS})
check_linker_flag(CXX -static-pie RRTR_LINKER_HAS_STATIC_PIE)

set(rrtr_static_possible OFF)
if(RRTR_ZSTD_ARCHIVE AND RRTR_XXHASH_ARCHIVE AND RRTR_LINKER_HAS_STATIC_PIE AND NOT RRTR_ASAN)
  set(rrtr_static_possible ON)
endif()
option(RRTR_STATIC_RUNNER "Link rr-test-runner statically (faster start of every record and replay)"
       ${rrtr_static_possible})
if(RRTR_STATIC_RUNNER AND NOT rrtr_static_possible)
  message(FATAL_ERROR "RRTR_STATIC_RUNNER needs libzstd.a, libxxhash.a, a linker with -static-pie, and no RRTR_ASAN")
endif()

add_library(rrtr_zstd INTERFACE)
add_library(rrtr_xxhash INTERFACE)
if(RRTR_STATIC_RUNNER)
  target_include_directories(rrtr_zstd INTERFACE ${ZSTD_INCLUDE_DIRS})
  target_link_libraries(rrtr_zstd INTERFACE ${RRTR_ZSTD_ARCHIVE})
  target_include_directories(rrtr_xxhash INTERFACE ${XXHASH_INCLUDE_DIRS})
  target_link_libraries(rrtr_xxhash INTERFACE ${RRTR_XXHASH_ARCHIVE})
else()
  target_link_libraries(rrtr_zstd INTERFACE PkgConfig::ZSTD)
  target_link_libraries(rrtr_xxhash INTERFACE PkgConfig::XXHASH)
endif()
add_library(rrtr::zstd ALIAS rrtr_zstd)
add_library(rrtr::xxhash ALIAS rrtr_xxhash)

add_library(rrtr_fmt STATIC ${PROJECT_SOURCE_DIR}/core/common/fmt_library.cc)
target_include_directories(rrtr_fmt PUBLIC $<TARGET_PROPERTY:fmt::fmt,INTERFACE_INCLUDE_DIRECTORIES>)
set_target_properties(rrtr_fmt PROPERTIES POSITION_INDEPENDENT_CODE ON)
add_library(rrtr::fmt ALIAS rrtr_fmt)
