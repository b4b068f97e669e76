# rr-test-runner-asan: the engine rebuilt with AddressSanitizer and UBSan for the
# corruption tests. It is made from the source lists and usage requirements of
# rrtr_core and rr-test-runner themselves, so it cannot drift from the real binary.

set(rrtr_sanitizers -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)

function(rrtr_absolute_sources target out_var)
  get_target_property(sources ${target} SOURCES)
  get_target_property(dir ${target} SOURCE_DIR)
  set(result "")
  foreach(src IN LISTS sources)
    cmake_path(ABSOLUTE_PATH src BASE_DIRECTORY ${dir} OUTPUT_VARIABLE abs)
    list(APPEND result ${abs})
  endforeach()
  set(${out_var} ${result} PARENT_SCOPE)
endfunction()

# Usage requirements, with the sanitized core standing in for the plain one.
function(rrtr_copy_build_properties from to)
  foreach(prop INCLUDE_DIRECTORIES COMPILE_DEFINITIONS LINK_LIBRARIES
               INTERFACE_INCLUDE_DIRECTORIES INTERFACE_COMPILE_DEFINITIONS INTERFACE_LINK_LIBRARIES)
    get_target_property(value ${from} ${prop})
    if(value)
      list(TRANSFORM value REPLACE "^rrtr_core$" rrtr_core_asan)
      set_property(TARGET ${to} PROPERTY ${prop} "${value}")
    endif()
  endforeach()
  # GCC 12 reports libstdc++'s <regex> as maybe-uninitialized under the sanitizers only.
  target_compile_options(${to} PRIVATE ${rrtr_sanitizers} -Wno-maybe-uninitialized)
  target_link_options(${to} PRIVATE ${rrtr_sanitizers})
endfunction()

rrtr_absolute_sources(rrtr_core core_sources)
add_library(rrtr_core_asan STATIC ${core_sources})
rrtr_copy_build_properties(rrtr_core rrtr_core_asan)

rrtr_absolute_sources(rr-test-runner runner_sources)
add_executable(rr-test-runner-asan ${runner_sources})
rrtr_copy_build_properties(rr-test-runner rr-test-runner-asan)
# Next to the plain binary, where the recorder looks for its preload library.
set_target_properties(rr-test-runner-asan PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/runner)
add_dependencies(rr-test-runner-asan rrtr_preload)
