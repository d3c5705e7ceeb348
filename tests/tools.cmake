# Tests of the editor tools: compiler/format (rig fmt) goldens and safety
# properties, and the language server (lsp/).
rig_add_golden(fmt rig-golden tests/testdata/fmt fmt)

add_executable(format_properties_test
  ${CMAKE_CURRENT_SOURCE_DIR}/format/format_properties_test.cpp)
target_link_libraries(format_properties_test PRIVATE
  rig_format rig_options GTest::gtest_main)
target_compile_definitions(format_properties_test PRIVATE
  RIG_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
add_test(NAME format.properties COMMAND format_properties_test)

add_executable(lsp_test ${CMAKE_SOURCE_DIR}/lsp/lsp_test.cpp)
target_link_libraries(lsp_test PRIVATE rig_lsp rig_options GTest::gtest_main)
target_compile_definitions(lsp_test PRIVATE RIG_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
add_test(NAME lsp.unit COMMAND lsp_test)
set_tests_properties(lsp.unit PROPERTIES TIMEOUT 600)

# `rig lsp` as an editor speaks to it: JSON-RPC over pipes.
add_test(NAME lsp.protocol
  COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/lsp/protocol_test.py
          $<TARGET_FILE:rig> ${CMAKE_SOURCE_DIR})
set_tests_properties(lsp.protocol PROPERTIES TIMEOUT 300)

# The repository's own specs are formatted (docs/fmt.md; testdata excluded:
# its goldens carry positions).
add_test(NAME fmt.repository
  COMMAND rig fmt --check examples stdlib bench tests/e2e tests/report
  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})

# A real editor: Neovim's built-in LSP client against `rig lsp`.
add_test(NAME lsp.neovim
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/lsp/nvim_test.sh
          $<TARGET_FILE:rig> ${CMAKE_SOURCE_DIR})
set_tests_properties(lsp.neovim PROPERTIES TIMEOUT 180)

# The VS Code extension: its TextMate grammar tokenized by VS Code's own
# engine (vscode-textmate and vscode-oniguruma from npm; scripts/setup runs
# `npm ci` in tests/editors), and package.json / extension.js consistent.
add_test(NAME editors.vscode
  COMMAND sh -c "command -v node >/dev/null || { echo 'editors.vscode: node is missing: apt-get install nodejs npm (scripts/setup does)' >&2; exit 1; }; exec node \"$0\" \"$1\""
          ${CMAKE_CURRENT_SOURCE_DIR}/editors/vscode_test.js ${CMAKE_SOURCE_DIR})
set_tests_properties(editors.vscode PROPERTIES TIMEOUT 120)

# rig fmt - : standard input to standard output (what editors call).
add_test(NAME fmt.stdin
  COMMAND sh -c "printf 'let  x=[1,2,]\\n' | \"$0\" fmt - | grep -qx 'let x = \\[1, 2\\]'"
          $<TARGET_FILE:rig>)
