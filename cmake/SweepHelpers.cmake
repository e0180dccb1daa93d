# Shared CMake helpers: one static library per folder, one test binary per library.

set(SWEEP_VERSION_STRING "${PROJECT_VERSION}")

# Compile options every target of ours gets (warnings; SIMD is chosen per target where it pays).
function(sweep_target_defaults target)
  target_compile_features(${target} PUBLIC cxx_std_20)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-unused-parameter)
  # GCC 12 reports std::string concatenation inlined at -O2 as overlapping memcpy (GCC bug
  # 105651, Debian 12 has 12.2): noise that would hide real warnings.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 12
     AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR})
  if(SWEEP_SANITIZE)
    # Any report fails the run: UBSan does not recover, ASan aborts at the first error.
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined
      -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
    if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
      target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link)  # tests/fuzz/
    endif()
  endif()
  # Programs record only the shared libraries they use: every DT_NEEDED entry is loaded and
  # relocated at each start (see cmake/SweepDependencies.cmake).
  target_link_options(${target} PRIVATE LINKER:--as-needed)
endfunction()

# sweep_program(NAME): a program users run (sweep-worker, sweep), installed to bin/. With
# SWEEP_STATIC_DEPS it carries libstdc++ and libgcc itself: loading and relocating libstdc++.so
# costs ~0.8 ms at each start (a hello world: 2.0 vs 1.2 ms), a few percent of a short child.
function(sweep_program target)
  sweep_target_defaults(${target})
  target_compile_definitions(${target} PRIVATE SWEEP_VERSION="${PROJECT_VERSION}")
  if(SWEEP_STATIC_DEPS)
    target_link_options(${target} PRIVATE -static-libstdc++ -static-libgcc)
  endif()
  install(TARGETS ${target} RUNTIME DESTINATION bin)
endfunction()

# sweep_test(NAME SOURCES a_test.cc b_test.cc LIBS lib1 lib2)
# Builds one GoogleTest binary and registers every TEST with ctest.
function(sweep_test name)
  if(NOT SWEEP_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(T "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  sweep_target_defaults(${name})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main Threads::Threads)
  include(GoogleTest)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60
    PROPERTIES ENVIRONMENT "SWEEP_TEST_DATA=${PROJECT_SOURCE_DIR}/tests/data" LABELS unit)
  add_dependencies(sweep_unit_tests ${name})
endfunction()
