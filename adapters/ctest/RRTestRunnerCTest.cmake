# Runs a project's CTest tests under the rr-test-runner recorder.
#
#   rrtr_record_tests(TARGETS <exe>... [TRACES_DIR <dir>] [KEEP failing|all])
#     Every add_test(NAME ... COMMAND <exe> ...) whose command names one of the given
#     executable targets is run as
#       <RRTR_EXECUTABLE> record --traces-dir <dir> --keep <keep> -- <exe> <args>...
#     The recorder exits with the test's status, so CTest's verdicts do not change.
#     TRACES_DIR defaults to RRTR_TRACES_DIR, KEEP to "failing" (a passing run's
#     trace is deleted). May be called before or after add_test().
#
#   RRTR_RECORD_ALL_TESTS (cache BOOL, default OFF)
#     When ON at find_package() time, every executable target created afterwards in
#     the calling directory and below is recorded with the defaults; handy as
#     `cmake -DRRTR_RECORD_ALL_TESTS=ON` without editing the project.
#
#   RRTR_TEST_LAUNCHER (variable)
#     The launcher list with the defaults, for projects that wire it themselves.
#
#   RRTR_EXECUTABLE (cache FILEPATH)
#     The recorder; found with find_program next to this package or on PATH.
#     Set it to use another build.
#
# Only test commands that name a target get the launcher: tests written as
# COMMAND $<TARGET_FILE:exe> or as a plain path run unrecorded. Before CMake 3.29
# the launcher rides on CROSSCOMPILING_EMULATOR, which CMake also prefixes to
# add_custom_command() steps and gtest_discover_tests()'s listing run of the same
# targets; from 3.29 TEST_LAUNCHER affects test commands only.
# Directory scope, not global: RRTR_RECORD_ALL_TESTS sets variables in the scope that
# called find_package(), and another directory may call it again.
include_guard()

# An installed package sits in <prefix>/lib/cmake/RRTestRunner; the recorder in
# <prefix>/bin.
get_filename_component(_rrtr_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)
find_program(RRTR_EXECUTABLE rr-test-runner
  HINTS "${_rrtr_prefix}/bin"
  DOC "rr-test-runner used to record CTest tests")
unset(_rrtr_prefix)

set(RRTR_TRACES_DIR "${CMAKE_BINARY_DIR}/rr-traces" CACHE PATH
  "Where recorded test traces are written")
option(RRTR_RECORD_ALL_TESTS "Record every test whose command names an executable target" OFF)

# Builds the launcher list into out_var; the flags are the contract with
# `rr-test-runner record`.
function(rrtr_test_launcher out_var traces_dir keep)
  if(NOT RRTR_EXECUTABLE)
    message(FATAL_ERROR
      "rr-test-runner not found: install it or set RRTR_EXECUTABLE to its path")
  endif()
  if(NOT keep MATCHES "^(failing|all)$")
    message(FATAL_ERROR "rrtr: KEEP must be 'failing' or 'all', not '${keep}'")
  endif()
  # ctest runs each test in its own working directory, so a relative path would
  # scatter traces across the build tree.
  get_filename_component(traces_dir "${traces_dir}" ABSOLUTE
    BASE_DIR "${CMAKE_CURRENT_BINARY_DIR}")
  set(${out_var} "${RRTR_EXECUTABLE}" record --traces-dir "${traces_dir}"
    --keep "${keep}" -- PARENT_SCOPE)
endfunction()

# CMake 3.29 added TEST_LAUNCHER and, with policy CMP0158, stopped applying
# CROSSCOMPILING_EMULATOR to tests of native builds; older versions only have the
# emulator property.
function(_rrtr_launcher_property out_var)
  if(CMAKE_VERSION VERSION_GREATER_EQUAL 3.29)
    set(${out_var} TEST_LAUNCHER PARENT_SCOPE)
  else()
    set(${out_var} CROSSCOMPILING_EMULATOR PARENT_SCOPE)
  endif()
endfunction()

function(rrtr_record_tests)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "TRACES_DIR;KEEP" "TARGETS")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "rrtr_record_tests: unexpected arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT arg_TARGETS)
    message(FATAL_ERROR "rrtr_record_tests: TARGETS needs at least one executable target")
  endif()
  if(NOT DEFINED arg_TRACES_DIR)
    set(arg_TRACES_DIR "${RRTR_TRACES_DIR}")
  endif()
  if(NOT DEFINED arg_KEEP)
    set(arg_KEEP failing)
  endif()
  rrtr_test_launcher(launcher "${arg_TRACES_DIR}" "${arg_KEEP}")
  _rrtr_launcher_property(property)
  foreach(target IN LISTS arg_TARGETS)
    if(NOT TARGET "${target}")
      message(FATAL_ERROR "rrtr_record_tests: '${target}' is not a target")
    endif()
    get_target_property(type "${target}" TYPE)
    if(NOT type STREQUAL "EXECUTABLE")
      message(FATAL_ERROR "rrtr_record_tests: '${target}' is a ${type}, not an executable")
    endif()
    set_property(TARGET "${target}" PROPERTY ${property} "${launcher}")
  endforeach()
endfunction()

if(RRTR_EXECUTABLE OR RRTR_RECORD_ALL_TESTS)
  # Without the recorder this fails, which is right only when recording was asked for.
  rrtr_test_launcher(RRTR_TEST_LAUNCHER "${RRTR_TRACES_DIR}" failing)
endif()
if(RRTR_RECORD_ALL_TESTS)
  # Both properties are initialized from these variables when a target is created.
  _rrtr_launcher_property(_rrtr_property)
  if(_rrtr_property STREQUAL "TEST_LAUNCHER")
    set(CMAKE_TEST_LAUNCHER "${RRTR_TEST_LAUNCHER}")
  else()
    set(CMAKE_CROSSCOMPILING_EMULATOR "${RRTR_TEST_LAUNCHER}")
  endif()
  unset(_rrtr_property)
endif()
