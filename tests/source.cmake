# Checks over the source tree itself.
add_test(NAME source.no_std_regex
  COMMAND ${CMAKE_SOURCE_DIR}/tests/source/no_std_regex.sh ${CMAKE_SOURCE_DIR})
