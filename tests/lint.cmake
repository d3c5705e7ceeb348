# Tests of compiler/lint: golden diagnostics per rule (tests/testdata/lint,
# one file per rule with its negative cases) and unit tests of the string
# scanners.
if(TARGET rig_lint AND TARGET rig_golden)
  rig_add_golden(lint rig-golden tests/testdata/lint lint)

  add_executable(lint_test
    ${CMAKE_SOURCE_DIR}/compiler/lint/shell_text_test.cpp
    ${CMAKE_SOURCE_DIR}/compiler/lint/units_test.cpp)
  target_link_libraries(lint_test PRIVATE rig_lint GTest::gtest_main)
  add_test(NAME lint.unit COMMAND lint_test)
endif()
