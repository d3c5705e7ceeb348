# Tests of compiler/sema: golden diagnostics and program dumps.
if(TARGET rig_sema AND TARGET rig_golden)
  add_executable(rig-golden-sema
    ${CMAKE_SOURCE_DIR}/compiler/sema/sema_golden.cpp)
  target_link_libraries(rig-golden-sema PRIVATE rig_golden rig_sema rig_parse
    rig_ast rig_diag)
  rig_add_golden(sema rig-golden-sema tests/testdata/sema program)
endif()
