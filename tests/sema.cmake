# Tests of compiler/sema: golden diagnostics and program dumps.
if(TARGET rig_sema AND TARGET rig_golden)
  rig_add_golden(sema rig-golden tests/testdata/sema sema)
endif()

# Unit tests: merging and constant evaluation.
if(TARGET rig_sema)
  add_executable(rig_sema_test ${CMAKE_SOURCE_DIR}/compiler/sema/sema_test.cpp)
  target_compile_definitions(rig_sema_test PRIVATE
    RIG_TEST_STDLIB_DIR="${CMAKE_SOURCE_DIR}/stdlib")
  target_link_libraries(rig_sema_test PRIVATE rig_sema rig_parse rig_ast rig_diag
    GTest::gtest_main)
  add_test(NAME sema.unit COMMAND rig_sema_test)
endif()
