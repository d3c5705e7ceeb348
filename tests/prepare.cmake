# Prepared state: cache key unit tests and real bubblewrap builds.
if(TARGET rig_host)
  add_executable(rig_prepare_tests ${CMAKE_SOURCE_DIR}/runtime/host/prepare_test.cpp)
  target_link_libraries(rig_prepare_tests PRIVATE rig_host GTest::gtest_main)
  add_test(NAME host.prepare COMMAND rig_prepare_tests)
endif()
