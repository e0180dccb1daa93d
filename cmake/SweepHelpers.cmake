# Shared CMake helpers: one static library per folder, one test binary per library.

set(SWEEP_VERSION_STRING "${PROJECT_VERSION}")

# Compile options every target of ours gets (warnings; SIMD is chosen per target where it pays).
function(sweep_target_defaults target)
  target_compile_features(${target} PUBLIC cxx_std_20)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-unused-parameter)
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR})
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
    PROPERTIES ENVIRONMENT "SWEEP_TEST_DATA=${PROJECT_SOURCE_DIR}/tests/data")
endfunction()
