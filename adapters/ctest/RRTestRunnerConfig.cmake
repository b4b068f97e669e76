# find_package(RRTestRunner) entry point.
#
# Provides, when installed:
#   rrtr::marker_abi        include path of rrtr/marker_abi.h
#   rrtr::gtest_adapter     link it and gtest tests report markers (self-installing)
#   rrtr::gtest_listener    the same without self-installation; call
#                           rrtr::install_gtest_listener() yourself
#   rrtr::catch2_adapter    link it and Catch2 tests report markers
# and always the CTest integration (see RRTestRunnerCTest.cmake):
#   rrtr_record_tests(TARGETS ... [TRACES_DIR dir] [KEEP failing|all])
#   RRTR_RECORD_ALL_TESTS, RRTR_TEST_LAUNCHER, RRTR_EXECUTABLE
include(CMakeFindDependencyMacro)

set(_rrtr_dir "${CMAKE_CURRENT_LIST_DIR}")

if(EXISTS "${_rrtr_dir}/RRTestRunnerMarkersTargets.cmake")
  include("${_rrtr_dir}/RRTestRunnerMarkersTargets.cmake")
endif()
if(EXISTS "${_rrtr_dir}/RRTestRunnerGTestTargets.cmake")
  find_dependency(GTest)
  include("${_rrtr_dir}/RRTestRunnerGTestTargets.cmake")
endif()
# A gtest-only user need not have Catch2 installed, so Catch2 is optional here and
# the Catch2 target simply does not exist without it.
if(EXISTS "${_rrtr_dir}/RRTestRunnerCatch2Targets.cmake")
  find_package(Catch2 QUIET)
  if(Catch2_FOUND)
    include("${_rrtr_dir}/RRTestRunnerCatch2Targets.cmake")
  endif()
endif()

include("${_rrtr_dir}/RRTestRunnerCTest.cmake")
unset(_rrtr_dir)
