# docs/ stays true to the code: generated pages must be current.
add_test(NAME docs.diagnostics
  COMMAND python3 ${CMAKE_SOURCE_DIR}/scripts/gen-diagnostics-doc --check)
add_test(NAME docs.signatures
  COMMAND rig_gen_signatures_doc ${CMAKE_SOURCE_DIR}/docs/language.md --check)
