# Tests of compiler/parse: golden ASTs and diagnostics, robustness, fuzzing.
add_executable(rig-golden-parse ${CMAKE_CURRENT_SOURCE_DIR}/golden/parse_golden.cpp)
target_link_libraries(rig-golden-parse PRIVATE rig_golden rig_parse rig_ast rig_diag)
rig_add_golden(parse rig-golden-parse tests/testdata/parse ast)
rig_add_golden(diag rig-golden-parse tests/testdata/diag diag)
