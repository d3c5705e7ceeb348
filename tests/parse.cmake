# Tests of compiler/parse: golden ASTs and diagnostics, robustness, fuzzing.
add_executable(rig-golden-parse ${CMAKE_CURRENT_SOURCE_DIR}/golden/parse_golden.cpp)
target_link_libraries(rig-golden-parse PRIVATE rig_golden rig_parse rig_ast rig_diag)
rig_add_golden(parse rig-golden-parse tests/testdata/parse ast)
rig_add_golden(diag rig-golden-parse tests/testdata/diag diag)

# Hostile input must end in diagnostics, never a crash.
add_executable(parse_robustness_test
  ${CMAKE_CURRENT_SOURCE_DIR}/robustness/parse_robustness_test.cpp)
target_link_libraries(parse_robustness_test PRIVATE
  rig_parse rig_ast rig_diag rig_options GTest::gtest_main)
target_compile_definitions(parse_robustness_test PRIVATE
  RIG_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
add_test(NAME parse.robustness COMMAND parse_robustness_test)
