# docs/ stays true to the code: generated pages must be current.
add_test(NAME docs.diagnostics
  COMMAND python3 ${CMAKE_SOURCE_DIR}/scripts/gen-diagnostics-doc --check)
