# Prepared state: cache key unit tests and real bubblewrap builds.
if(TARGET rig_host)
  add_executable(rig_prepare_tests ${CMAKE_SOURCE_DIR}/runtime/host/prepare_test.cpp)
  target_link_libraries(rig_prepare_tests PRIVATE rig_host GTest::gtest_main)
  add_test(NAME host.prepare COMMAND rig_prepare_tests)
endif()

# The todos example with an empty and then a warm cache, and a failing step
# (boots VMs).
if(TARGET rig)
  add_test(NAME e2e.prepare_cache
    COMMAND ${CMAKE_SOURCE_DIR}/tests/e2e/prepare_cache.sh $<TARGET_FILE:rig>)
  set_tests_properties(e2e.prepare_cache PROPERTIES
    LABELS e2e TIMEOUT 900 RUN_SERIAL TRUE)
  add_test(NAME e2e.container.prepare_cache
    COMMAND ${CMAKE_SOURCE_DIR}/tests/e2e/prepare_cache.sh $<TARGET_FILE:rig> container)
  set_tests_properties(e2e.container.prepare_cache PROPERTIES LABELS e2e TIMEOUT 900)
endif()
