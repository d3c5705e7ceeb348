# Checks over the source tree itself.
add_test(NAME source.no_std_regex
  COMMAND ${CMAKE_SOURCE_DIR}/tests/source/no_std_regex.sh ${CMAKE_SOURCE_DIR})
# Every tracked .cpp/.h follows .clang-format (HACKING.md, "Habits").
add_test(NAME source.format COMMAND ${CMAKE_SOURCE_DIR}/scripts/check-format)
