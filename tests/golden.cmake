# Golden-file tests, shared by the compiler phases (see tests/golden/golden.h).
#
# A phase registers a testdata directory with
#   rig_add_golden(NAME RUNNER DIR [MODE])
# where RUNNER is `rig-golden` and MODE selects the phase's producer. Each registration becomes a ctest `golden.NAME` and a
# line of ${CMAKE_BINARY_DIR}/golden-dirs.txt, which scripts/update-goldens
# reads to rewrite every expectation.
add_library(rig_golden STATIC ${CMAKE_CURRENT_SOURCE_DIR}/golden/golden.cpp)
target_link_libraries(rig_golden PUBLIC rig_options rig_base ${RIG_LLVM_LIBS})

# The one runner: tests/golden/golden_main.cpp, with each phase's producer
# from beside the phase (tests/golden/phases.h).
add_executable(rig-golden
  ${CMAKE_CURRENT_SOURCE_DIR}/golden/golden_main.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/golden/parse_golden.cpp
  ${CMAKE_SOURCE_DIR}/compiler/sema/sema_golden.cpp
  ${CMAKE_SOURCE_DIR}/compiler/lower/plan_golden.cpp
  ${CMAKE_SOURCE_DIR}/compiler/lint/lint_golden.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/golden/fmt_golden.cpp)
target_link_libraries(rig-golden PRIVATE rig_golden rig_lint rig_lower rig_sema
  rig_format rig_parse rig_ast rig_diag)

function(rig_add_golden name runner dir)
  set(mode "${ARGN}")
  add_test(NAME golden.${name}
           COMMAND ${runner} --mode=${mode} ${CMAKE_SOURCE_DIR}/${dir})
  set_property(GLOBAL APPEND PROPERTY RIG_GOLDEN_LINES
               "$<TARGET_FILE:${runner}>\t${mode}\t${CMAKE_SOURCE_DIR}/${dir}\t${runner}")
endfunction()

function(rig_write_golden_manifest)
  get_property(lines GLOBAL PROPERTY RIG_GOLDEN_LINES)
  list(JOIN lines "\n" content)
  file(GENERATE OUTPUT ${CMAKE_BINARY_DIR}/golden-dirs.txt
       CONTENT "${content}\n")
endfunction()
cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR} CALL rig_write_golden_manifest)

# Every diagnostic kind of the files listed in enforced_kinds.txt must be
# exercised by some golden expectation.
add_executable(rig-kinds-coverage ${CMAKE_CURRENT_SOURCE_DIR}/golden/kinds_coverage.cpp)
target_link_libraries(rig-kinds-coverage PRIVATE rig_options ${RIG_LLVM_LIBS})
add_test(NAME golden.kinds-coverage
         COMMAND rig-kinds-coverage ${CMAKE_SOURCE_DIR}
                 ${CMAKE_CURRENT_SOURCE_DIR}/golden/enforced_kinds.txt)
