# Unit tests of runtime/support.
add_executable(rig_support_test ${CMAKE_SOURCE_DIR}/runtime/support/utf8_test.cpp)
target_link_libraries(rig_support_test PRIVATE rig_support GTest::gtest_main)
add_test(NAME support.unit COMMAND rig_support_test)
