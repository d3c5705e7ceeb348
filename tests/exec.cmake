# Unit tests of runtime/exec and runtime/report (no VMs: fake machines).
get_filename_component(RIG_EXEC_ROOT ${CMAKE_CURRENT_LIST_DIR}/.. ABSOLUTE)

add_library(rig_exec_testing
  ${RIG_EXEC_ROOT}/runtime/exec/testing/fakes.cpp
  ${RIG_EXEC_ROOT}/runtime/exec/testing/suite_runner.cpp
  ${RIG_EXEC_ROOT}/runtime/exec/testing/compile_suite.cpp)
# Test binaries may link the compiler: their specs go through the real front
# end (the layering rule, runtime/ never depends on compiler/, is for
# library code).
target_link_libraries(rig_exec_testing PUBLIC rig_exec rig_report rig_lower GTest::gtest)

add_executable(exec_test
  ${RIG_EXEC_ROOT}/runtime/exec/events_test.cpp
  ${RIG_EXEC_ROOT}/runtime/exec/expect_test.cpp
  ${RIG_EXEC_ROOT}/runtime/exec/interactive_test.cpp
  ${RIG_EXEC_ROOT}/runtime/exec/interpreter_test.cpp
  ${RIG_EXEC_ROOT}/runtime/exec/limits_test.cpp
  ${RIG_EXEC_ROOT}/runtime/exec/machine_ops_test.cpp
  ${RIG_EXEC_ROOT}/runtime/exec/suite_test.cpp
  ${RIG_EXEC_ROOT}/runtime/exec/signatures_agree_test.cpp
  ${RIG_EXEC_ROOT}/runtime/report/report_test.cpp)
target_link_libraries(exec_test PRIVATE rig_exec_testing GTest::gtest_main)
include(GoogleTest)
gtest_discover_tests(exec_test PROPERTIES LABELS "exec")

# End-to-end suites boot real VMs (label e2e): see tests/e2e/README.md.
if(EXISTS ${RIG_EXEC_ROOT}/tests/e2e/e2e.cmake)
  include(${RIG_EXEC_ROOT}/tests/e2e/e2e.cmake)
endif()
