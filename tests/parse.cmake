# Tests of compiler/parse: golden ASTs and diagnostics, robustness, fuzzing.
rig_add_golden(parse rig-golden tests/testdata/parse ast)
rig_add_golden(diag rig-golden tests/testdata/diag diag)

# Hostile input must end in diagnostics, never a crash.
add_executable(parse_robustness_test
  ${CMAKE_CURRENT_SOURCE_DIR}/robustness/parse_robustness_test.cpp)
target_link_libraries(parse_robustness_test PRIVATE
  rig_parse rig_ast rig_diag rig_options GTest::gtest_main)
target_compile_definitions(parse_robustness_test PRIVATE
  RIG_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
add_test(NAME parse.robustness COMMAND parse_robustness_test)
set_tests_properties(parse.robustness PROPERTIES TIMEOUT 900)

# libFuzzer target (clang only): tests/fuzz/run builds and runs it. The
# parser's libraries get coverage instrumentation and the sanitizers too.
if(RIG_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "RIG_FUZZ needs clang (use the `fuzz` preset)")
  endif()
  set(RIG_FUZZ_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=undefined)
  foreach(lib rig_grammar rig_parse rig_ast rig_diag rig_base)
    target_compile_options(${lib} PRIVATE ${RIG_FUZZ_FLAGS} -fsanitize=fuzzer-no-link)
  endforeach()
  # clang 14 + libstdc++ 12 reject llvm/Support/JSON.h in C++20 mode
  # (std::vector<json::Value> of an incomplete type); render.cpp needs
  # nothing newer than C++17.
  set_target_properties(rig_diag PROPERTIES CXX_STANDARD 17)
  add_executable(parse_fuzzer ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/parse_fuzzer.cpp)
  target_compile_options(parse_fuzzer PRIVATE ${RIG_FUZZ_FLAGS} -fsanitize=fuzzer)
  target_link_options(parse_fuzzer PRIVATE ${RIG_FUZZ_FLAGS} -fsanitize=fuzzer)
  target_link_libraries(parse_fuzzer PRIVATE rig_parse rig_ast rig_diag rig_options)
  # rig fmt's two properties (docs/fmt.md) over the same corpus.
  target_compile_options(rig_format PRIVATE ${RIG_FUZZ_FLAGS} -fsanitize=fuzzer-no-link)
  add_executable(fmt_fuzzer ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fmt_fuzzer.cpp)
  target_compile_options(fmt_fuzzer PRIVATE ${RIG_FUZZ_FLAGS} -fsanitize=fuzzer)
  target_link_options(fmt_fuzzer PRIVATE ${RIG_FUZZ_FLAGS} -fsanitize=fuzzer)
  target_link_libraries(fmt_fuzzer PRIVATE rig_format rig_options)
endif()

# The diagnostics renderers (compiler/diag/render.cpp).
add_executable(render_test ${CMAKE_SOURCE_DIR}/compiler/diag/render_test.cpp)
target_link_libraries(render_test PRIVATE rig_diag rig_options GTest::gtest_main)
add_test(NAME diag.render COMMAND render_test)

# Diagnostic arguments are checked against their kind's format at compile
# time (compiler/diag/diagnostic.h): the right arguments compile, too few
# do not.
set(RIG_FORMAT_CHECK_COMMAND ${CMAKE_CXX_COMPILER} -std=c++20 -fsyntax-only
  -I${CMAKE_SOURCE_DIR} -isystem ${LLVM_INCLUDE_DIRS}
  ${CMAKE_SOURCE_DIR}/compiler/diag/format_check_test.cpp)
add_test(NAME diag.format-checked COMMAND ${RIG_FORMAT_CHECK_COMMAND})
add_test(NAME diag.format-checked-too-few
  COMMAND ${RIG_FORMAT_CHECK_COMMAND} -DRIG_TOO_FEW_ARGS)
# fmt's compile-time checker names the missing argument.
set_tests_properties(diag.format-checked-too-few PROPERTIES
  PASS_REGULAR_EXPRESSION "format_check_test.cpp:10.*argument not found|argument not found.*format_check_test.cpp:10")
